/**
 * The decoded scan as raw samples and its digest. Hashing decoded samples rather than the file means the
 * same image has one hash whatever container it arrived in (PNG, JPEG, DICOM) and whatever metadata was
 * stripped; hashing them big-endian means the digest does not depend on the CPU that decoded them.
 */
import { uint16ToBigEndian, u32be, u8, type Sha256Hex } from './bytes.js';
import { invalidInput } from './errors.js';
import { DomainTag, taggedHash } from './tagged-hash.js';

/** Largest accepted width or height; far above any MRI slice, low enough that sizes never overflow. */
export const MAX_DIMENSION = 65_535;

/** Samples per pixel: grey, grey + alpha, RGB, RGBA. */
export type Channels = 1 | 2 | 3 | 4;

/** The shape of a decoded image, without its samples. */
export interface PixelHeader {
  /** Pixels per row, 1..65535. */
  readonly width: number;
  /** Rows, 1..65535. */
  readonly height: number;
  /** Samples per pixel. */
  readonly channels: Channels;
  /** Bits per sample. */
  readonly bitDepth: 8 | 16;
}

/**
 * A decoded image: samples row by row, top to bottom, channels interleaved within a pixel. 8-bit samples
 * come as a `Uint8Array`, 16-bit ones as a `Uint16Array` of values (host byte order, as decoders produce them).
 */
export type PixelImage =
  | (PixelHeader & { readonly bitDepth: 8; readonly data: Uint8Array })
  | (PixelHeader & { readonly bitDepth: 16; readonly data: Uint16Array });

/** Bytes one sample takes in the canonical layout. */
export function bytesPerSample(bitDepth: 8 | 16): 1 | 2 {
  return bitDepth === 8 ? 1 : 2;
}

/**
 * Checks the header and that `data` holds exactly width x height x channels samples.
 * @throws ProtocolError `INVALID_INPUT` naming the offending field.
 */
export function checkPixelImage(image: PixelImage): void {
  checkPixelHeader(image, 'image');
  const expected = image.width * image.height * image.channels;
  const isRightType =
    image.bitDepth === 8 ? image.data instanceof Uint8Array : image.data instanceof Uint16Array;
  if (!isRightType) {
    invalidInput(
      'image.data',
      `must be a ${image.bitDepth === 8 ? 'Uint8Array' : 'Uint16Array'} for bitDepth ${image.bitDepth}`,
    );
  }
  if (image.data.length !== expected) {
    invalidInput(
      'image.data',
      `must hold width x height x channels = ${expected} samples, got ${image.data.length}`,
    );
  }
}

/**
 * Checks that a header is one this protocol version can encode.
 * @throws ProtocolError `INVALID_INPUT` naming the offending field.
 */
export function checkPixelHeader(header: PixelHeader, path: string): void {
  for (const key of ['width', 'height'] as const) {
    const value = header[key];
    if (!Number.isInteger(value) || value < 1 || value > MAX_DIMENSION) {
      invalidInput(`${path}.${key}`, `must be an integer in [1, ${MAX_DIMENSION}], got ${value}`);
    }
  }
  if (![1, 2, 3, 4].includes(header.channels)) {
    invalidInput(`${path}.channels`, `must be 1, 2, 3 or 4, got ${header.channels}`);
  }
  // Typed callers cannot pass another depth, but decoded headers reach here from JavaScript too.
  const bitDepth: number = header.bitDepth;
  if (bitDepth !== 8 && bitDepth !== 16) invalidInput(`${path}.bitDepth`, `must be 8 or 16, got ${bitDepth}`);
}

/** The 10-byte header that precedes samples: u32 width, u32 height, u8 channels, u8 bitDepth (big-endian). */
export function encodePixelHeader(header: PixelHeader): Uint8Array {
  return Buffer.concat([
    u32be(header.width, 'width'),
    u32be(header.height, 'height'),
    u8(header.channels, 'channels'),
    u8(header.bitDepth, 'bitDepth'),
  ]);
}

/**
 * The samples in canonical byte order: as-is for 8-bit, big-endian for 16-bit. A view (no copy) for 8-bit.
 * @throws ProtocolError `INVALID_INPUT` when the image is malformed.
 */
export function canonicalSamples(image: PixelImage): Uint8Array {
  checkPixelImage(image);
  return image.bitDepth === 8 ? image.data : uint16ToBigEndian(image.data);
}

/**
 * `SHA-256("veriscan/pixels/v1" || 0x00 || header || samples)`: the scan hash. It never goes on the ledger
 * bare; see {@link scanCommitment}.
 * @throws ProtocolError `INVALID_INPUT` when the image is malformed.
 */
export function hashPixels(image: PixelImage): Sha256Hex {
  return hashCanonicalPixels(image, canonicalSamples(image));
}

/**
 * {@link hashPixels} over samples already in canonical byte order (lets a caller convert 16-bit data once).
 * @throws ProtocolError `INVALID_INPUT` when the header is malformed or `samples` has the wrong length.
 */
export function hashCanonicalPixels(header: PixelHeader, samples: Uint8Array): Sha256Hex {
  checkCanonicalSamples(header, samples, 'image');
  return taggedHash(DomainTag.pixels, encodePixelHeader(header), samples);
}

/**
 * Checks a header and that `samples` is exactly its canonical byte length.
 * @throws ProtocolError `INVALID_INPUT` naming the offending field.
 */
export function checkCanonicalSamples(header: PixelHeader, samples: Uint8Array, path: string): void {
  checkPixelHeader(header, path);
  const expected = header.width * header.height * header.channels * bytesPerSample(header.bitDepth);
  if (samples.length !== expected) {
    invalidInput(`${path}.samples`, `must be ${expected} bytes for this header, got ${samples.length}`);
  }
}
