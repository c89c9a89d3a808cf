/**
 * Brings up the network the suite runs against (VERISCAN_NETWORK=devnet, the default, or fabric)
 * through the project's own CLIs, and stops it again only if the suite started it.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '@veriscan/devnet';
import { readNetworkProfile, type NetworkProfile } from '@veriscan/fabric-kit';

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
  const nodes = ['peer0.hospital', 'peer0.lab', 'peer0.regulator'];
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

/** kill -9 of one node (`peer0.lab`, …), as a crash. */
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
