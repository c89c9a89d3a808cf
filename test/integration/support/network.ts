/**
 * Brings up the network the suite runs against (VERISCAN_NETWORK=devnet, the default, or fabric)
 * through the project's own CLIs, and stops it again only if the suite started it.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '@veriscan/devnet';
import type { Contract } from '@hyperledger/fabric-gateway';
import {
  PEER_ORGS,
  connectGateway,
  peerName,
  readNetworkProfile,
  type NetworkProfile,
} from '@veriscan/fabric-kit';

const repoRoot = join(__dirname, '..', '..', '..');
export const networkKind = process.env.VERISCAN_NETWORK === 'fabric' ? 'fabric' : 'devnet';

function cli(): string[] {
  return networkKind === 'fabric'
    ? [join(repoRoot, 'network', 'fabric', 'dist', 'cli.js')]
    : [join(repoRoot, 'network', 'devnet', 'dist', 'cli', 'main.js')];
}

function run(args: readonly string[]): string {
  return execFileSync(process.execPath, [...cli(), ...args], {
    cwd: repoRoot,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

function pidDir(): string {
  const config = loadConfig();
  return networkKind === 'fabric' ? join(config.stateDir, 'fabric', 'pids') : join(config.devnetDir, 'pids');
}

function pidOf(node: string): number | undefined {
  const file = join(pidDir(), `${node}.pid`);
  if (!existsSync(file)) return undefined;
  const pid = Number.parseInt(readFileSync(file, 'utf8').trim(), 10);
  try {
    process.kill(pid, 0);
    return pid;
  } catch {
    return undefined;
  }
}

let startedBySuite = false;

/** Starts the network and deploys the chaincode if they are not running. */
export function ensureNetwork(): void {
  const nodes = PEER_ORGS.map((org) => peerName(org));
  const running = nodes.every((n) => pidOf(n) !== undefined);
  if (!running) {
    startedBySuite = true;
    run(['up']);
  }
  if (networkKind === 'devnet') {
    const cc = loadConfig().veriscanChaincode;
    run(['deploy', '--name', cc.name, '--path', cc.path, '--policy', cc.policy]);
  }
}

export function stopNetworkIfStartedBySuite(): void {
  if (startedBySuite) run(['down']);
}

export function profile(): NetworkProfile {
  return readNetworkProfile(loadConfig().profileFile);
}

/** kill -9 of one node (`peer0.lab-1`, …), as a crash. */
export function killNode(node: string): void {
  const pid = pidOf(node);
  if (pid === undefined) throw new Error(`${node} is not running`);
  process.kill(pid, 'SIGKILL');
  const deadline = Date.now() + 5000;
  while (Date.now() < deadline) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
  }
}

/** Starts whatever nodes are not running (the CLIs' `up` is idempotent). */
export function startMissingNodes(): void {
  run(['up']);
}

/**
 * Submits `tx` and resolves once every peer of the network has committed its block. Fabric commits a
 * block on each peer independently (visibly so on SmartBFT): a transaction endorsed right after a write
 * committed on one peer may read the old value on another, and the gateway then refuses it because the
 * endorsements differ. Tests that build on a write use this instead of `submitTransaction`.
 */
export async function submitEverywhere(
  contract: Contract,
  tx: string,
  ...args: string[]
): Promise<Uint8Array> {
  const submitted = await contract.submitAsync(tx, { arguments: args });
  const status = await submitted.getStatus();
  if (!status.successful)
    throw new Error(`${tx} ${status.transactionId} invalidated with code ${status.code}`);
  const current = profile();
  await Promise.all(
    Object.keys(current.peers).map(async (peerName) => {
      const identity = Object.entries(current.identities).find(([, id]) => id.peer === peerName)?.[0];
      if (identity === undefined) return;
      const connection = connectGateway(current, identity);
      try {
        const blocks = await connection.gateway
          .getNetwork(current.channel)
          .getFilteredBlockEvents({ startBlock: status.blockNumber });
        try {
          for await (const block of blocks) if (block.getNumber() >= status.blockNumber) break;
        } finally {
          blocks.close();
        }
      } finally {
        connection.close();
      }
    }),
  );
  return submitted.getResult();
}

/**
 * Every node's on-disk ledger, by node folder name: block files, and on real Fabric also the state,
 * history and index LevelDBs. The devnet keeps world state in memory, rebuilt from its block files, so
 * its block files are all of its ledger on disk.
 */
export function ledgerFolders(): ReadonlyMap<string, string> {
  const config = loadConfig();
  const roots =
    networkKind === 'fabric'
      ? [join(config.stateDir, 'fabric', 'data')]
      : [join(config.devnetDir, 'peers'), join(config.devnetDir)];
  const folders = new Map<string, string>();
  for (const root of roots) {
    for (const entry of readdirSync(root, { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      if (networkKind === 'devnet' && root === config.devnetDir && entry.name !== 'orderer') continue;
      folders.set(entry.name, join(root, entry.name));
    }
  }
  return folders;
}

/** The folder holding the network nodes' log files. */
export function networkLogFolder(): string {
  const config = loadConfig();
  return networkKind === 'fabric' ? join(config.stateDir, 'fabric', 'logs') : join(config.devnetDir, 'logs');
}
