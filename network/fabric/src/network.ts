/**
 * up / down / status / clean / stop-node for the native network. Each command converges: `up` starts only
 * what is not running and skips lifecycle steps already done; `down` stops only processes recorded in
 * state.json; `clean` is `down` plus removing .veriscan/fabric (the shared crypto material stays).
 * Processes are started, recognised and stopped by fabric-kit's supervisor, as the devnet's are.
 */
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import {
  assertPortFree,
  isSupervisedProcessRunning,
  removeNetworkProfileIfWrittenBy,
  removePidFile,
  startSupervisedProcess,
  stopSupervisedProcess,
  tailOfLog,
  waitForPort,
  writeNetworkProfile,
  type SupervisorDirs,
} from '@veriscan/fabric-kit';
import { fabricBinaries } from './binaries';
import { ensureChaincodeTls } from './chaincode-tls';
import {
  approveForOrg,
  buildChaincode,
  chaincodeIsBuilt,
  chaincodeServerCommand,
  commitDefinition,
  installPackage,
  writePackage,
  type WrittenPackage,
} from './chaincode';
import { ensureGenesisBlock, joinOrderers, joinPeer, waitPeerKnowsOwnOrg } from './channel';
import { ensureCryptoMaterial } from './crypto';
import { FabricNetworkError, messageOf } from './errors';
import { ordererEnv, peerEnv, type ProcessEnv } from './node-env';
import { fabricProfile } from './profile';
import { consensusLeader, waitConsensusLeader, waitGatewayEndorses, waitHealthy } from './readiness';
import { readState, writeState, type LauncherState } from './state';
import {
  isTopologyKey,
  ordererNodes,
  runningPeerOrgs,
  TOPOLOGIES,
  type ChosenTopology,
  type LauncherPaths,
  type Topology,
  type TopologyKey,
} from './topology';

const log = (message: string): void => {
  process.stdout.write(`fabric: ${message}\n`);
};

/** Options of {@link up}. */
export type UpOptions = Readonly<{
  /** Compile the chaincode first (default true); false serves what is in chaincode/dist. */
  build?: boolean;
}>;

/** Options of {@link status}. */
export type StatusOptions = Readonly<{
  /** Print JSON instead of a table. */
  json?: boolean;
}>;

/** What a process is started as. */
type ProcessSpec = Readonly<{ command: string; args: readonly string[]; cwd: string; env: ProcessEnv }>;

/**
 * Picks the topology: explicit flags, else the one the existing state was created with, else raft-1.
 * @throws FabricNetworkError `CONFLICTING_STATE` when the state holds another topology.
 */
export function chooseTopology(requested: TopologyKey | null, state: LauncherState): ChosenTopology {
  const key = requested ?? state.topology ?? 'raft-1';
  if (!isTopologyKey(key)) throw new FabricNetworkError('INVALID_OPTION', `unknown topology ${String(key)}`);
  if (state.topology !== undefined && state.topology !== key) {
    throw new FabricNetworkError(
      'CONFLICTING_STATE',
      `.veriscan/fabric holds a ${state.topology} network; run \`clean\` before starting ${key}`,
    );
  }
  return { key, ...TOPOLOGIES[key] };
}

function supervisorDirs(paths: LauncherPaths): SupervisorDirs {
  return { pidDir: paths.pids, logDir: paths.logs };
}

function chaincodeProcessName(org: { readonly key: string }): string {
  return `chaincode.${org.key}`;
}

function processNames(paths: LauncherPaths, topology: Topology): string[] {
  return [
    ...ordererNodes(topology.orderers).map((n) => n.name),
    ...runningPeerOrgs(paths).map((o) => o.peerName),
    ...runningPeerOrgs(paths).map(chaincodeProcessName),
  ];
}

/** Starts one process unless it runs, records it at once (so a failed `up` can still be stopped). */
async function ensureProcess(
  paths: LauncherPaths,
  state: LauncherState,
  name: string,
  spec: ProcessSpec,
  ports: readonly (readonly [number, string])[],
): Promise<boolean> {
  if (isSupervisedProcessRunning(state.processes[name])) return false;
  for (const [port, what] of ports) await assertPortFree(port, `${name} ${what}`);
  log(`starting ${name}`);
  state.processes[name] = startSupervisedProcess({ dirs: supervisorDirs(paths), name, ...spec });
  writeState(paths.stateFile, state);
  return true;
}

/** Drops a stopped process from the state (the caller writes it) and removes its pid file. */
function forgetProcess(paths: LauncherPaths, state: LauncherState, name: string): void {
  state.processes = Object.fromEntries(Object.entries(state.processes).filter(([n]) => n !== name));
  removePidFile(supervisorDirs(paths), name);
}

function aliveCheck(state: LauncherState, name: string): () => boolean {
  return () => isSupervisedProcessRunning(state.processes[name]);
}

/** Waits until process `name` listens on `port`; the error ends with its log's last lines. */
function waitListening(state: LauncherState, name: string, port: number, what = name): Promise<void> {
  return waitForPort({
    name: what,
    port,
    isAlive: aliveCheck(state, name),
    logFile: state.processes[name]?.logFile,
    pollMs: 250,
  });
}

/** Waits for `name`'s /healthz; a failure carries the last lines of its log. */
async function waitHealthyWithLog(state: LauncherState, name: string, opsPort: number): Promise<void> {
  try {
    await waitHealthy(`http://127.0.0.1:${opsPort}/healthz`, name, aliveCheck(state, name));
  } catch (error) {
    const entry = state.processes[name];
    const tail = entry ? `\n--- last lines of ${entry.logFile} ---\n${tailOfLog(entry.logFile)}` : '';
    const code = error instanceof FabricNetworkError ? error.code : 'NOT_READY';
    throw new FabricNetworkError(code, `${messageOf(error)}${tail}`, { cause: error });
  }
}

/** Brings the network up (or completes a half-up one) and writes .veriscan/network.json. */
export async function up(
  paths: LauncherPaths,
  requestedTopology: TopologyKey | null,
  options: UpOptions = {},
): Promise<void> {
  const started = Date.now();
  const bin = fabricBinaries();
  const state = readState(paths.stateFile);
  const topology = chooseTopology(requestedTopology, state);
  state.topology = topology.key;
  writeState(paths.stateFile, state);

  await ensureCryptoMaterial(paths, log);
  if (options.build ?? true) buildChaincode(paths, log);
  else if (!chaincodeIsBuilt(paths))
    throw new FabricNetworkError('NOT_BUILT', '--no-build: chaincode/dist/index.js does not exist');
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
    await waitHealthyWithLog(state, node.name, node.opsPort);
    // /healthz is served before the gRPC and admin listeners accept connections.
    await waitListening(state, node.name, node.adminPort, `${node.name} admin`);
    await waitListening(state, node.name, node.port);
  }
  joinOrderers(paths, bin, topology, log);
  // A restarted Raft node waits a full election timeout before leading; until then Broadcast answers
  // SERVICE_UNAVAILABLE "no Raft leader", so `up` must not report ready before there is a leader.
  const leader = await waitConsensusLeader(topology);
  log(`${topology.consensus} leader: ${leader}`);

  for (const org of runningPeerOrgs(paths)) {
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
  for (const org of runningPeerOrgs(paths)) {
    await waitHealthyWithLog(state, org.peerName, org.opsPort);
    await waitListening(state, org.peerName, org.peerPort);
    joinPeer(paths, bin, org, log);
    await waitPeerKnowsOwnOrg(paths, bin, org);
  }

  const packages = new Map<string, WrittenPackage>();
  for (const org of runningPeerOrgs(paths)) {
    const tls = await ensureChaincodeTls(paths, org, join(paths.state, 'chaincode-tls', org.key));
    const pkg = writePackage(paths, org, tls);
    packages.set(org.key, pkg);
    installPackage(paths, bin, org, pkg, log);
    const name = chaincodeProcessName(org);
    const spec = chaincodeServerCommand(paths, org, pkg.packageId, tls);
    const current = state.processes[name];
    if (isSupervisedProcessRunning(current) && current?.args.join(' ') !== spec.args.join(' '))
      await stopSupervisedProcess(current);
    await ensureProcess(paths, state, name, spec, [[org.chaincodePort, 'port']]);
  }
  for (const org of runningPeerOrgs(paths)) {
    const name = chaincodeProcessName(org);
    await waitListening(state, name, org.chaincodePort);
  }
  state.packages = Object.fromEntries([...packages].map(([key, pkg]) => [key, pkg.packageId]));
  writeState(paths.stateFile, state);

  const orderer =
    orderers.find((node) => isSupervisedProcessRunning(state.processes[node.name])) ?? orderers[0];
  if (orderer === undefined) throw new RangeError(`topology ${topology.key} has no orderer`);
  for (const org of runningPeerOrgs(paths)) {
    const pkg = packages.get(org.key);
    if (pkg !== undefined) approveForOrg(paths, bin, org, pkg, orderer, log);
  }
  commitDefinition(paths, bin, orderer, log);

  const profile = fabricProfile(paths);
  log('waiting for every gateway to find endorsers of both orgs');
  for (const org of runningPeerOrgs(paths)) await waitGatewayEndorses(profile, org);
  writeNetworkProfile(paths.profile, profile);
  log(`up (${topology.key}) in ${((Date.now() - started) / 1000).toFixed(1)}s; profile: ${paths.profile}`);
}

/** Stops every process recorded in state.json, chaincode servers first, orderers last. */
export async function down(paths: LauncherPaths): Promise<void> {
  const state = readState(paths.stateFile);
  const names = Object.keys(state.processes);
  const rank = (name: string): number =>
    name.startsWith('chaincode.') ? 0 : name.startsWith('peer') ? 1 : 2;
  const ordered = [...names].sort((a, b) => rank(a) - rank(b));
  for (let r = 0; r <= 2; r += 1) {
    const group = ordered.filter((name) => rank(name) === r);
    await Promise.all(
      group.map(async (name) => {
        const entry = state.processes[name];
        if (await stopSupervisedProcess(entry)) log(`stopped ${name} (pid ${entry?.pid ?? '?'})`);
        forgetProcess(paths, state, name);
      }),
    );
  }
  if (existsSync(paths.state)) writeState(paths.stateFile, state);
  if (removeNetworkProfileIfWrittenBy(paths.profile, 'fabric')) log(`removed ${paths.profile}`);
  if (names.length === 0) log('nothing to stop');
}

/**
 * Stops one node (e.g. `orderer1`) to exercise failover; `up` starts it again.
 * @throws FabricNetworkError `UNKNOWN_PROCESS` when the state has no process of that name.
 */
export async function stopNode(paths: LauncherPaths, name: string): Promise<void> {
  const state = readState(paths.stateFile);
  const entry = state.processes[name];
  if (entry === undefined)
    throw new FabricNetworkError(
      'UNKNOWN_PROCESS',
      `no process named ${name}; known: ${Object.keys(state.processes).join(', ') || 'none'}`,
    );
  if (await stopSupervisedProcess(entry)) log(`stopped ${name} (pid ${entry.pid})`);
  else log(`${name} was not running`);
  forgetProcess(paths, state, name);
  writeState(paths.stateFile, state);
}

/** One process in `status`. */
interface ProcessReport {
  readonly pid: number | null;
  readonly running: boolean;
  readonly log: string | null;
}

/** Reports each expected process; returns true when all run. */
export async function status(paths: LauncherPaths, options: StatusOptions = {}): Promise<boolean> {
  const json = options.json ?? false;
  const state = readState(paths.stateFile);
  if (state.topology === undefined) {
    if (json) process.stdout.write(`${JSON.stringify({ up: false, topology: null, processes: {} })}\n`);
    else log('no native network here (run `up`)');
    return false;
  }
  const topology = TOPOLOGIES[state.topology];
  const report: Record<string, ProcessReport> = {};
  for (const name of processNames(paths, topology)) {
    const entry = state.processes[name];
    report[name] = entry
      ? { pid: entry.pid, running: isSupervisedProcessRunning(entry), log: entry.logFile }
      : { pid: null, running: false, log: null };
  }
  const leader = await consensusLeader(topology);
  const allUp = Object.values(report).every((p) => p.running);
  if (json) {
    process.stdout.write(
      `${JSON.stringify({ up: allUp, topology: state.topology, leader, packages: state.packages ?? {}, processes: report }, null, 2)}\n`,
    );
  } else {
    log(`topology ${state.topology}${leader !== null ? `, ${topology.consensus} leader ${leader}` : ''}`);
    for (const [name, p] of Object.entries(report)) {
      const shown = p.running
        ? `running  pid ${p.pid ?? '?'}`
        : p.pid !== null
          ? `stopped  (pid ${p.pid} gone)`
          : 'not started';
      process.stdout.write(`  ${name.padEnd(20)} ${shown}\n`);
    }
  }
  return allUp;
}

/** Stops everything and removes .veriscan/fabric (state, logs, ledgers, packages). */
export async function clean(paths: LauncherPaths): Promise<void> {
  await down(paths);
  if (existsSync(paths.state)) {
    rmSync(paths.state, { recursive: true, force: true });
    log(`removed ${paths.state}`);
  }
}
