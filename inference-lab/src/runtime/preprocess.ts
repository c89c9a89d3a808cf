/**
 * Preprocessing `letterbox-bilinear-minmax/v1`: canonical pixels to the model's 1x1xSxS float32 tensor.
 * Written in plain float64 arithmetic, in a fixed order, with no library resampler: JavaScript numbers are
 * IEEE 754 doubles on every platform, so the tensor (and its hash in the trace) is the same bit for bit on
 * every machine, and the training code's NumPy twin (models/brain-tissue/train/preprocess.py) computes the same
 * values, which the unit tests check on the sample scans.
 *
 * 1. grey: channel 0 for 1 or 2 channels (alpha ignored); BT.601 luma 0.299 R + 0.587 G + 0.114 B for 3 or 4;
 * 2. min-max: v = (g - min) / (max - min) over the whole image; all 0 when the image is constant;
 * 3. letterbox: s = S / max(w, h); content nw = max(1, round(w s)), nh likewise (halves away from zero);
 *    offsets ox = floor((S - nw) / 2), oy likewise; padding 0;
 * 4. bilinear with half-pixel centres (align_corners = false): content pixel i samples
 *    x = (i + 0.5) w / nw - 0.5 clamped to [0, w - 1]; no antialiasing, so shrinking by more than 2x aliases;
 * 5. rounded once to float32.
 */
import type { PixelImage, Tensor } from '@veriscan/protocol';

/** Output edge and resampling geometry of one image. */
export interface LetterboxGeometry {
  readonly size: number;
  /** Content width and height inside the square. */
  readonly contentWidth: number;
  readonly contentHeight: number;
  /** Top-left corner of the content. */
  readonly offsetX: number;
  readonly offsetY: number;
}

/** Where an image of `width` x `height` lands in the `size` x `size` input. */
export function letterboxGeometry(width: number, height: number, size: number): LetterboxGeometry {
  const s = size / Math.max(width, height);
  // Math.round sends halves up, which for these positive values is "away from zero", as the Python twin does.
  const contentWidth = Math.max(1, Math.round(width * s));
  const contentHeight = Math.max(1, Math.round(height * s));
  return {
    size,
    contentWidth,
    contentHeight,
    offsetX: Math.floor((size - contentWidth) / 2),
    offsetY: Math.floor((size - contentHeight) / 2),
  };
}

/** Grey values as float64, min-max normalised to [0, 1]. */
export function normalisedGrey(pixels: PixelImage): Float64Array {
  const { width, height, channels, data } = pixels;
  const count = width * height;
  const grey = new Float64Array(count);
  if (channels <= 2) {
    for (let p = 0; p < count; p += 1) grey[p] = data[p * channels] ?? 0;
  } else {
    for (let p = 0; p < count; p += 1) {
      const o = p * channels;
      grey[p] = 0.299 * (data[o] ?? 0) + 0.587 * (data[o + 1] ?? 0) + 0.114 * (data[o + 2] ?? 0);
    }
  }
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const g of grey) {
    if (g < lo) lo = g;
    if (g > hi) hi = g;
  }
  if (!(hi > lo)) return grey.fill(0);
  const range = hi - lo;
  for (let p = 0; p < count; p += 1) grey[p] = ((grey[p] ?? 0) - lo) / range;
  return grey;
}

interface Taps {
  readonly i0: Int32Array;
  readonly i1: Int32Array;
  readonly f: Float64Array;
}

/** Source taps along one axis: for each destination index, the two source indices and the weight of the second. */
function axisTaps(source: number, destination: number): Taps {
  const i0 = new Int32Array(destination);
  const i1 = new Int32Array(destination);
  const f = new Float64Array(destination);
  const ratio = source / destination;
  for (let i = 0; i < destination; i += 1) {
    const s = Math.min(Math.max((i + 0.5) * ratio - 0.5, 0), source - 1);
    const a = Math.floor(s);
    i0[i] = a;
    i1[i] = Math.min(a + 1, source - 1);
    f[i] = s - a;
  }
  return { i0, i1, f };
}

/**
 * Canonical pixels to the 1x1x`size`x`size` float32 input tensor, as specified above.
 * @param size the model's square input edge (256 for brain-tissue).
 */
export function preprocessLetterbox(pixels: PixelImage, size: number): Tensor {
  const { width, height } = pixels;
  const v = normalisedGrey(pixels);
  const g = letterboxGeometry(width, height, size);
  const xs = axisTaps(width, g.contentWidth);
  const ys = axisTaps(height, g.contentHeight);
  const out = new Float32Array(size * size);
  for (let j = 0; j < g.contentHeight; j += 1) {
    const fy = ys.f[j] ?? 0;
    const r0 = (ys.i0[j] ?? 0) * width;
    const r1 = (ys.i1[j] ?? 0) * width;
    const row = (g.offsetY + j) * size + g.offsetX;
    for (let i = 0; i < g.contentWidth; i += 1) {
      const fx = xs.f[i] ?? 0;
      const c0 = xs.i0[i] ?? 0;
      const c1 = xs.i1[i] ?? 0;
      // Same operation order as the NumPy twin: rows first, then the blend between them.
      const top = (v[r0 + c0] ?? 0) * (1 - fx) + (v[r0 + c1] ?? 0) * fx;
      const bottom = (v[r1 + c0] ?? 0) * (1 - fx) + (v[r1 + c1] ?? 0) * fx;
      out[row + i] = top * (1 - fy) + bottom * fy;
    }
  }
  return { shape: [1, 1, size, size], data: out };
}
