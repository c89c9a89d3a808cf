/**
 * Devnet and real Fabric side by side in one run: the same client workload
 * (bench/devnet/submit-commit.ts), the same machine and the same 100 ms batch timeout, each network
 * in its own state folder, started and stopped by this script. Prints a table with devnet ÷ Fabric.
 * Real Fabric needs FABRIC_BIN; without it only the devnet row is printed.
 * Usage: npx tsx bench/network/compare.ts [--total 1000] [--concurrency 64] [--sequential 50]
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '@veriscan/devnet';

interface Figures {
  readonly p50: number;
  readonly p95: number;
  readonly tps: number;
}

const root = join(__dirname, '..', '..');

function measure(network: 'devnet' | 'fabric', args: readonly string[]): Figures {
  const env = {
    ...process.env,
    VERISCAN_NETWORK: network,
    VERISCAN_HOME: join(loadConfig().stateDir, `bench-${network}`),
    ...(network === 'devnet' ? { VERISCAN_DEVNET_PORT_BASE: '27050' } : {}),
  };
  const result = spawnSync(
    join(root, 'node_modules', '.bin', 'tsx'),
    [join(root, 'bench', 'devnet', 'submit-commit.ts'), ...args],
    {
      cwd: root,
      env,
      encoding: 'utf8',
    },
  );
  process.stdout.write(result.stdout);
  if (result.status !== 0) throw new Error(`${network} benchmark failed:\n${result.stderr}`);
  const latency = /p50 ([\d.]+) ms, p95 ([\d.]+) ms/.exec(result.stdout);
  const throughput = /: (\d+) committed tx\/s/.exec(result.stdout);
  if (latency === null || throughput === null)
    throw new Error(`unexpected benchmark output:\n${result.stdout}`);
  return { p50: Number(latency[1]), p95: Number(latency[2]), tps: Number(throughput[1]) };
}

function main(): void {
  const { values } = parseArgs({
    options: {
      total: { type: 'string', default: '1000' },
      concurrency: { type: 'string', default: '64' },
      sequential: { type: 'string', default: '50' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(
      'usage: npx tsx bench/network/compare.ts [--total N] [--concurrency N] [--sequential N]\n',
    );
    return;
  }
  const args = [
    '--total',
    values.total,
    '--concurrency',
    values.concurrency,
    '--sequential',
    values.sequential,
  ];
  const devnet = measure('devnet', args);
  const fabric =
    process.env.FABRIC_BIN !== undefined && process.env.FABRIC_BIN !== ''
      ? measure('fabric', args)
      : undefined;
  const row = (name: string, f: Figures | undefined): string =>
    f === undefined
      ? `| ${name.padEnd(9)} | ${'not run (FABRIC_BIN not set)'.padEnd(44)} |`
      : `| ${name.padEnd(9)} | ${f.p50.toFixed(1).padStart(8)} | ${f.p95.toFixed(1).padStart(8)} | ${String(f.tps).padStart(18)} |`;
  const ratio = (a: number, b: number | undefined): string =>
    b === undefined || b === 0 ? '-' : (a / b).toFixed(2);
  process.stdout.write(
    [
      '',
      `submit-to-commit (${values.sequential} sequential writes) and throughput (${values.total} writes at concurrency ${values.concurrency}); batch timeout 100 ms on both`,
      '| network   | p50 (ms) | p95 (ms) | throughput (tx/s)  |',
      '| --------- | -------- | -------- | ------------------ |',
      row('devnet', devnet),
      row('fabric', fabric),
      `| devnet ÷ fabric | ${ratio(devnet.p50, fabric?.p50)} | ${ratio(devnet.p95, fabric?.p95)} | ${ratio(devnet.tps, fabric?.tps)} |`,
      '',
    ].join('\n'),
  );
}

main();
