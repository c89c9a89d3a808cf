// Benchmarks of @veriscan/protocol against the targets of issue 3, each next to its baseline.
// Run: npx tsx bench/protocol/protocol-bench.ts
// Figures are medians over repeated runs after a warm-up; the machine is shared, so expect some spread.
import { createHash } from 'node:crypto';
import { cpus } from 'node:os';

import {
  type PixelImage,
  type Receipt,
  BatchLog,
  buildBatch,
  buildReceipt,
  commitScan,
  hashPixels,
  merkle,
  parseSalt,
  parseSha256Hex,
  tileRoot,
  verifyReceiptInBatch,
} from '@veriscan/protocol';

interface Figure {
  readonly name: string;
  readonly medianMs: number;
  readonly minMs: number;
  readonly runs: number;
  readonly targetMs?: number;
  readonly note?: string;
}

/** Median and minimum wall time of `fn` over `runs` runs after `warmup` unmeasured ones. */
function measure(runs: number, warmup: number, fn: () => unknown): { medianMs: number; minMs: number } {
  for (let i = 0; i < warmup; i += 1) fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const start = process.hrtime.bigint();
    fn();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  times.sort((a, b) => a - b);
  return { medianMs: times[Math.floor(times.length / 2)] ?? Number.NaN, minMs: times[0] ?? Number.NaN };
}

const figures: Figure[] = [];

// 1. Pixels: a 512 x 512 16-bit grey image, the size of a typical MRI slice.
const samples = new Uint16Array(512 * 512);
for (let i = 0; i < samples.length; i += 1) samples[i] = (i * 40503 + 7) % 65536;
const image: PixelImage = { width: 512, height: 512, channels: 1, bitDepth: 16, data: samples };
const salt = parseSalt('5a'.repeat(32));
const rawBytes = Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength);

const pixels = measure(50, 5, () => {
  hashPixels(image);
  tileRoot(image);
});
figures.push({
  name: 'hashPixels + tileRoot, 512x512 16-bit (32x32 tiles)',
  ...pixels,
  runs: 50,
  targetMs: 5,
});
figures.push({ name: '  hashPixels alone', ...measure(50, 5, () => hashPixels(image)), runs: 50 });
figures.push({ name: '  tileRoot alone', ...measure(50, 5, () => tileRoot(image)), runs: 50 });
figures.push({
  name: '  commitScan (both digests + both commitments, one byte swap)',
  ...measure(50, 5, () => commitScan(image, salt)),
  runs: 50,
});
const raw = measure(200, 10, () => createHash('sha256').update(rawBytes).digest());
const mbPerS = rawBytes.length / 1e6 / (raw.medianMs / 1e3);
figures.push({
  name: 'baseline: raw crypto SHA-256 of the same 524,288 bytes',
  ...raw,
  runs: 200,
  note: `${mbPerS.toFixed(0)} MB/s; two passes over the image (scan hash + tiles) cost at least ${(2 * raw.medianMs).toFixed(2)} ms`,
});

// 2. verifyInclusion in a 1,000,000-leaf tree (20-node audit paths).
const leafCount = 1_000_000;
const buildStart = process.hrtime.bigint();
// Leaf hashes live in one flat buffer (views into it), so the benchmark itself does not hold a million Buffers.
const leafStore = new Uint8Array(leafCount * merkle.HASH_SIZE);
const leafHashes: Uint8Array[] = new Array<Uint8Array>(leafCount);
const counter = Buffer.alloc(8);
for (let i = 0; i < leafCount; i += 1) {
  counter.writeUInt32BE(i, 4);
  leafStore.set(merkle.hashLeaf(counter), i * merkle.HASH_SIZE);
  leafHashes[i] = leafStore.subarray(i * merkle.HASH_SIZE, (i + 1) * merkle.HASH_SIZE);
}
const bigTree = merkle.MerkleTree.fromLeafHashes(leafHashes);
const bigRoot = bigTree.root();
const buildMs = Number(process.hrtime.bigint() - buildStart) / 1e6;
const probes = Array.from({ length: 2000 }, (_, k) => {
  const index = (k * 7919 * 104729) % leafCount;
  return { index, proof: bigTree.inclusionProof(index), leafHash: leafHashes[index] ?? new Uint8Array(32) };
});
let accepted = 0;
const perVerify = measure(5, 1, () => {
  accepted = 0;
  for (const p of probes)
    if (merkle.verifyInclusionHash(p.leafHash, p.index, leafCount, p.proof, bigRoot)) accepted += 1;
});
figures.push({
  name: 'merkle.verifyInclusion, 1,000,000-leaf tree (per proof)',
  medianMs: perVerify.medianMs / probes.length,
  minMs: perVerify.minMs / probes.length,
  runs: 5 * probes.length,
  targetMs: 0.05,
  note: `${accepted}/${probes.length} proofs accepted; path length ${probes[0]?.proof.length ?? 0}; building the tree took ${buildMs.toFixed(0)} ms`,
});
const leafData = Buffer.from('leaf');
figures.push({
  name: '  same, including the leaf hash (raw leaf data)',
  ...(() => {
    const proof = merkle.inclusionProof([leafData, leafData, leafData], 1);
    const root = merkle.root([leafData, leafData, leafData]);
    const m = measure(5, 1, () => {
      for (let i = 0; i < 2000; i += 1) merkle.verifyInclusion(leafData, 1, 3, proof, root);
    });
    return { medianMs: m.medianMs / 2000, minMs: m.minMs / 2000 };
  })(),
  runs: 10_000,
  note: 'a 3-leaf tree: shows the per-call floor, not a 20-node path',
});

// 3. A 10,000-receipt batch with every inclusion proof, then its anchor.
const zero = parseSha256Hex('00'.repeat(32));
const receipts: Receipt[] = Array.from({ length: 10_000 }, (_, i) =>
  buildReceipt({
    requestId: `req-${i}`,
    lab: 'lab-1',
    model: { id: 'brain-tissue', version: '1.0.0' },
    traceHash: zero,
    outputCommitment: zero,
    latencyMs: 1000 + (i % 5000),
    completedAt: '2025-03-01T12:00:00.000Z',
  }),
);
const first = receipts[0];
if (first === undefined) throw new Error('no receipts');
let batch = buildBatch({ lab: first.lab, sequence: 0, receipts });
const batchTime = measure(15, 3, () => {
  batch = buildBatch({ lab: first.lab, sequence: 0, receipts });
});
const pathLengths = batch.entries.map((e) => e.proof.path.length);
figures.push({
  name: 'buildBatch, 10,000 receipts with all inclusion proofs',
  ...batchTime,
  runs: 15,
  targetMs: 100,
  note: `${batch.entries.length} proofs, ${Math.min(...pathLengths)} to ${Math.max(...pathLengths)} nodes each`,
});
const { anchor } = new BatchLog({ lab: first.lab }).append(batch);
let verified = 0;
const verifyAll = measure(5, 1, () => {
  verified = 0;
  batch.entries.forEach((e, i) => {
    if (verifyReceiptInBatch(receipts[i] ?? first, e.proof, anchor)) verified += 1;
  });
});
figures.push({
  name: '  verifyReceiptInBatch for all 10,000 (hashing each receipt)',
  ...verifyAll,
  runs: 5,
  note: `${verified}/10000 verified`,
});

// Report.
const cpu = cpus()[0]?.model ?? 'unknown CPU';
console.log(`@veriscan/protocol benchmark — Node ${process.version}, ${cpus().length} x ${cpu}\n`);
const width = Math.max(...figures.map((f) => f.name.length));
console.log(`${'measure'.padEnd(width)}  ${'median'.padStart(10)}  ${'min'.padStart(10)}  target     `);
for (const f of figures) {
  const fmt = (ms: number): string =>
    (ms < 0.1 ? `${(ms * 1000).toFixed(2)} µs` : `${ms.toFixed(2)} ms`).padStart(10);
  const verdict =
    f.targetMs === undefined ? '' : `< ${f.targetMs} ms ${f.medianMs < f.targetMs ? 'MET' : 'MISSED'}`;
  console.log(`${f.name.padEnd(width)}  ${fmt(f.medianMs)}  ${fmt(f.minMs)}  ${verdict}`);
  if (f.note !== undefined) console.log(`${''.padEnd(width)}  (${f.note})`);
}
