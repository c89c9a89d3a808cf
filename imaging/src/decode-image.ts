/**
 * PNG and JPEG decoding with sharp (libvips) to canonical pixels: the stored samples, row-major, channels
 * interleaved, 8-bit kept as 8-bit and 16-bit PNG kept as 16-bit. No colour management, no EXIF rotation, no
 * gamma: the samples are hashed (ARCHITECTURE.md §4), so what the file stores is what counts, and the hospital
 * gateway and the lab must get the same samples from the same bytes.
 */
import type { PixelImage } from '@veriscan/protocol';
import sharp from 'sharp';
import { ImagingError, ImagingErrorCode } from './errors.js';
import { inspectScan } from './inspect-scan.js';
import { type ScanLimits, resolveLimits } from './limits.js';
import { ScanMediaType } from './media-type.js';

/** sharp's errors are libvips diagnostics about the container (PNG/JPEG carry no patient tags): kept as cause. */
function invalid(message: string, cause?: unknown): never {
  throw new ImagingError(ImagingErrorCode.INVALID_SCAN, message, cause === undefined ? undefined : { cause });
}

/**
 * Decodes a PNG or JPEG that {@link inspectScan} has accepted; `maxPixels` is handed to libvips as well, as a
 * second bound should its reading of the header differ from ours.
 */
export async function decodeInspectedRaster(bytes: Uint8Array, maxPixels: number): Promise<PixelImage> {
  // failOn 'error': a truncated or corrupt file is refused instead of decoded with grey padding.
  const options = { failOn: 'error', limitInputPixels: maxPixels, pages: 1 } as const;
  let metadata: sharp.Metadata;
  try {
    metadata = await sharp(bytes, options).metadata();
  } catch (cause) {
    invalid('image could not be decoded', cause);
  }
  if (metadata.space === 'cmyk') {
    invalid('CMYK images are not supported');
  }
  if ((metadata.pages ?? 1) > 1) {
    invalid('multi-page images are not supported');
  }
  const sixteen = metadata.depth === 'ushort';
  if (!sixteen && metadata.depth !== 'uchar') {
    invalid(`unsupported sample format ${metadata.depth}`);
  }
  let raw: { data: Buffer; info: sharp.OutputInfo };
  try {
    // keepIccProfile: no ICC transform to sRGB; toColourspace(input space): no grey -> sRGB expansion. Both are
    // needed for the raw output to be the stored samples (checked against an independent decoder in the tests).
    raw = await sharp(bytes, options)
      .keepIccProfile()
      .toColourspace(metadata.space)
      .raw({ depth: sixteen ? 'ushort' : 'uchar' })
      .toBuffer({ resolveWithObject: true });
  } catch (cause) {
    invalid('image could not be decoded', cause);
  }
  // sharp types channels as 1 | 2 | 3 | 4, which is exactly the protocol's Channels.
  const { width, height, channels } = raw.info;
  const samples = width * height * channels;
  if (sixteen) {
    if (raw.data.length !== samples * 2) {
      invalid('decoder returned a short 16-bit buffer');
    }
    // sharp hands 16-bit samples in host byte order; copy into an aligned Uint16Array.
    const data = new Uint16Array(samples);
    new Uint8Array(data.buffer).set(raw.data);
    return { width, height, channels, bitDepth: 16, data };
  }
  if (raw.data.length !== samples) {
    invalid('decoder returned a short 8-bit buffer');
  }
  return { width, height, channels, bitDepth: 8, data: new Uint8Array(raw.data) };
}

/**
 * Decodes a PNG or JPEG, after {@link inspectScan} with `limits`.
 * @throws ImagingError `INVALID_SCAN` when it is not PNG/JPEG, sharp cannot decode it, or it is CMYK, multi-page,
 * or has a sample depth other than 8 or 16 bits; `SCAN_TOO_LARGE` over a limit.
 */
export async function decodeRasterImage(
  bytes: Uint8Array,
  limits?: Partial<ScanLimits>,
): Promise<PixelImage> {
  const resolved = resolveLimits(limits);
  const info = inspectScan(bytes, resolved);
  if (info.mediaType === ScanMediaType.dicom) invalid('the bytes are DICOM, not PNG or JPEG');
  return decodeInspectedRaster(bytes, resolved.maxPixels);
}
