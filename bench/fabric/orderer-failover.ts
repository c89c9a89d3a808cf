/**
 * Loses one orderer of the native network while submitting, and reports whether submissions continue.
 * Keeps one IncrementProbe (distinct keys) in flight at a time as hospital-a, stops the consensus leader
 * (Raft leader or SmartBFT leader, from `npm run fabric -- status --json`) after `--before` seconds, keeps
 * submitting for `--after` seconds, then restarts the node with `npm run fabric -- up --no-build`.
 *
 * Run with a 3-orderer Raft or 4-orderer BFT network up:
 *   npx tsx bench/fabric/orderer-failover.ts [--before 3] [--after 30] [--node orderer1]
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadProfile, openSession, runId } from './profile-client';
import { Tx } from '@veriscan/ledger-api';

// The launcher's compiled CLI (`npm run fabric`; built by `npm run build`).
const launcher = join(__dirname, '..', '..', 'network', 'fabric', 'dist', 'cli.js');

function launch(args: readonly string[]): string {
  const result = spawnSync(process.execPath, [launcher, ...args], { encoding: 'utf8' });
  if (result.status !== 0 && args[0] !== 'status')
    throw new Error(`npm run fabric -- ${args.join(' ')} failed:\n${result.stderr}`);
  return result.stdout;
}

function leaderFromStatus(): string {
  const parsed: unknown = JSON.parse(launch(['status', '--json']));
  if (
    typeof parsed === 'object' &&
    parsed !== null &&
    'leader' in parsed &&
    typeof parsed.leader === 'string'
  )
    return parsed.leader;
  throw new Error('status --json names no consensus leader (is a Raft-3 or BFT network up?)');
}

interface Attempt {
  readonly atMs: number;
  readonly ok: boolean;
  readonly ms: number;
  readonly error?: string;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const flag = (name: string, fallback: string): string => {
    const i = argv.indexOf(name);
    return i >= 0 ? (argv[i + 1] ?? fallback) : fallback;
  };
  const beforeMs = Number(flag('--before', '3')) * 1000;
  const afterMs = Number(flag('--after', '30')) * 1000;
  const victim = argv.includes('--node') ? flag('--node', '') : leaderFromStatus();

  const session = openSession(loadProfile(), 'hospital-a');
  const id = runId();
  const attempts: Attempt[] = [];
  const start = performance.now();
  let stoppedAt: number | null = null;
  try {
    for (let i = 0; performance.now() - start < beforeMs + afterMs; i += 1) {
      if (stoppedAt === null && performance.now() - start >= beforeMs) {
        launch(['stop-node', victim]);
        stoppedAt = performance.now() - start;
      }
      const t0 = performance.now();
      try {
        await session.contract.submitTransaction(Tx.IncrementProbe, `${id}-${i}`);
        attempts.push({ atMs: t0 - start, ok: true, ms: performance.now() - t0 });
      } catch (error) {
        attempts.push({
          atMs: t0 - start,
          ok: false,
          ms: performance.now() - t0,
          error: error instanceof Error ? error.message : String(error),
        });
      }
    }
  } finally {
    session.close();
  }
  launch(['up', '--no-build']);

  const afterStop = attempts.filter((a) => stoppedAt !== null && a.atMs >= stoppedAt);
  const failures = afterStop.filter((a) => !a.ok);
  const lastOk = afterStop.filter((a) => a.ok);
  const slowest = afterStop.reduce((max, a) => Math.max(max, a.ms), 0);
  process.stdout.write(
    [
      `stopped ${victim} at ${((stoppedAt ?? 0) / 1000).toFixed(1)}s`,
      `after the stop: ${String(afterStop.length)} submissions, ${String(lastOk.length)} committed, ${String(failures.length)} failed, slowest ${slowest.toFixed(0)} ms`,
      ...failures
        .slice(0, 5)
        .map(
          (f) => `  failed at ${(f.atMs / 1000).toFixed(1)}s after ${f.ms.toFixed(0)} ms: ${f.error ?? ''}`,
        ),
      `${victim} restarted with \`npm run fabric -- up --no-build\``,
      '',
    ].join('\n'),
  );
  if (lastOk.length === 0) process.exitCode = 1;
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
