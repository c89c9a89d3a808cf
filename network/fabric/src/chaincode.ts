/**
 * Chaincode `veriscan` through the v2 lifecycle, as chaincode-as-a-service: each org packages a
 * connection.json pointing at its own chaincode server (the same `fabric-chaincode-node server` the devnet
 * runs), installs it on its peer, starts the server with the installed package id and approves; then one
 * commit endorsed by a majority of the orgs' peers (the channel's LifecycleEndorsement). Every step is skipped when already done.
 */
import { existsSync, mkdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FabricBinaries } from './binaries';
import { ccaasPackage } from './ccaas-package';
import type { ChaincodeTls } from './chaincode-tls';
import { ordererArgs } from './channel';
import { peerOrgMaterial } from './crypto';
import { FabricNetworkError } from './errors';
import { chaincodeServerEnv, peerAdminEnv, type ProcessEnv } from './node-env';
import { runCommand, tryRunCommand } from './run';
import {
  CHAINCODE,
  CHANNEL,
  launcherCryptoLayout,
  runningPeerOrgs,
  type FabricPeerOrg,
  type LauncherPaths,
  type OrdererNode,
} from './topology';

/** A package written to disk. */
export interface WrittenPackage {
  readonly file: string;
  readonly packageId: string;
}

/** How to start a chaincode server. */
export interface ChaincodeServerCommand {
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd: string;
  readonly env: ProcessEnv;
}

/** The chaincode's entry point, which the chaincode server loads. */
function chaincodeEntry(paths: LauncherPaths): string {
  return join(paths.chaincodeDir, 'dist', 'index.js');
}

/** True when the chaincode has been compiled. */
export function chaincodeIsBuilt(paths: LauncherPaths): boolean {
  return existsSync(chaincodeEntry(paths));
}

/**
 * Compiles the chaincode (incremental: a no-op when dist/ is current).
 * @throws FabricNetworkError `COMMAND_FAILED` when tsc fails, `NOT_BUILT` when it wrote no entry point.
 */
export function buildChaincode(paths: LauncherPaths, log: (message: string) => void): void {
  log('building the chaincode (tsc -b chaincode, with the packages it references)');
  runCommand(join(paths.root, 'node_modules', '.bin', 'tsc'), ['-b', 'chaincode'], {
    cwd: paths.root,
    timeoutMs: 300_000,
  });
  if (!chaincodeIsBuilt(paths))
    throw new FabricNetworkError('NOT_BUILT', 'chaincode/dist/index.js was not built');
}

/**
 * Writes `org`'s package to .veriscan/fabric/packages/ and returns its file and id. `tls` (from
 * ensureChaincodeTls) puts the peer's TLS settings for the chaincode link into connection.json.
 */
export function writePackage(paths: LauncherPaths, org: FabricPeerOrg, tls: ChaincodeTls): WrittenPackage {
  const { bytes, packageId } = ccaasPackage({
    label: CHAINCODE.label,
    address: `127.0.0.1:${org.chaincodePort}`,
    connection: tls.connection,
  });
  mkdirSync(paths.packages, { recursive: true });
  const file = join(paths.packages, `${CHAINCODE.name}-${org.key}.tar.gz`);
  if (!existsSync(file) || !readFileSync(file).equals(bytes)) writeFileSync(file, bytes);
  return { file, packageId };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The peer CLI's `--output json` answer as an object (empty output is `{}`). */
function parseJsonOutput(text: string, what: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text.trim() === '' ? '{}' : text);
  } catch (error) {
    throw new FabricNetworkError('COMMAND_FAILED', `unexpected output from ${what}: ${text.slice(0, 200)}`, {
      cause: error,
    });
  }
  if (!isRecord(parsed))
    throw new FabricNetworkError('COMMAND_FAILED', `unexpected output from ${what}: ${text.slice(0, 200)}`);
  return parsed;
}

/** The value at `path` inside nested objects, or undefined. */
function fieldAt(value: unknown, path: readonly string[]): unknown {
  let current = value;
  for (const key of path) {
    if (!isRecord(current)) return undefined;
    current = current[key];
  }
  return current;
}

/** Installs `org`'s package on its peer unless the peer already has it. */
export function installPackage(
  paths: LauncherPaths,
  bin: FabricBinaries,
  org: FabricPeerOrg,
  pkg: WrittenPackage,
  log: (message: string) => void,
): void {
  const env = peerAdminEnv(paths, org);
  const listed = runCommand(bin.peer, ['lifecycle', 'chaincode', 'queryinstalled', '--output', 'json'], {
    env,
  });
  const installed = parseJsonOutput(listed.stdout, 'queryinstalled').installed_chaincodes;
  if (Array.isArray(installed) && installed.some((cc) => fieldAt(cc, ['package_id']) === pkg.packageId))
    return;
  log(`installing ${CHAINCODE.label} on ${org.peerName}`);
  runCommand(bin.peer, ['lifecycle', 'chaincode', 'install', pkg.file], { env });
}

/**
 * The argv that runs `org`'s chaincode server (node itself, no npx wrapper, so its pid is the server's):
 * TLS with the launcher-issued server pair, and only clients holding a certificate of the org's TLS CA.
 */
export function chaincodeServerCommand(
  paths: LauncherPaths,
  org: FabricPeerOrg,
  packageId: string,
  tls: ChaincodeTls,
): ChaincodeServerCommand {
  const cli = realpathSync(join(paths.root, 'node_modules', '.bin', 'fabric-chaincode-node'));
  return {
    command: process.execPath,
    args: [
      cli,
      'server',
      '--chaincode-address',
      `127.0.0.1:${org.chaincodePort}`,
      '--chaincode-id',
      packageId,
      '--chaincode-tls-cert-file',
      tls.files.serverCert,
      '--chaincode-tls-key-file',
      tls.files.serverKey,
      '--chaincode-tls-client-cacert-file',
      tls.files.caFile,
    ],
    cwd: paths.chaincodeDir,
    env: chaincodeServerEnv(paths, org),
  };
}

function definitionArgs(): string[] {
  return [
    '--channelID',
    CHANNEL,
    '--name',
    CHAINCODE.name,
    '--version',
    CHAINCODE.version,
    '--sequence',
    String(CHAINCODE.sequence),
    '--channel-config-policy',
    CHAINCODE.channelConfigPolicy,
  ];
}

/**
 * Approves the definition for `org` unless it already has.
 * @throws FabricNetworkError `CONFLICTING_STATE` when the org approved another package for this sequence.
 */
export function approveForOrg(
  paths: LauncherPaths,
  bin: FabricBinaries,
  org: FabricPeerOrg,
  pkg: WrittenPackage,
  orderer: OrdererNode,
  log: (message: string) => void,
): void {
  const env = peerAdminEnv(paths, org);
  const approved = tryRunCommand(
    bin.peer,
    [
      'lifecycle',
      'chaincode',
      'queryapproved',
      '--channelID',
      CHANNEL,
      '--name',
      CHAINCODE.name,
      '--sequence',
      String(CHAINCODE.sequence),
      '--output',
      'json',
    ],
    { env },
  );
  if (approved.status === 0) {
    const current = fieldAt(parseJsonOutput(approved.stdout, 'queryapproved'), [
      'source',
      'Type',
      'LocalPackage',
      'package_id',
    ]);
    if (current === pkg.packageId) return;
    throw new FabricNetworkError(
      'CONFLICTING_STATE',
      `${org.orgName} approved ${CHAINCODE.name} sequence ${CHAINCODE.sequence} with package ${String(current)}, not ${pkg.packageId}: run \`clean\` and \`up\` again`,
    );
  }
  log(`approving ${CHAINCODE.name} for ${org.orgName}`);
  runCommand(
    bin.peer,
    [
      'lifecycle',
      'chaincode',
      'approveformyorg',
      ...ordererArgs(paths, orderer),
      ...definitionArgs(),
      '--package-id',
      pkg.packageId,
    ],
    { env },
  );
}

/** Commits the definition (endorsed by the peers of every endorsing org) unless it is committed. */
export function commitDefinition(
  paths: LauncherPaths,
  bin: FabricBinaries,
  orderer: OrdererNode,
  log: (message: string) => void,
): void {
  const endorsers = runningPeerOrgs(paths).filter((org) => org.endorses);
  const [first] = endorsers;
  if (first === undefined) throw new RangeError('the consortium has no endorsing peer org');
  const env = peerAdminEnv(paths, first);
  const committed = tryRunCommand(
    bin.peer,
    [
      'lifecycle',
      'chaincode',
      'querycommitted',
      '--channelID',
      CHANNEL,
      '--name',
      CHAINCODE.name,
      '--output',
      'json',
    ],
    { env },
  );
  if (committed.status === 0) return;
  const layout = launcherCryptoLayout(paths);
  log(`committing ${CHAINCODE.name} with endorsement policy ${CHAINCODE.channelConfigPolicy}`);
  runCommand(
    bin.peer,
    [
      'lifecycle',
      'chaincode',
      'commit',
      ...ordererArgs(paths, orderer),
      ...definitionArgs(),
      ...endorsers.flatMap((org) => [
        '--peerAddresses',
        `127.0.0.1:${org.peerPort}`,
        '--tlsRootCertFiles',
        peerOrgMaterial(layout, org).tlsCaCertFile,
      ]),
    ],
    { env },
  );
}
