// Draws the segmentation over the scan on a square canvas in the model's frame.
//
// The lab letterboxes the scan into the model's S×S input (letterbox-bilinear-minmax/v1, see
// inference-lab/src/runtime/preprocess.ts): scale s = S / max(w, h), content nw = max(1, round(w·s)) by
// nh likewise, offset floor((S − nw) / 2), floor((S − nh) / 2), padding 0. The class map comes back in
// that same S×S frame. So the canvas is the S×S frame scaled up: the scan is drawn into the letterbox
// rectangle, the class map over the whole square, pixel for pixel.
// Approximate: the browser's resampling of the scan (its own smoothing filter, 16-bit PNGs reduced to
// 8 bits, JPEG decoded by the browser's decoder) is for display only and differs slightly from the lab's
// bilinear half-pixel resize without antialiasing; the class map itself is drawn exactly (nearest
// neighbour, one square per mask pixel).

/** RGBA for class index i (0, the background, is transparent); colours distinguishable in greyscale too. */
export const CLASS_COLOURS = [
  [0, 0, 0, 0],
  [230, 97, 1, 255],
  [94, 60, 153, 255],
  [0, 158, 115, 255],
  [240, 228, 66, 255],
  [204, 121, 167, 255],
  [86, 180, 233, 255],
  [213, 94, 0, 255],
];

export function colourOf(index) {
  return CLASS_COLOURS[index] ?? [255, 255, 255, 255];
}

/** The letterbox rectangle of a w×h scan in an S×S frame (as the lab's preprocessing computes it). */
export function letterbox(width, height, size) {
  const s = size / Math.max(width, height);
  const w = Math.max(1, Math.round(width * s));
  const h = Math.max(1, Math.round(height * s));
  return { x: Math.floor((size - w) / 2), y: Math.floor((size - h) / 2), w, h };
}

/** The class map (an ImageBitmap of the 8-bit grey PNG) as a colour image with alpha `opacity`. */
function colouredMask(mask, opacity) {
  const canvas = document.createElement('canvas');
  canvas.width = mask.width;
  canvas.height = mask.height;
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  ctx.drawImage(mask, 0, 0);
  const image = ctx.getImageData(0, 0, mask.width, mask.height);
  const px = image.data;
  for (let i = 0; i < px.length; i += 4) {
    const [r, g, b, a] = colourOf(px[i]);
    px[i] = r;
    px[i + 1] = g;
    px[i + 2] = b;
    px[i + 3] = Math.round(a * opacity);
  }
  ctx.putImageData(image, 0, 0);
  return canvas;
}

/**
 * Draws on `canvas`: `scan` (an ImageBitmap, or null when the browser cannot show it, e.g. DICOM) of
 * `width`×`height` pixels letterboxed, then `mask` (an ImageBitmap of the class map) when `showMask`.
 */
export function drawOverlay(canvas, { scan, width, height, mask, showMask, opacity }) {
  const size = mask.width;
  const scale = Math.max(1, Math.floor(512 / size));
  canvas.width = mask.width * scale;
  canvas.height = mask.height * scale;
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#000';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  if (scan !== null) {
    const box = letterbox(width, height, size);
    ctx.imageSmoothingEnabled = true;
    ctx.imageSmoothingQuality = 'high';
    ctx.drawImage(scan, box.x * scale, box.y * scale, box.w * scale, box.h * scale);
  }
  if (showMask) {
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(colouredMask(mask, opacity), 0, 0, canvas.width, canvas.height);
  }
}

/** Decodes an image blob without colour management (the class map's grey values are class indices). */
export function decode(blob) {
  return createImageBitmap(blob, { colorSpaceConversion: 'none', premultiplyAlpha: 'none' });
}
