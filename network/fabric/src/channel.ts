/**
 * The `veriscan` channel on Fabric v3 (no system channel): configtxgen writes the genesis block, each
 * orderer joins through osnadmin (channel participation API), each peer's admin runs `peer channel join`.
 * Every step checks first, so `up` can be run again on a half-started network.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { renderConfigtxYaml, type HostMode } from './configtx';
import type { FabricBinaries } from './binaries';
import { ordererMaterial, ordererOrgMaterial } from './crypto';
import { FabricNetworkError } from './errors';
import { osnadminTlsArgs, peerAdminEnv } from './node-env';
import { runCommand, tryRunCommand } from './run';
import {
  launcherCryptoLayout,
  CHANNEL,
  ordererNodes,
  type ChosenTopology,
  type FabricPeerOrg,
  type LauncherPaths,
  type OrdererNode,
} from './topology';

/** Where {@link renderConfigtx} writes and which hosts it names. */
export type RenderConfigtxOptions = Readonly<{
  /** Default: `.veriscan/fabric/config`. */
  outDir?: string;
  /** `native` (127.0.0.1, the default) or `compose` (the nodes' DNS names). */
  mode?: HostMode;
}>;

/**
 * Writes configtx.yaml, generated from the consortium table and the crypto material, into `outDir`.
 * @throws FabricNetworkError `INCOMPLETE_CRYPTO` for a missing orderer certificate.
 */
export function renderConfigtx(paths: LauncherPaths, options: RenderConfigtxOptions = {}): void {
  const outDir = options.outDir ?? paths.renderedConfig;
  const layout = launcherCryptoLayout(paths);
  for (const node of ordererNodes(4)) {
    const orderer = ordererMaterial(layout, node);
    if (!existsSync(orderer.signCertFile))
      throw new FabricNetworkError(
        'INCOMPLETE_CRYPTO',
        `no signing certificate for ${node.name} in ${dirname(orderer.mspDir)}`,
      );
  }
  mkdirSync(outDir, { recursive: true });
  writeFileSync(
    join(outDir, 'configtx.yaml'),
    renderConfigtxYaml({ layout, mode: options.mode ?? 'native' }),
  );
}

/** What {@link writeGenesisBlock} runs configtxgen on. */
export type GenesisBlockRequest = Readonly<{
  /** Folder of the rendered configtx.yaml. */
  configDir: string;
  /** The configtx.yaml profile, e.g. `VeriscanRaft1`. */
  profile: string;
  /** The block file to write. */
  block: string;
}>;

/** Runs configtxgen for `profile` on the configtx.yaml in `configDir`, writing the genesis block to `block`. */
export function writeGenesisBlock(bin: FabricBinaries, request: GenesisBlockRequest): void {
  mkdirSync(dirname(request.block), { recursive: true });
  runCommand(bin.configtxgen, [
    '-configPath',
    request.configDir,
    '-profile',
    request.profile,
    '-outputBlock',
    request.block,
    '-channelID',
    CHANNEL,
  ]);
}

/** Writes the channel's genesis block once; later runs reuse it (the orderers' ledgers start from it). */
export function ensureGenesisBlock(
  paths: LauncherPaths,
  bin: FabricBinaries,
  topology: ChosenTopology,
  log: (message: string) => void,
): void {
  if (existsSync(paths.channelBlock)) return;
  renderConfigtx(paths);
  log(`writing the genesis block of channel ${CHANNEL} (profile ${topology.profile})`);
  writeGenesisBlock(bin, {
    configDir: paths.renderedConfig,
    profile: topology.profile,
    block: paths.channelBlock,
  });
}

/** Joins every orderer of the topology to the channel unless it already serves it. */
export function joinOrderers(
  paths: LauncherPaths,
  bin: FabricBinaries,
  topology: ChosenTopology,
  log: (message: string) => void,
): void {
  for (const node of ordererNodes(topology.orderers)) {
    const endpoint = `127.0.0.1:${node.adminPort}`;
    const listed = tryRunCommand(bin.osnadmin, [
      'channel',
      'list',
      '--channelID',
      CHANNEL,
      '-o',
      endpoint,
      ...osnadminTlsArgs(paths),
    ]);
    if (listed.status === 0 && /Status:\s*200/.test(listed.stdout + listed.stderr)) continue;
    log(`joining ${node.name} to ${CHANNEL}`);
    const joined = runCommand(bin.osnadmin, [
      'channel',
      'join',
      '--channelID',
      CHANNEL,
      '--config-block',
      paths.channelBlock,
      '-o',
      endpoint,
      ...osnadminTlsArgs(paths),
    ]);
    if (!/Status:\s*201/.test(joined.stdout + joined.stderr)) {
      throw new FabricNetworkError(
        'COMMAND_FAILED',
        `osnadmin channel join on ${node.name} did not succeed:\n${joined.stdout}${joined.stderr}`,
      );
    }
  }
}

/** Joins `org`'s peer to the channel unless `peer channel list` already shows it. */
export function joinPeer(
  paths: LauncherPaths,
  bin: FabricBinaries,
  org: FabricPeerOrg,
  log: (message: string) => void,
): void {
  const env = peerAdminEnv(paths, org);
  const listed = runCommand(bin.peer, ['channel', 'list'], { env });
  if (listed.stdout.split('\n').some((line) => line.trim() === CHANNEL)) return;
  log(`joining ${org.peerName} to ${CHANNEL}`);
  runCommand(bin.peer, ['channel', 'join', '-b', paths.channelBlock], { env });
}

/**
 * Waits until `org`'s peer accepts its own admin on the channel (`peer channel getinfo`). A peer that
 * joins after its org was added by a configuration update replays the chain from block 0 and refuses
 * its own org's identities ("creator org unknown") until it has applied that config block.
 * @throws FabricNetworkError `NOT_READY` when it still refuses after `timeoutMs`.
 */
export async function waitPeerKnowsOwnOrg(
  paths: LauncherPaths,
  bin: FabricBinaries,
  org: FabricPeerOrg,
  timeoutMs = 60_000,
): Promise<void> {
  const env = peerAdminEnv(paths, org);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const info = tryRunCommand(bin.peer, ['channel', 'getinfo', '-c', CHANNEL], { env });
    if (info.status === 0) return;
    if (Date.now() > deadline)
      throw new FabricNetworkError(
        'NOT_READY',
        `${org.peerName} does not accept ${org.mspId}'s admin on ${CHANNEL} after ${timeoutMs} ms: ${info.stderr.trim().split('\n').at(-1) ?? ''}`,
      );
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** Arguments that send the peer CLI's lifecycle transactions to orderer `node`, with its TLS CA. */
export function ordererArgs(paths: LauncherPaths, node: OrdererNode): string[] {
  return [
    '-o',
    `127.0.0.1:${node.port}`,
    '--tls',
    '--cafile',
    ordererOrgMaterial(launcherCryptoLayout(paths)).tlsCaCertFile,
  ];
}
