// Raw onnxruntime latency and throughput of each brain-tissue version on the sample scans, with 1 and 2
// intra-op threads: the ceiling the whole lab service is compared with (issue 5; target p50 < 50 ms per
// 256 x 256 slice). Also the end-to-end runtime (decode, preprocess, run, postprocess, trace) for reference.
// Run: npx tsx bench/inference/onnx.ts [runs per configuration, default 60]
// The machine is shared (2 cores): figures vary with the load printed at the top.
import { readFileSync, readdirSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { type Tensor, parseSalt } from '@veriscan/protocol';
import {
  type LoadedModel,
  ModelStore,
  decodeScan,
  instructionSetFromCpuinfo,
  preprocess,
  runInference,
} from '@veriscan/inference-lab/runtime';

const ROOT = join(__dirname, '..', '..');
const SCANS = join(ROOT, 'test', 'fixtures', 'scans');
const MODELS = join(ROOT, 'inference-lab', 'models', 'brain-tissue');
const VERSIONS = ['1.0.0', '1.1.0'] as const;
const THREADS = [1, 2] as const;
const RUNS = Number.parseInt(process.argv[2] ?? '60', 10);
const WARMUP = 5;
const TARGET_P50_MS = 50;

interface Stats {
  readonly p50: number;
  readonly p95: number;
  readonly mean: number;
  readonly perSecond: number;
}

function stats(times: readonly number[], wallMs: number): Stats {
  const sorted = [...times].sort((a, b) => a - b);
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return {
    p50: at(0.5),
    p95: at(0.95),
    mean: times.reduce((a, b) => a + b, 0) / times.length,
    perSecond: (times.length * 1000) / wallMs,
  };
}

function nowMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

/** Sequential runs cycling through the inputs; each run timed on its own. */
async function timeRuns(count: number, inputs: number, run: (i: number) => Promise<unknown>): Promise<Stats> {
  for (let i = 0; i < WARMUP; i += 1) await run(i % inputs);
  const times: number[] = [];
  const start = nowMs();
  for (let i = 0; i < count; i += 1) {
    const t = nowMs();
    await run(i % inputs);
    times.push(nowMs() - t);
  }
  return stats(times, nowMs() - start);
}

function fmt(s: Stats): string {
  return `p50 ${s.p50.toFixed(1).padStart(6)} ms  p95 ${s.p95.toFixed(1).padStart(6)} ms  mean ${s.mean.toFixed(1).padStart(6)} ms  ${s.perSecond.toFixed(1).padStart(6)} slices/s`;
}

async function main(): Promise<void> {
  const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  const instructionSet = instructionSetFromCpuinfo(cpuinfo);
  const names = readdirSync(SCANS)
    .filter((f) => /\.(png|jpg|dcm)$/.test(f))
    .sort();
  const scans = names.map((n) => readFileSync(join(SCANS, n)));
  process.stdout.write(
    `machine: ${cpus()[0]?.model ?? '?'}, ${cpus().length} cores, ${instructionSet}, ` +
      `load ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}\n` +
      `inputs: ${names.length} sample scans (${names.join(', ')}); ${RUNS} timed runs per line after ${WARMUP} warm-up\n\n`,
  );
  const salt = parseSalt('5a'.repeat(32), 'salt');
  let failures = 0;
  for (const version of VERSIONS) {
    for (const threads of THREADS) {
      const store = new ModelStore({ instructionSet, intraOpThreads: threads });
      const model: LoadedModel = await store.load(join(MODELS, version));
      const tensors: Tensor[] = [];
      for (const bytes of scans) tensors.push(preprocess(await decodeScan(bytes), model.manifest));
      const raw = await timeRuns(RUNS, tensors.length, (i) => model.run(tensors[i] ?? tensors[0] ?? fail()));
      const ok = raw.p50 < TARGET_P50_MS;
      if (!ok) failures += 1;
      process.stdout.write(
        `brain-tissue ${version}  ${threads} thread${threads > 1 ? 's' : ' '}  onnxruntime run  ${fmt(raw)}  ` +
          `${ok ? 'meets' : 'MISSES'} p50 < ${TARGET_P50_MS} ms\n`,
      );
      if (threads === 1) {
        const e2e = await timeRuns(Math.max(10, Math.floor(RUNS / 3)), scans.length, (i) =>
          runInference({ scanBytes: scans[i] ?? fail(), salt, model }),
        );
        process.stdout.write(`brain-tissue ${version}  1 thread   runInference end to end ${fmt(e2e)}\n`);
      }
      await store.close();
    }
  }
  process.stdout.write(
    `\n${failures === 0 ? 'every configuration meets' : `${failures} configuration(s) miss`} the p50 target\n`,
  );
}

function fail(): never {
  throw new Error('no input');
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
