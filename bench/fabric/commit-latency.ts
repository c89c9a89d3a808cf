/**
 * Submit-to-commit latency and trivial-write throughput against the network in `.veriscan/network.json`
 * (real Fabric via `npm run fabric -- up`, or the devnet: the script only reads the profile).
 *
 * 1. `sequential` (default 50) System:IncrementProbe on distinct keys, one at a time, as hospital-a:
 *    p50/p95 of endorse, submit and commit-wait, and of the whole submit-to-commit.
 * 2. `concurrent` (default 500) System:PutProbe on distinct keys, all at once: wall time, tx/s, how many
 *    committed VALID.
 *
 * Run: `npx tsx bench/fabric/commit-latency.ts [--sequential 50] [--concurrent 500] [--json]`.
 */
import { performance } from 'node:perf_hooks';
import { loadProfile, openSession, runId, type Session } from './profile-client';
import { Tx } from '@veriscan/ledger-api';

interface Options {
  readonly sequential: number;
  readonly concurrent: number;
  readonly json: boolean;
}

function parseOptions(argv: readonly string[]): Options {
  let sequential = 50;
  let concurrent = 500;
  let json = false;
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    const next = (): number => {
      const value = Number.parseInt(argv[i + 1] ?? '', 10);
      if (!Number.isInteger(value) || value < 1) throw new Error(`${String(arg)} needs a positive integer`);
      i += 1;
      return value;
    };
    if (arg === '--sequential') sequential = next();
    else if (arg === '--concurrent') concurrent = next();
    else if (arg === '--json') json = true;
    else throw new Error(`unknown argument ${String(arg)}`);
  }
  return { sequential, concurrent, json };
}

/** Nearest-rank percentile of `values` (sorted copy). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] ?? Number.NaN;
}

interface Timing {
  readonly endorseMs: number;
  readonly submitMs: number;
  readonly commitMs: number;
  readonly totalMs: number;
}

async function timedIncrement(session: Session, key: string): Promise<Timing> {
  const t0 = performance.now();
  const transaction = await session.contract.newProposal(Tx.IncrementProbe, { arguments: [key] }).endorse();
  const t1 = performance.now();
  const commit = await transaction.submit();
  const t2 = performance.now();
  const status = await commit.getStatus();
  const t3 = performance.now();
  if (!status.successful) throw new Error(`IncrementProbe ${key} committed with code ${status.code}`);
  return { endorseMs: t1 - t0, submitMs: t2 - t1, commitMs: t3 - t2, totalMs: t3 - t0 };
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const profile = loadProfile();
  const session = openSession(profile, 'hospital-a');
  const id = runId();
  try {
    for (let i = 0; i < 3; i += 1) await timedIncrement(session, `${id}-warm-${i}`);

    const timings: Timing[] = [];
    for (let i = 0; i < options.sequential; i += 1)
      timings.push(await timedIncrement(session, `${id}-seq-${i}`));

    const started = performance.now();
    const results = await Promise.allSettled(
      Array.from({ length: options.concurrent }, (_, i) =>
        session.contract.submitTransaction(Tx.PutProbe, `${id}-par-${i}`, 'x'),
      ),
    );
    const wallMs = performance.now() - started;
    const valid = results.filter((r) => r.status === 'fulfilled').length;
    const firstFailure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');

    const stat = (pick: (t: Timing) => number): { p50: number; p95: number } => ({
      p50: percentile(timings.map(pick), 50),
      p95: percentile(timings.map(pick), 95),
    });
    const report = {
      network: profile.network,
      sequential: {
        count: options.sequential,
        submitToCommitMs: stat((t) => t.totalMs),
        endorseMs: stat((t) => t.endorseMs),
        submitMs: stat((t) => t.submitMs),
        commitWaitMs: stat((t) => t.commitMs),
      },
      concurrent: {
        count: options.concurrent,
        wallMs,
        txPerSecond: (valid / wallMs) * 1000,
        valid,
        failed: options.concurrent - valid,
        firstFailure: firstFailure === undefined ? null : String(firstFailure.reason),
      },
    };
    if (options.json) {
      process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
      return;
    }
    const ms = (v: number): string => `${v.toFixed(1)} ms`;
    const s = report.sequential;
    process.stdout.write(
      [
        `network: ${report.network}`,
        `${String(s.count)} sequential IncrementProbe (distinct keys)`,
        `  submit-to-commit  p50 ${ms(s.submitToCommitMs.p50)}  p95 ${ms(s.submitToCommitMs.p95)}`,
        `  endorse           p50 ${ms(s.endorseMs.p50)}  p95 ${ms(s.endorseMs.p95)}`,
        `  submit (orderer)  p50 ${ms(s.submitMs.p50)}  p95 ${ms(s.submitMs.p95)}`,
        `  commit wait       p50 ${ms(s.commitWaitMs.p50)}  p95 ${ms(s.commitWaitMs.p95)}`,
        `${String(report.concurrent.count)} concurrent PutProbe (distinct keys)`,
        `  wall ${ms(report.concurrent.wallMs)}  throughput ${report.concurrent.txPerSecond.toFixed(1)} tx/s  valid ${String(valid)}  failed ${String(report.concurrent.failed)}`,
        ...(report.concurrent.firstFailure === null
          ? []
          : [`  first failure: ${report.concurrent.firstFailure}`]),
        '',
      ].join('\n'),
    );
  } finally {
    session.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
