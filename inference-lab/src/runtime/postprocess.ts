/**
 * Postprocessing `argmax-tissue-fractions/v1`: logits to the canonical quantised output of protocol §5 and to
 * the two files the lab stores and serves to the hospital (mask PNG, scores JSON).
 *
 * - class map: per pixel the class with the largest logit, the lowest index winning an exact tie (protocol
 *   `argmaxMask`), uint8, in the model's SxS frame;
 * - scores, in order: for each non-background class, its share of the non-background pixels (0 when there are
 *   none), then the mean over all pixels of the winning class's softmax probability; each quantised to 1e-4.
 *   Shares are ratios of pixel counts, so they depend on the class map only; the confidence is computed in
 *   float64 in a fixed order (Math.exp is the same fdlibm-derived code in every V8).
 */
import { type QuantisedOutput, argmaxMask, canonicalBytes, quantizeScore } from '@veriscan/protocol';
import sharp from 'sharp';
import { InferenceError } from './errors.js';
import type { ModelManifest } from './manifest.js';

/** Logits of one image, NCHW with N = 1. */
export interface Logits {
  readonly data: Float32Array;
  readonly classes: number;
  readonly width: number;
  readonly height: number;
}

/**
 * The quantised output of one run.
 * @throws InferenceError when the logits contain NaN or do not fit the shape.
 */
export function quantiseOutput(logits: Logits): QuantisedOutput {
  const { data, classes, width, height } = logits;
  let mask: Uint8Array;
  try {
    mask = argmaxMask({ logits: data, classes, width, height, layout: 'chw' });
  } catch (cause) {
    throw new InferenceError('model output cannot be reduced to a class map', { cause });
  }
  const pixels = width * height;
  const counts = new Array<number>(classes).fill(0);
  let confidence = 0;
  for (let p = 0; p < pixels; p += 1) {
    const best = mask[p] ?? 0;
    counts[best] = (counts[best] ?? 0) + 1;
    const top = data[best * pixels + p] ?? 0;
    let sum = 0;
    for (let c = 0; c < classes; c += 1) sum += Math.exp((data[c * pixels + p] ?? 0) - top);
    confidence += 1 / sum;
  }
  const tissue = pixels - (counts[0] ?? 0);
  const shares = counts.slice(1).map((n) => (tissue === 0 ? 0 : n / tissue));
  const scoresE4 = [...shares, confidence / pixels].map(quantizeScore);
  return { mask: { width, height, classes, data: mask }, scoresE4 };
}

/** The class map as a PNG: 8-bit grey, one class index (0..classes-1) per pixel, lossless. */
export async function encodeMaskPng(output: QuantisedOutput): Promise<Buffer> {
  const { mask } = output;
  if (mask === null) throw new InferenceError('output has no class map to encode');
  // toColourspace('b-w'): without it sharp writes the single channel as RGB.
  return sharp(Buffer.from(mask.data), { raw: { width: mask.width, height: mask.height, channels: 1 } })
    .toColourspace('b-w')
    .png({ compressionLevel: 9, adaptiveFiltering: false, palette: false })
    .toBuffer();
}

/** The scores file served with the mask: canonical JSON, enough to recompute the output hash with the PNG. */
export interface ScoresDocument {
  readonly version: 1;
  readonly model: { readonly id: string; readonly version: string };
  readonly mask: {
    readonly width: number;
    readonly height: number;
    readonly classes: readonly string[];
    readonly encoding: 'png-grey8-class-index';
  };
  /** In output order; `e4` is the quantised value in units of 1e-4, `value` its decimal reading. */
  readonly scores: readonly { readonly name: string; readonly e4: number; readonly value: number }[];
}

/** The scores document of one run. */
export function scoresDocument(manifest: ModelManifest, output: QuantisedOutput): ScoresDocument {
  const names = manifest.postprocess.scores;
  return {
    version: 1,
    model: { id: manifest.modelId, version: manifest.version },
    mask: {
      width: output.mask?.width ?? 0,
      height: output.mask?.height ?? 0,
      classes: manifest.output.classes,
      encoding: 'png-grey8-class-index',
    },
    scores: output.scoresE4.map((e4, i) => ({ name: names[i] ?? `score-${i}`, e4, value: e4 / 10_000 })),
  };
}

/** {@link scoresDocument} as canonical JSON bytes (RFC 8785), so equal outputs give equal files. */
export function encodeScoresJson(manifest: ModelManifest, output: QuantisedOutput): Buffer {
  return Buffer.from(canonicalBytes(scoresDocument(manifest, output)));
}
