// up / down / status / clean / stop-node for the native network. Each command converges: `up` starts only
// what is not running and skips lifecycle steps already done; `down` stops only processes recorded in
// state.json; `clean` is `down` plus removing .veriscan/fabric (the shared crypto material stays).
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fabricBinaries } from './binaries.mjs';
import { ensureChaincodeTls } from './chaincode-tls.mjs';
import { ensureCryptoMaterial } from './crypto.mjs';
import { ensureGenesisBlock, joinOrderers, joinPeer } from './channel.mjs';
import {
  approveForOrg,
  buildChaincode,
  chaincodeServerCommand,
  commitDefinition,
  installPackage,
  writePackage,
} from './chaincode.mjs';
import { ordererEnv, peerEnv } from './node-env.mjs';
import {
  assertPortFree,
  isRunning,
  readState,
  removePidFile,
  startProcess,
  stopProcess,
  tailOf,
  writePidFile,
  writeState,
} from './processes.mjs';
import { buildProfile, removeProfileIfOurs, writeProfile } from './profile.mjs';
import {
  consensusLeader,
  waitConsensusLeader,
  waitGatewayEndorses,
  waitHealthy,
  waitListening,
} from './readiness.mjs';
import { ordererNodes, PEER_ORGS, TOPOLOGIES } from './topology.mjs';

const log = (message) => process.stdout.write(`fabric: ${message}\n`);

/** Picks the topology: explicit flags, else the one the existing state was created with, else raft-1. */
export function chooseTopology(requested, state) {
  const key = requested ?? state.topology ?? 'raft-1';
  if (!(key in TOPOLOGIES)) throw new Error(`unknown topology ${key}`);
  if (state.topology && state.topology !== key) {
    throw new Error(
      `.veriscan/fabric holds a ${state.topology} network; run \`clean\` before starting ${key}`,
    );
  }
  return { key, ...TOPOLOGIES[key] };
}

function processNames(topology) {
  return [
    ...ordererNodes(topology.orderers).map((n) => n.name),
    ...PEER_ORGS.map((o) => o.peerName),
    ...PEER_ORGS.map((o) => `chaincode.${o.key}`),
  ];
}

/** Starts one process unless it runs, records it at once (so a failed `up` can still be stopped). */
async function ensureProcess(paths, state, name, spec, ports) {
  if (isRunning(state.processes[name])) return false;
  for (const [port, what] of ports) await assertPortFree(port, `${name} ${what}`);
  log(`starting ${name}`);
  state.processes[name] = startProcess({ name, logDir: paths.logs, ...spec });
  writeState(paths.stateFile, state);
  writePidFile(paths.pids, name, state.processes[name]);
  return true;
}

function aliveCheck(state, name) {
  return () => isRunning(state.processes[name]);
}

async function withLog(state, name, promise) {
  try {
    await promise;
  } catch (error) {
    const entry = state.processes[name];
    const tail = entry ? `\n--- last lines of ${entry.logFile} ---\n${tailOf(entry.logFile)}` : '';
    throw new Error(`${error instanceof Error ? error.message : String(error)}${tail}`);
  }
}

/** Brings the network up (or completes a half-up one) and writes .veriscan/network.json. */
export async function up(paths, requestedTopology, { build = true } = {}) {
  const started = Date.now();
  const bin = fabricBinaries();
  const state = readState(paths.stateFile);
  const topology = chooseTopology(requestedTopology, state);
  state.topology = topology.key;
  writeState(paths.stateFile, state);

  await ensureCryptoMaterial(paths, log);
  if (build) buildChaincode(paths, log);
  else if (!existsSync(`${paths.chaincodeDir}/dist/index.js`))
    throw new Error('--no-build: chaincode/dist/index.js does not exist');
  ensureGenesisBlock(paths, bin, topology, log);

  const orderers = ordererNodes(topology.orderers);
  for (const node of orderers) {
    await ensureProcess(
      paths,
      state,
      node.name,
      { command: bin.orderer, args: [], cwd: paths.state, env: ordererEnv(paths, node) },
      [
        [node.port, 'port'],
        [node.adminPort, 'admin port'],
        [node.opsPort, 'operations port'],
      ],
    );
  }
  for (const node of orderers) {
    await withLog(
      state,
      node.name,
      waitHealthy(`http://127.0.0.1:${node.opsPort}/healthz`, node.name, aliveCheck(state, node.name)),
    );
    // /healthz is served before the gRPC and admin listeners accept connections.
    await withLog(
      state,
      node.name,
      waitListening(node.adminPort, `${node.name} admin`, aliveCheck(state, node.name)),
    );
    await withLog(state, node.name, waitListening(node.port, node.name, aliveCheck(state, node.name)));
  }
  joinOrderers(paths, bin, topology, log);
  // A restarted Raft node waits a full election timeout before leading; until then Broadcast answers
  // SERVICE_UNAVAILABLE "no Raft leader", so `up` must not report ready before there is a leader.
  const leader = await waitConsensusLeader(topology);
  log(`${topology.consensus} leader: ${leader}`);

  for (const org of PEER_ORGS) {
    await ensureProcess(
      paths,
      state,
      org.peerName,
      { command: bin.peer, args: ['node', 'start'], cwd: paths.state, env: peerEnv(paths, org) },
      [
        [org.peerPort, 'port'],
        [org.peerPort + 1, 'chaincode port'],
        [org.opsPort, 'operations port'],
      ],
    );
  }
  for (const org of PEER_ORGS) {
    await withLog(
      state,
      org.peerName,
      waitHealthy(`http://127.0.0.1:${org.opsPort}/healthz`, org.peerName, aliveCheck(state, org.peerName)),
    );
    await withLog(
      state,
      org.peerName,
      waitListening(org.peerPort, org.peerName, aliveCheck(state, org.peerName)),
    );
    joinPeer(paths, bin, org, log);
  }

  const packages = {};
  for (const org of PEER_ORGS) {
    const tls = await ensureChaincodeTls(paths, org, join(paths.state, 'chaincode-tls', org.key));
    const pkg = writePackage(paths, org, tls);
    packages[org.key] = pkg;
    installPackage(paths, bin, org, pkg, log);
    const name = `chaincode.${org.key}`;
    const spec = chaincodeServerCommand(paths, org, pkg.packageId, tls);
    const current = state.processes[name];
    if (isRunning(current) && current.args.join(' ') !== spec.args.join(' ')) await stopProcess(current);
    await ensureProcess(paths, state, name, spec, [[org.chaincodePort, 'port']]);
  }
  for (const org of PEER_ORGS) {
    const name = `chaincode.${org.key}`;
    await withLog(state, name, waitListening(org.chaincodePort, name, aliveCheck(state, name)));
  }
  state.packages = Object.fromEntries(Object.entries(packages).map(([k, p]) => [k, p.packageId]));
  writeState(paths.stateFile, state);

  const orderer = orderers.find((node) => isRunning(state.processes[node.name])) ?? orderers[0];
  for (const org of PEER_ORGS) approveForOrg(paths, bin, org, packages[org.key], orderer, log);
  commitDefinition(paths, bin, orderer, log);

  const profile = buildProfile(paths);
  log('waiting for every gateway to find endorsers of both orgs');
  for (const org of PEER_ORGS) {
    await waitGatewayEndorses(profile.peers[org.peerName], profile.identities[`${org.key}-admin`]);
  }
  writeProfile(paths, profile);
  log(`up (${topology.key}) in ${((Date.now() - started) / 1000).toFixed(1)}s; profile: ${paths.profile}`);
}

/** Stops every process recorded in state.json, chaincode servers first, orderers last. */
export async function down(paths) {
  const state = readState(paths.stateFile);
  const names = Object.keys(state.processes);
  const rank = (name) => (name.startsWith('chaincode.') ? 0 : name.startsWith('peer') ? 1 : 2);
  const ordered = names.sort((a, b) => rank(a) - rank(b));
  for (let r = 0; r <= 2; r += 1) {
    const group = ordered.filter((name) => rank(name) === r);
    await Promise.all(
      group.map(async (name) => {
        if (await stopProcess(state.processes[name]))
          log(`stopped ${name} (pid ${state.processes[name].pid})`);
        delete state.processes[name];
        removePidFile(paths.pids, name);
      }),
    );
  }
  if (existsSync(paths.state)) writeState(paths.stateFile, state);
  if (removeProfileIfOurs(paths)) log(`removed ${paths.profile}`);
  if (names.length === 0) log('nothing to stop');
}

/** Stops one node (e.g. `orderer1`) to exercise failover; `up` starts it again. */
export async function stopNode(paths, name) {
  const state = readState(paths.stateFile);
  const entry = state.processes[name];
  if (!entry)
    throw new Error(`no process named ${name}; known: ${Object.keys(state.processes).join(', ') || 'none'}`);
  if (await stopProcess(entry)) log(`stopped ${name} (pid ${entry.pid})`);
  else log(`${name} was not running`);
  delete state.processes[name];
  removePidFile(paths.pids, name);
  writeState(paths.stateFile, state);
}

/** Reports each expected process; returns true when all run. */
export async function status(paths, { json = false } = {}) {
  const state = readState(paths.stateFile);
  if (!state.topology) {
    if (json) process.stdout.write(`${JSON.stringify({ up: false, topology: null, processes: {} })}\n`);
    else log('no native network here (run `up`)');
    return false;
  }
  const topology = TOPOLOGIES[state.topology];
  const report = {};
  for (const name of processNames(topology)) {
    const entry = state.processes[name];
    report[name] = entry
      ? { pid: entry.pid, running: isRunning(entry), log: entry.logFile }
      : { pid: null, running: false, log: null };
  }
  const leader = await consensusLeader(topology);
  const allUp = Object.values(report).every((p) => p.running);
  if (json) {
    process.stdout.write(
      `${JSON.stringify({ up: allUp, topology: state.topology, leader, packages: state.packages ?? {}, processes: report }, null, 2)}\n`,
    );
  } else {
    log(`topology ${state.topology}${leader ? `, ${topology.consensus} leader ${leader}` : ''}`);
    for (const [name, p] of Object.entries(report)) {
      process.stdout.write(
        `  ${name.padEnd(20)} ${p.running ? `running  pid ${p.pid}` : p.pid ? `stopped  (pid ${p.pid} gone)` : 'not started'}\n`,
      );
    }
  }
  return allUp;
}

/** Stops everything and removes .veriscan/fabric (state, logs, ledgers, packages). */
export async function clean(paths) {
  await down(paths);
  if (existsSync(paths.state)) {
    rmSync(paths.state, { recursive: true, force: true });
    log(`removed ${paths.state}`);
  }
}
