// Builders shared by the protocol tests: vector images as PixelImage, a deterministic random source, a
// valid profile and receipt.
import {
  type DeterminismProfile,
  type PixelImage,
  type Receipt,
  type Sha256Hex,
  buildReceipt,
  isSha256Hex,
} from '../../../protocol/src/index.js';
import { type Json } from './vector-file.js';

/** The samples of a vector image: listed, or (i * multiplier + increment) mod 2^bitDepth. */
export function vectorImage(image: Json): PixelImage {
  const width = image.get('width').num();
  const height = image.get('height').num();
  const channelCount = image.get('channels').num();
  const bitDepth = image.get('bitDepth').num();
  const count = width * height * channelCount;
  let samples: number[];
  if (image.has('samples')) {
    samples = image.get('samples').nums();
  } else {
    const multiplier = image.get('generator').get('multiplier').num();
    const increment = image.get('generator').get('increment').num();
    samples = Array.from({ length: count }, (_, i) => (i * multiplier + increment) % 2 ** bitDepth);
  }
  const channels =
    channelCount === 1 || channelCount === 2 || channelCount === 3 || channelCount === 4 ? channelCount : 1;
  if (bitDepth === 8) return { width, height, channels, bitDepth: 8, data: Uint8Array.from(samples) };
  return { width, height, channels, bitDepth: 16, data: Uint16Array.from(samples) };
}

/** Float32 values from big-endian hex, as the vectors store tensors. */
export function float32FromHex(hex: string): Float32Array {
  const bytes = Buffer.from(hex, 'hex');
  return Float32Array.from({ length: bytes.length / 4 }, (_, i) => bytes.readFloatBE(4 * i));
}

/** A seeded byte source (counter-based), so salts in tests are fixed. */
export function seededRandom(seed: number): (size: number) => Uint8Array {
  let counter = seed;
  return (size) => {
    counter += 1;
    return Uint8Array.from({ length: size }, (_, i) => (counter * 131 + i * 7 + 1) % 256);
  };
}

export function hex(byte: number): Sha256Hex {
  const text = byte.toString(16).padStart(2, '0').repeat(32);
  if (!isSha256Hex(text)) throw new Error('bad test hash');
  return text;
}

export const PROFILE: DeterminismProfile = {
  onnxruntimeVersion: '1.20.1',
  executionProvider: 'cpu',
  graphOptimizationLevel: 'disabled',
  executionMode: 'sequential',
  intraOpThreads: 1,
  interOpThreads: 1,
  cpuArch: 'x64',
  instructionSet: 'avx2',
  preprocessor: 'sharp 0.33.5 / libvips 8.15.3',
};

export function receipt(i: number, lab = 'lab-1'): Receipt {
  return buildReceipt({
    requestId: `req-${i}`,
    lab,
    model: { id: 'brain-tissue', version: '1.0.0' },
    traceHash: hex(i % 256),
    outputCommitment: hex((i + 128) % 256),
    latencyMs: 1000 + i,
    completedAt: '2025-03-01T12:00:00.000Z',
  });
}

/** A valid trace record as plain JSON data, for parser and verification tests. */
export function baseTraceRecord(): { preprocess: Record<string, unknown> } & Record<string, unknown> {
  const h = 'ab'.repeat(32);
  return {
    version: 2,
    pixels: {
      width: 5,
      height: 3,
      channels: 1,
      bitDepth: 16,
      tileSize: 2,
      scanCommitment: h,
      tileRootCommitment: h,
    },
    preprocess: {
      params: { resize: { width: 2, height: 2 } },
      tensorShape: [1, 1, 2, 2],
      tensorCommitment: h,
    },
    model: { id: 'brain-tissue', version: '1.0.0', hash: h },
    output: { mask: { width: 2, height: 2, classes: 3 }, scoreCount: 2, outputCommitment: h },
    profile: { ...PROFILE },
  };
}
