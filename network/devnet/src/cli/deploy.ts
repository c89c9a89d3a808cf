/**
 * `deploy`: runs a Node chaincode (fabric-contract-api) as a service, one server per peer org, and
 * defines it on the channel through the `_lifecycle` system chaincode, as an org admin, via the real
 * Gateway.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { DevnetConfig } from '../config';
import { decodeDefinition, type ChaincodeDefinition } from '../chaincode/lifecycle';
import { parseInstallInfo, type InstallInfo } from '../chaincode/registry';
import { parseSignaturePolicy } from '../policy';
import { isPolicyReference } from '../channelconfig/reference-policy';
import {
  DEFAULT_ADMIN,
  connectGateway,
  isProcessAlive,
  logFilePath,
  readNetworkProfile,
  readRunningPid,
  startSupervisedProcess,
  stopProcessByPidFile,
  waitForPort,
  type SupervisorDirs,
} from '@veriscan/fabric-kit';
import { DevnetError } from '../errors';

export interface DeployRequest {
  readonly name: string;
  readonly path: string;
  readonly policy: string;
  readonly version?: string;
}

function hashTree(dir: string, hash: ReturnType<typeof createHash>): void {
  for (const entry of readdirSync(dir).sort()) {
    if (entry === 'node_modules' || entry.startsWith('.')) continue;
    const full = join(dir, entry);
    const st = statSync(full);
    if (st.isDirectory()) hashTree(full, hash);
    else {
      hash.update(entry);
      hash.update(readFileSync(full));
    }
  }
}

/** `<name>:<sha256 of the chaincode folder>`, like a package id's label and hash. */
export function packageIdOf(name: string, path: string): string {
  const hash = createHash('sha256');
  hashTree(path, hash);
  return `${name}:${hash.digest('hex')}`;
}

/** A deployed chaincode as the CLI sees it: its install info and the folder it runs from. */
export interface InstalledChaincode {
  readonly name: string;
  readonly info: InstallInfo & { readonly path: string };
}

/** Names of the chaincodes with an install file, whether or not the file still parses. */
export function installedChaincodeNames(config: DevnetConfig): string[] {
  if (!existsSync(config.installDir)) return [];
  return readdirSync(config.installDir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => f.slice(0, -'.json'.length));
}

/** @throws DevnetError `CORRUPT_STATE` if the install file does not parse. */
export function readInstalledChaincode(config: DevnetConfig, name: string): InstalledChaincode {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(join(config.installDir, `${name}.json`), 'utf8'));
  } catch (cause) {
    throw new DevnetError('CORRUPT_STATE', `install info of ${name} is not JSON`, { cause });
  }
  const info = parseInstallInfo(raw);
  const path =
    typeof raw === 'object' && raw !== null && 'path' in raw && typeof raw.path === 'string' ? raw.path : '';
  return { name, info: { ...info, path } };
}

/** @throws DevnetError `CORRUPT_STATE` if an install file does not parse. */
export function installedChaincodes(config: DevnetConfig): InstalledChaincode[] {
  return installedChaincodeNames(config).map((name) => readInstalledChaincode(config, name));
}

/** The pid-file name of org `orgKey`'s server for chaincode `name`, e.g. `chaincode-counter-lab-1`. */
export function chaincodeProcessName(name: string, orgKey: string): string {
  return `chaincode-${name}-${orgKey}`;
}

function shimCli(chaincodePath: string): string {
  try {
    return require.resolve('fabric-shim/cli.js', { paths: [chaincodePath] });
  } catch {
    throw new DevnetError(
      'FAILED_PRECONDITION',
      `${chaincodePath} does not depend on fabric-shim (fabric-contract-api chaincode needs it)`,
    );
  }
}

/**
 * The environment of org `mspId`'s chaincode server: the shim reads its options from `CORE_*`
 * variables too (fabric-shim cli.js `yargs.env('CORE')`), so none leaks in from the CLI's own
 * environment; `CORE_PEER_LOCALMSPID` is what `ctx.stub.getMspID()` answers (fabric-shim lib/stub.js).
 */
function chaincodeServerEnv(mspId: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('CORE_')) env[key] = value;
  return { ...env, CORE_PEER_LOCALMSPID: mspId, CORE_CHAINCODE_LOGGING_LEVEL: 'warning' };
}

/**
 * Starts every peer org's server for an install that is not running (each org runs its own, as with
 * Fabric's chaincode-as-a-service), then waits until all of them accept connections.
 * @throws DevnetError `CORRUPT_STATE` if the install has no server for an org.
 */
export async function startChaincodeServers(
  config: DevnetConfig,
  paths: SupervisorDirs,
  installed: InstalledChaincode,
): Promise<void> {
  const { name, info } = installed;
  const cli = shimCli(info.path);
  const started: Promise<void>[] = [];
  for (const org of config.peerOrgs) {
    const procName = chaincodeProcessName(name, org.key);
    if (readRunningPid(paths, procName) !== undefined) continue;
    const address = info.servers[org.key];
    if (address === undefined)
      throw new DevnetError('CORRUPT_STATE', `install info of ${name} has no server for org ${org.key}`);
    const { pid } = startSupervisedProcess({
      dirs: paths,
      name: procName,
      command: process.execPath,
      args: [cli, 'server', '--chaincode-address', address, '--chaincode-id', info.packageId],
      cwd: info.path,
      env: chaincodeServerEnv(org.mspId),
      // The shim's script identifies the server in /proc/<pid>/cmdline.
      pidFileMarker: cli,
    });
    started.push(
      waitForPort({
        name: procName,
        port: Number.parseInt(address.split(':')[1] ?? '', 10),
        isAlive: () => isProcessAlive(pid),
        logFile: logFilePath(paths, procName),
      }),
    );
  }
  await Promise.all(started);
}

/** Stops every org's server of chaincode `name` (and the single shared one older devnets ran). */
export async function stopChaincodeServers(
  config: DevnetConfig,
  paths: SupervisorDirs,
  name: string,
): Promise<string[]> {
  const stopped: string[] = [];
  for (const procName of [
    `chaincode-${name}`,
    ...config.peerOrgs.map((o) => chaincodeProcessName(name, o.key)),
  ])
    if (await stopProcessByPidFile(paths, procName)) stopped.push(procName);
  return stopped;
}

/**
 * One server address per peer org: the install's own for the orgs it already serves; for a new
 * install the first block of consecutive free ports from the chaincode port base, and for an org
 * added to the network since, the lowest free port, so the other orgs' servers keep theirs.
 */
function serverAddresses(
  config: DevnetConfig,
  name: string,
  installs: readonly InstalledChaincode[],
): Record<string, string> {
  const existing = installs.find((i) => i.name === name)?.info.servers ?? {};
  const servers: Record<string, string> = {};
  for (const org of config.peerOrgs) {
    const address = existing[org.key];
    if (address !== undefined) servers[org.key] = address;
  }
  const missing = config.peerOrgs.filter((o) => servers[o.key] === undefined);
  if (missing.length === 0) return servers;
  const used = new Set(installs.flatMap((i) => Object.values(i.info.servers)));
  const free = (port: number): boolean => !used.has(`127.0.0.1:${port}`);
  if (Object.keys(servers).length === 0) {
    const count = config.peerOrgs.length;
    let first = config.chaincodePortBase;
    while (!Array.from({ length: count }, (_, i) => first + i).every(free)) first++;
    return Object.fromEntries(config.peerOrgs.map((o, i) => [o.key, `127.0.0.1:${first + i}`]));
  }
  let port = config.chaincodePortBase;
  for (const org of missing) {
    while (!free(port)) port++;
    const address = `127.0.0.1:${port}`;
    servers[org.key] = address;
    used.add(address);
  }
  return servers;
}

function writeInstallInfo(config: DevnetConfig, installed: InstalledChaincode): void {
  mkdirSync(config.installDir, { recursive: true });
  writeFileSync(
    join(config.installDir, `${installed.name}.json`),
    `${JSON.stringify(installed.info, null, 2)}\n`,
  );
}

/**
 * The install with a server for every peer org of the network: an org added since the chaincode was
 * deployed gets its own server address, recorded in the install file (the peers re-read it).
 */
export function withServersForEveryOrg(
  config: DevnetConfig,
  installed: InstalledChaincode,
  log: (m: string) => void,
): InstalledChaincode {
  const servers = serverAddresses(config, installed.name, installedChaincodes(config));
  const added = Object.keys(servers).filter((org) => installed.info.servers[org] === undefined);
  if (added.length === 0) return installed;
  const extended: InstalledChaincode = { name: installed.name, info: { ...installed.info, servers } };
  writeInstallInfo(config, extended);
  log(
    `chaincode ${installed.name}: servers for ${added.map((org) => `${org} at ${servers[org] ?? '?'}`).join(', ')}`,
  );
  return extended;
}

function readVersion(path: string): string {
  const raw: unknown = JSON.parse(readFileSync(join(path, 'package.json'), 'utf8'));
  if (typeof raw === 'object' && raw !== null && 'version' in raw && typeof raw.version === 'string')
    return raw.version;
  return '1.0';
}

export async function deploy(
  config: DevnetConfig,
  paths: SupervisorDirs,
  request: DeployRequest,
  log: (m: string) => void,
): Promise<void> {
  try {
    // A channel configuration reference is resolved when it is used, as Fabric does.
    if (!isPolicyReference(request.policy)) parseSignaturePolicy(request.policy);
  } catch (err) {
    // peer lifecycle's own words (internal/peer/lifecycle/chaincode/common.go), with the parser's reason.
    throw new DevnetError(
      'INVALID_CONFIG',
      `invalid signature policy: ${request.policy}: ${err instanceof Error ? err.message : String(err)}`,
      { cause: err },
    );
  }
  const path = resolve(request.path);
  if (!existsSync(join(path, 'package.json')))
    throw new DevnetError('FAILED_PRECONDITION', `${path} has no package.json`);
  const packageId = packageIdOf(request.name, path);
  const installs = installedChaincodes(config);
  const existing = installs.find((i) => i.name === request.name);
  const servers = serverAddresses(config, request.name, installs);
  const installed: InstalledChaincode = { name: request.name, info: { packageId, servers, path } };
  // Servers that keep their code and address keep running; an org added since only gets its own.
  const unchanged =
    existing?.info.packageId === packageId &&
    Object.entries(existing.info.servers).every(([org, address]) => servers[org] === address);
  if (!unchanged) {
    await stopChaincodeServers(config, paths, request.name);
    writeInstallInfo(config, installed);
    log(
      `installed ${packageId.slice(0, request.name.length + 13)}… serving at ${Object.values(servers).join(', ')}`,
    );
  } else if (Object.keys(servers).length !== Object.keys(existing.info.servers).length) {
    writeInstallInfo(config, installed);
  }
  await startChaincodeServers(config, paths, installed);

  const version = request.version ?? readVersion(path);
  const profile = readNetworkProfile(config.profileFile);
  const connection = connectGateway(profile, DEFAULT_ADMIN);
  try {
    const lifecycle = connection.gateway.getNetwork(config.channelId).getContract('_lifecycle');
    let current: ChaincodeDefinition | undefined;
    try {
      current = decodeDefinition(
        await lifecycle.evaluateTransaction('QueryChaincodeDefinition', request.name),
      );
    } catch {
      // Not defined yet (404) or unreadable: define it from sequence 1.
      current = undefined;
    }
    if (
      current !== undefined &&
      current.version === version &&
      current.endorsementPolicy === request.policy
    ) {
      log(
        `chaincode ${request.name} ${version} already defined on ${config.channelId} (sequence ${current.sequence})`,
      );
      return;
    }
    const sequence = (current?.sequence ?? 0) + 1;
    await lifecycle.submitTransaction(
      'CommitChaincodeDefinition',
      JSON.stringify({ name: request.name, version, sequence, endorsementPolicy: request.policy }),
    );
    log(
      `defined chaincode ${request.name} ${version} on ${config.channelId} (sequence ${sequence}, policy ${request.policy})`,
    );
  } finally {
    connection.close();
  }
}
