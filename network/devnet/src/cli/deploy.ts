/**
 * `deploy`: runs a Node chaincode (fabric-contract-api) as a service and defines it on the channel
 * through the `_lifecycle` system chaincode, as an org admin, via the real Gateway.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { DevnetConfig } from '../config';
import { parseInstallInfo, type InstallInfo } from '../chaincode/registry';
import {
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

export function installedChaincodes(
  config: DevnetConfig,
): { name: string; info: InstallInfo & { path: string } }[] {
  if (!existsSync(config.installDir)) return [];
  return readdirSync(config.installDir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => {
      const raw: unknown = JSON.parse(readFileSync(join(config.installDir, f), 'utf8'));
      const info = parseInstallInfo(raw);
      const path =
        typeof raw === 'object' && raw !== null && 'path' in raw && typeof raw.path === 'string'
          ? raw.path
          : '';
      return { name: f.slice(0, -'.json'.length), info: { ...info, path } };
    });
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

/** Starts (or restarts) the chaincode server for an install. */
export async function startChaincodeServer(
  paths: SupervisorDirs,
  name: string,
  info: InstallInfo & { path: string },
): Promise<void> {
  const procName = `chaincode-${name}`;
  if (readRunningPid(paths, procName) !== undefined) return;
  const port = Number.parseInt(info.address.split(':')[1] ?? '', 10);
  const cli = shimCli(info.path);
  const { pid } = startSupervisedProcess({
    dirs: paths,
    name: procName,
    command: process.execPath,
    args: [cli, 'server', '--chaincode-address', info.address, '--chaincode-id', info.packageId],
    cwd: info.path,
    env: { ...process.env, CORE_CHAINCODE_LOGGING_LEVEL: 'warning' },
    // The shim's script identifies the server in /proc/<pid>/cmdline.
    pidFileMarker: cli,
  });
  await waitForPort({
    name: procName,
    port,
    isAlive: () => isProcessAlive(pid),
    logFile: logFilePath(paths, procName),
  });
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
  const path = resolve(request.path);
  if (!existsSync(join(path, 'package.json')))
    throw new DevnetError('FAILED_PRECONDITION', `${path} has no package.json`);
  const packageId = packageIdOf(request.name, path);
  const installs = installedChaincodes(config);
  const existing = installs.find((i) => i.name === request.name);
  const usedPorts = new Set(installs.filter((i) => i.name !== request.name).map((i) => i.info.address));
  let port = config.chaincodePortBase;
  while (usedPorts.has(`127.0.0.1:${port}`)) port++;
  const address = existing?.info.address ?? `127.0.0.1:${port}`;
  const info = { packageId, address, path };
  if (existing?.info.packageId !== packageId) {
    await stopProcessByPidFile(paths, `chaincode-${request.name}`);
    mkdirSync(config.installDir, { recursive: true });
    writeFileSync(join(config.installDir, `${request.name}.json`), `${JSON.stringify(info, null, 2)}\n`);
    log(`installed ${packageId.slice(0, request.name.length + 13)}… serving at ${address}`);
  }
  await startChaincodeServer(paths, request.name, info);

  const version = request.version ?? readVersion(path);
  const profile = readNetworkProfile(config.profileFile);
  const connection = connectGateway(profile, 'hospital-admin');
  try {
    const lifecycle = connection.gateway.getNetwork(config.channelId).getContract('_lifecycle');
    let current: { version: string; sequence: number; endorsementPolicy: string } | undefined;
    try {
      const raw: unknown = JSON.parse(
        Buffer.from(await lifecycle.evaluateTransaction('QueryChaincodeDefinition', request.name)).toString(
          'utf8',
        ),
      );
      if (typeof raw === 'object' && raw !== null && 'sequence' in raw && typeof raw.sequence === 'number') {
        const r = raw as { version: string; sequence: number; endorsementPolicy: string };
        current = r;
      }
    } catch {
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
