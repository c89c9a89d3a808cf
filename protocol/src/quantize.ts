/**
 * Quantisation of model outputs. onnxruntime promises no bitwise repeatability across CPUs (SIMD width,
 * fused kernels and thread splits change float rounding), so what is hashed is a coarse, canonical form:
 * class maps as uint8 and scores as integers in units of 1e-4. Honest re-runs then agree unless a value sits
 * within float noise of a rounding boundary or an argmax tie, which the spec calls out as a known limit.
 */
import { invalidInput } from './errors.js';

/** Score units per 1.0: scores are stored as integers in units of 1e-4. */
export const SCORE_SCALE = 10_000;

/** Smallest and largest quantised score: the int32 range, so a score fits the 4-byte field of the output hash. */
export const MIN_SCORE_E4 = -2_147_483_648;
/** See {@link MIN_SCORE_E4}. */
export const MAX_SCORE_E4 = 2_147_483_647;

/** Most classes a uint8 class map can name. */
export const MAX_CLASSES = 256;

/**
 * Rounds `value` to the nearest integer, ties to even (IEEE 754 roundTiesToEven, Python's `round`). Unlike
 * `Math.round`, which sends every .5 up, this has no bias, and it is what other languages' default
 * rounding gives, so verifiers written in them agree.
 */
export function roundHalfEven(value: number): number {
  const floor = Math.floor(value);
  const diff = value - floor; // exact: subtracting the floor of a double is exact below 2^52
  if (diff < 0.5) return floor;
  if (diff > 0.5) return floor + 1;
  return floor % 2 === 0 ? floor : floor + 1;
}

/**
 * A score as an integer count of 1e-4: `roundHalfEven(value * 10000)`, the product taken in IEEE 754 double
 * precision. A float32 from onnxruntime converts to double exactly, so every language computes the same product.
 * @throws ProtocolError `INVALID_INPUT` on NaN, infinities and values outside the int32 range after scaling.
 */
export function quantizeScore(value: number): number {
  if (!Number.isFinite(value)) invalidInput('score', `must be finite, got ${value}`);
  const q = roundHalfEven(value * SCORE_SCALE);
  if (q < MIN_SCORE_E4 || q > MAX_SCORE_E4)
    invalidInput('score', `${value} is outside the quantised score range`);
  return q === 0 ? 0 : q; // no -0 in canonical data
}

/** Memory layout of a logits tensor with one plane (or one vector) per class. */
export type LogitsLayout = 'chw' | 'hwc';

/** Input to {@link argmaxMask}. */
export interface ArgmaxInput {
  /** Per-pixel, per-class values (logits or probabilities). */
  readonly logits: Float32Array;
  /** Number of classes, 1..256. */
  readonly classes: number;
  readonly width: number;
  readonly height: number;
  /** `chw`: all of class 0, then class 1, ... (onnxruntime's NCHW with N = 1); `hwc`: classes interleaved. */
  readonly layout: LogitsLayout;
}

/**
 * The uint8 class map of a segmentation output: for each pixel, the index of the largest value. Ties go to
 * the lowest class index (a fixed rule, so that an exact tie cannot be broken differently by two verifiers).
 * @throws ProtocolError `INVALID_INPUT` on bad sizes or a NaN value.
 */
export function argmaxMask(input: ArgmaxInput): Uint8Array {
  const { logits, classes, width, height, layout } = input;
  if (!Number.isInteger(classes) || classes < 1 || classes > MAX_CLASSES) {
    invalidInput('classes', `must be an integer in [1, ${MAX_CLASSES}], got ${classes}`);
  }
  const pixels = width * height;
  if (!Number.isInteger(pixels) || width < 1 || height < 1)
    invalidInput('width', 'width and height must be positive integers');
  if (logits.length !== pixels * classes) {
    invalidInput(
      'logits',
      `must hold width x height x classes = ${pixels * classes} values, got ${logits.length}`,
    );
  }
  const mask = new Uint8Array(pixels);
  const classStride = layout === 'chw' ? pixels : 1;
  const pixelStride = layout === 'chw' ? 1 : classes;
  for (let p = 0; p < pixels; p += 1) {
    let best = 0;
    let bestValue = Number.NEGATIVE_INFINITY;
    for (let c = 0; c < classes; c += 1) {
      const value = logits[p * pixelStride + c * classStride] ?? Number.NaN;
      if (Number.isNaN(value)) invalidInput('logits', `NaN at pixel ${p}, class ${c}`);
      if (value > bestValue || c === 0) {
        best = c;
        bestValue = value;
      }
    }
    mask[p] = best;
  }
  return mask;
}
