/**
 * Devnet (or real Fabric, with VERISCAN_NETWORK=fabric) submit-to-commit latency at low load and
 * throughput of a trivial write under concurrency, through fabric-gateway. Prints figures; asserts
 * nothing. Usage: npx tsx bench/devnet/submit-commit.ts [--sequential 50] [--total 1000] [--concurrency 64]
 */
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { connectGateway } from '@veriscan/fabric-kit';
import {
  ensureNetwork,
  networkKind,
  profile,
  stopNetworkIfStartedBySuite,
} from '../../test/integration/support/network';
import { Tx } from '@veriscan/ledger-api';
import { setupConsortium } from '../../scripts/setup-consortium';

function percentile(sorted: readonly number[], p: number): number {
  const i = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, i)] ?? Number.NaN;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      sequential: { type: 'string', default: '50' },
      total: { type: 'string', default: '1000' },
      concurrency: { type: 'string', default: '64' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(
      'usage: npx tsx bench/devnet/submit-commit.ts [--sequential N] [--total N] [--concurrency N]\n',
    );
    return;
  }
  const sequential = Number.parseInt(values.sequential, 10);
  const total = Number.parseInt(values.total, 10);
  const concurrency = Number.parseInt(values.concurrency, 10);
  ensureNetwork();
  // PutProbe writes as an active member: the genesis must be recorded (idempotent when it is).
  await setupConsortium({ profile: profile(), log: () => undefined });
  const connection = connectGateway(profile(), 'hospital-a');
  const contract = connection.gateway.getNetwork(profile().channel).getContract('veriscan');
  const run = randomUUID().slice(0, 8);
  try {
    // Warm-up: connections and the chaincode stream.
    for (let i = 0; i < 5; i++) await contract.submitTransaction(Tx.PutProbe, `warm-${run}-${i}`, 'w');

    const latencies: number[] = [];
    for (let i = 0; i < sequential; i++) {
      const t0 = process.hrtime.bigint();
      await contract.submitTransaction(Tx.PutProbe, `lat-${run}-${i}`, 'x');
      latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
    latencies.sort((a, b) => a - b);

    let next = 0;
    let failed = 0;
    const t0 = process.hrtime.bigint();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < total) {
          const i = next++;
          try {
            await contract.submitTransaction(Tx.PutProbe, `tput-${run}-${i}`, 'y');
          } catch {
            failed++;
          }
        }
      }),
    );
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    const committed = total - failed;
    process.stdout.write(
      [
        `network: ${networkKind}`,
        `submit-to-commit latency, ${sequential} sequential writes: p50 ${percentile(latencies, 50).toFixed(1)} ms, p95 ${percentile(latencies, 95).toFixed(1)} ms (batch timeout 100 ms; target p50 <= 150 ms)`,
        `throughput, ${total} writes at concurrency ${concurrency}: ${(committed / seconds).toFixed(0)} committed tx/s over ${seconds.toFixed(2)} s (${failed} failed; target >= 300 tx/s)`,
        '',
      ].join('\n'),
    );
  } finally {
    connection.close();
    stopNetworkIfStartedBySuite();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
