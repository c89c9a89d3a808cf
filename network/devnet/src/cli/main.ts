#!/usr/bin/env node
/**
 * The devnet CLI: `up | down | status | clean | deploy | crypto`. Every node (orderer, peers) and
 * every chaincode server is its own OS process with a pid file; `down` stops exactly those.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { devnetCryptoLayout, loadConfig, type DevnetConfig } from '../config';
import {
  PEER_ORGS,
  assertPortFree,
  buildNetworkProfile,
  ensureCryptoMaterial,
  isProcessAlive,
  logFilePath,
  readRunningPid,
  startSupervisedProcess,
  stopProcessByPidFile,
  waitForPort,
  writeNetworkProfile,
  type CryptoLayout,
  type NetworkProfile,
  type SupervisorDirs,
} from '@veriscan/fabric-kit';
import {
  chaincodeProcessName,
  deploy,
  installedChaincodeNames,
  installedChaincodes,
  readInstalledChaincode,
  startChaincodeServers,
  stopChaincodeServers,
  withServersForEveryOrg,
} from './deploy';
import { DevnetError } from '../errors';

// A closed pipe (`veriscan-devnet status | head`) is the reader's choice, not an error of ours.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

const log = (m: string): void => {
  process.stdout.write(`${m}\n`);
};

function pathsOf(config: DevnetConfig): SupervisorDirs {
  return { pidDir: join(config.devnetDir, 'pids'), logDir: join(config.devnetDir, 'logs') };
}

/** The devnet's connection profile: its peers' endpoints, identities from the crypto layout. */
function devnetProfile(config: DevnetConfig, layout: CryptoLayout): NetworkProfile {
  return buildNetworkProfile({
    network: 'devnet',
    channel: config.channelId,
    chaincodes: installedChaincodes(config).map((c) => c.name),
    crypto: layout,
    peers: config.peers.map((p) => ({
      name: p.name,
      mspId: p.mspId,
      endpoint: `127.0.0.1:${p.port}`,
      hostAlias: p.host,
    })),
  });
}

function nodes(config: DevnetConfig): { name: string; port: number; script: string; args: string[] }[] {
  const dist = join(__dirname, '..', 'node');
  return [
    { name: config.orderer.name, port: config.orderer.port, script: join(dist, 'orderer-main.js'), args: [] },
    ...config.peers.map((p) => ({
      name: p.name,
      port: p.port,
      script: join(dist, 'peer-main.js'),
      args: [p.name],
    })),
  ];
}

/**
 * An institution added after genesis brings its own material (its org folder in the crypto layout);
 * the devnet never generates it, as real Fabric's orgs never generate each other's.
 * @throws DevnetError `FAILED_PRECONDITION` naming the org whose folder is missing.
 */
function assertAddedOrgMaterial(layout: CryptoLayout): void {
  for (const org of layout.orgs) {
    if (PEER_ORGS.some((founder) => founder.key === org.key)) continue;
    if (org.kind === 'orderer') continue;
    const node = org.peers[0];
    if (node === undefined || !existsSync(node.signCertFile) || !existsSync(org.mspDir))
      throw new DevnetError(
        'FAILED_PRECONDITION',
        `org ${org.key} was added to this network but has no crypto material in ${org.orgDir}`,
      );
  }
}

/** Number of complete blocks in a block file, read without opening the ledger. */
function blockCount(file: string): number {
  if (!existsSync(file)) return 0;
  const data = readFileSync(file);
  let offset = 0;
  let count = 0;
  while (offset + 4 <= data.length) {
    const length = data.readUInt32BE(offset);
    if (offset + 4 + length > data.length) break;
    offset += 4 + length;
    count++;
  }
  return count;
}

/** Extra Node.js flags for node processes, e.g. `--cpu-prof` when profiling (VERISCAN_DEVNET_NODE_ARGS). */
function extraNodeArgs(): string[] {
  const raw = process.env.VERISCAN_DEVNET_NODE_ARGS ?? '';
  return raw.split(' ').filter((a) => a !== '');
}

async function up(config: DevnetConfig): Promise<void> {
  const paths = pathsOf(config);
  const all = nodes(config);
  const running = all.filter((n) => readRunningPid(paths, n.name) !== undefined);
  if (running.length === all.length) {
    log(`devnet is already running (${running.map((n) => n.name).join(', ')})`);
  }
  await ensureCryptoMaterial(config.cryptoDir, log);
  const layout = devnetCryptoLayout(config);
  assertAddedOrgMaterial(layout);
  for (const n of all) {
    if (readRunningPid(paths, n.name) !== undefined) continue;
    await assertPortFree(n.port, n.name);
    const started = Date.now();
    const { pid } = startSupervisedProcess({
      dirs: paths,
      name: n.name,
      command: process.execPath,
      args: [...extraNodeArgs(), n.script, ...n.args],
      pidFileMarker: n.script,
    });
    await waitForPort({
      name: n.name,
      port: n.port,
      isAlive: () => isProcessAlive(pid),
      logFile: logFilePath(paths, n.name),
    });
    log(`started ${n.name} (pid ${pid}) on 127.0.0.1:${n.port} in ${Date.now() - started} ms`);
  }
  for (const cc of installedChaincodes(config)) {
    await startChaincodeServers(config, paths, withServersForEveryOrg(config, cc, log));
  }
  writeNetworkProfile(config.profileFile, devnetProfile(config, layout));
  log(`connection profile: ${config.profileFile}`);
}

async function down(config: DevnetConfig): Promise<void> {
  const paths = pathsOf(config);
  let stopped = 0;
  // By file name, not by parsed install info: `down` must work on whatever state is on disk.
  for (const name of installedChaincodeNames(config)) {
    for (const procName of await stopChaincodeServers(config, paths, name)) {
      log(`stopped ${procName}`);
      stopped++;
    }
  }
  const names = nodes(config)
    .map((n) => n.name)
    .reverse();
  for (const name of names) {
    if (await stopProcessByPidFile(paths, name)) {
      log(`stopped ${name}`);
      stopped++;
    }
  }
  if (stopped === 0) log('devnet is not running');
}

function status(config: DevnetConfig): void {
  const paths = pathsOf(config);
  const rows: string[][] = [['NODE', 'STATE', 'PID', 'ENDPOINT', 'HEIGHT']];
  for (const n of nodes(config)) {
    const pid = readRunningPid(paths, n.name);
    const ledgerFile =
      n.name === config.orderer.name
        ? join(config.devnetDir, 'orderer', 'blocks.dat')
        : join(config.devnetDir, 'peers', n.name, 'ledger', 'blocks.dat');
    rows.push([
      n.name,
      pid === undefined ? 'stopped' : 'running',
      pid?.toString() ?? '-',
      `127.0.0.1:${n.port}`,
      String(blockCount(ledgerFile)),
    ]);
  }
  const problems: string[] = [];
  for (const name of installedChaincodeNames(config)) {
    let cc;
    try {
      cc = readInstalledChaincode(config, name);
    } catch (err) {
      rows.push([`chaincode ${name}`, 'unreadable', '-', '-', '-']);
      problems.push(`chaincode ${name}: ${err instanceof Error ? err.message : String(err)}`);
      continue;
    }
    for (const org of config.peerOrgs) {
      const pid = readRunningPid(paths, chaincodeProcessName(cc.name, org.key));
      rows.push([
        `chaincode ${cc.name} (${org.key})`,
        pid === undefined ? 'stopped' : 'running',
        pid?.toString() ?? '-',
        cc.info.servers[org.key] ?? '-',
        '-',
      ]);
    }
  }
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  for (const r of rows) log(r.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  '));
  for (const p of problems) log(p);
  log(`state: ${config.devnetDir}   logs: ${paths.logDir}`);
}

async function main(): Promise<void> {
  const config = loadConfig();
  const program = new Command();
  program
    .name('veriscan-devnet')
    .description(
      'An embedded Fabric-compatible network: an orderer, one peer per consortium org with the Gateway service, chaincode as a service (one server per org).',
    )
    .showHelpAfterError();
  program
    .command('up')
    .description(
      'generate crypto material if missing, start the orderer and peers (and deployed chaincode servers), write the connection profile',
    )
    .action(() => up(config));
  program
    .command('down')
    .description('stop every process the devnet started, by pid')
    .action(() => down(config));
  program
    .command('status')
    .description('show nodes, pids, endpoints and ledger heights')
    .action(() => {
      status(config);
    });
  program
    .command('clean')
    .description('stop the devnet and remove its state (ledgers, logs, installs, connection profile)')
    .option('--all', 'also remove the generated crypto material')
    .action(async (opts: { all?: boolean }) => {
      await down(config);
      rmSync(config.devnetDir, { recursive: true, force: true });
      rmSync(config.profileFile, { force: true });
      if (opts.all === true) rmSync(config.cryptoDir, { recursive: true, force: true });
      log(`removed ${config.devnetDir}${opts.all === true ? ` and ${config.cryptoDir}` : ''}`);
    });
  program
    .command('crypto')
    .description('generate the crypto material (MSP folders for every org, node, admin and user) if missing')
    .action(async () => {
      await ensureCryptoMaterial(config.cryptoDir, log);
    });
  program
    .command('deploy')
    .description(
      'run a Node chaincode (fabric-contract-api) as a service, one server per peer org, and define it on the channel',
    )
    .requiredOption('--name <name>', 'chaincode name on the channel')
    .requiredOption(
      '--path <dir>',
      'folder of the chaincode package (its package.json main exports `contracts`)',
    )
    .option(
      '--policy <policy>',
      'endorsement policy: a signature policy (DSL) or a channel configuration policy path such as /Channel/Application/VeriscanEndorsement',
      config.veriscanChaincode.policy,
    )
    .option('--version <version>', 'definition version (default: package.json version)')
    .action(async (opts: { name: string; path: string; policy: string; version?: string }) => {
      if (
        !existsSync(config.profileFile) ||
        readRunningPid(pathsOf(config), config.orderer.name) === undefined
      ) {
        throw new DevnetError(
          'FAILED_PRECONDITION',
          'the devnet is not running: start it with `npm run devnet -- up` (or `npm start`)',
        );
      }
      await deploy(config, pathsOf(config), opts, log);
      writeNetworkProfile(config.profileFile, devnetProfile(config, devnetCryptoLayout(config)));
    });
  await program.parseAsync(process.argv);
}

main().catch((err: unknown) => {
  process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
  const details: unknown =
    typeof err === 'object' && err !== null && 'details' in err ? err.details : undefined;
  if (Array.isArray(details)) {
    for (const d of details as unknown[]) {
      if (typeof d === 'object' && d !== null && 'message' in d)
        process.stderr.write(`  ${JSON.stringify(d)}\n`);
    }
  }
  process.exit(1);
});
