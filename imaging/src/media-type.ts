/**
 * Scan media types, recognised by their magic bytes. The declared type (from an HTTP header or a form field)
 * is only a claim; the bytes decide which decoder runs, and a mismatch is refused rather than guessed around.
 */
import { ImagingError, ImagingErrorCode } from './errors.js';

/** The media types a scan may have. */
export const ScanMediaType = {
  png: 'image/png',
  jpeg: 'image/jpeg',
  dicom: 'application/dicom',
} as const;
/** One of {@link ScanMediaType}. */
export type ScanMediaType = (typeof ScanMediaType)[keyof typeof ScanMediaType];

const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
/** DICOM Part 10: a 128-byte preamble, then `DICM`. */
const DICOM_MAGIC_OFFSET = 128;
const DICOM_MAGIC = [0x44, 0x49, 0x43, 0x4d];

function startsWith(bytes: Uint8Array, magic: readonly number[], offset = 0): boolean {
  return bytes.length >= offset + magic.length && magic.every((b, i) => bytes[offset + i] === b);
}

/** The media type the bytes carry, or `null` when they are none of the supported formats. */
export function sniffMediaType(bytes: Uint8Array): ScanMediaType | null {
  if (startsWith(bytes, PNG_MAGIC)) return ScanMediaType.png;
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return ScanMediaType.jpeg;
  if (startsWith(bytes, DICOM_MAGIC, DICOM_MAGIC_OFFSET)) return ScanMediaType.dicom;
  return null;
}

/** Lower-cases a declared media type and drops parameters (`image/png; charset=x` is `image/png`). */
function normalise(declared: string): string {
  return (declared.split(';')[0] ?? '').trim().toLowerCase();
}

/**
 * The media type to decode `bytes` as: the sniffed one, which must agree with `declared` when given.
 * `image/jpg` and `application/dicom+binary`-style aliases are not accepted: the gateway names types exactly.
 * @throws ImagingError `INVALID_SCAN` when the bytes are no supported format, `MEDIA_TYPE_MISMATCH` when
 * they disagree with `declared`.
 */
export function resolveMediaType(bytes: Uint8Array, declared?: string): ScanMediaType {
  const sniffed = sniffMediaType(bytes);
  if (sniffed === null) {
    throw new ImagingError(
      ImagingErrorCode.INVALID_SCAN,
      bytes.length === 0
        ? 'scan is empty (0 bytes)'
        : `scan is not PNG, JPEG or DICOM Part 10 (${bytes.length} bytes, unrecognised header)`,
    );
  }
  if (declared !== undefined && normalise(declared) !== sniffed) {
    throw new ImagingError(
      ImagingErrorCode.MEDIA_TYPE_MISMATCH,
      `scan declared as ${JSON.stringify(normalise(declared))} but its bytes are ${sniffed}`,
    );
  }
  return sniffed;
}
