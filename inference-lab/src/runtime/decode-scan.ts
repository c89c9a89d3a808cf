/**
 * The lab's door to the shared decoder, `@veriscan/imaging`: the same decoding as the hospital gateway and the
 * regulator's verifier, with imaging's errors turned into the runtime's {@link ScanDecodeError} so the service
 * keeps mapping two codes: `MEDIA_TYPE_MISMATCH` stays, every other refusal (`INVALID_SCAN`,
 * `UNSUPPORTED_TRANSFER_SYNTAX`, `SCAN_TOO_LARGE`, ...) is `INVALID_SCAN` with imaging's message. The byte limit
 * is the fetcher's (`VERISCAN_LAB_MAX_SCAN_BYTES`), so imaging's is lifted here; its pixel and frame limits apply.
 */
import {
  type ScanLimits,
  ImagingError,
  ImagingErrorCode,
  decodeDicom as decodeDicomFile,
  decodeRasterImage as decodeRasterFile,
  decodeScan as decodeScanFile,
  resolveMediaType as resolveScanMediaType,
  type ScanMediaType,
} from '@veriscan/imaging';
import type { PixelImage } from '@veriscan/protocol';
import { RuntimeErrorCode, ScanDecodeError } from './errors.js';

export { MAX_INPUT_PIXELS, ScanMediaType, sniffMediaType } from '@veriscan/imaging';

/** imaging's defaults without the byte limit, which the fetcher enforces from the lab's configuration. */
const LAB_LIMITS: Partial<ScanLimits> = { maxBytes: Number.MAX_SAFE_INTEGER };

/** An {@link ImagingError} as the runtime's error; anything else unchanged. */
function toRuntimeError(error: unknown): unknown {
  if (!(error instanceof ImagingError)) return error;
  const code =
    error.code === ImagingErrorCode.MEDIA_TYPE_MISMATCH
      ? RuntimeErrorCode.MEDIA_TYPE_MISMATCH
      : RuntimeErrorCode.INVALID_SCAN;
  return new ScanDecodeError(code, error.message, { cause: error });
}

function converted<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    throw toRuntimeError(error);
  }
}

/**
 * The media type to decode `bytes` as (imaging's `resolveMediaType`).
 * @throws ScanDecodeError `INVALID_SCAN` or `MEDIA_TYPE_MISMATCH`.
 */
export function resolveMediaType(bytes: Uint8Array, declared?: string): ScanMediaType {
  return converted(() => resolveScanMediaType(bytes, declared));
}

/**
 * Decodes a scan (PNG 8/16-bit, JPEG, DICOM Part 10) to the canonical pixels of protocol §3.1 with
 * `@veriscan/imaging`'s `decodeScan`.
 * @param mediaType the declared type, checked against the bytes when given.
 * @throws ScanDecodeError `INVALID_SCAN` or `MEDIA_TYPE_MISMATCH`.
 */
export async function decodeScan(bytes: Uint8Array, mediaType?: string): Promise<PixelImage> {
  try {
    return await decodeScanFile(bytes, mediaType, LAB_LIMITS);
  } catch (error) {
    throw toRuntimeError(error);
  }
}

/**
 * Decodes a DICOM Part 10 file's single frame (imaging's `decodeDicom`).
 * @throws ScanDecodeError `INVALID_SCAN`.
 */
export function decodeDicom(bytes: Uint8Array): PixelImage {
  return converted(() => decodeDicomFile(bytes, LAB_LIMITS));
}

/**
 * Decodes a PNG or JPEG (imaging's `decodeRasterImage`).
 * @throws ScanDecodeError `INVALID_SCAN`.
 */
export async function decodeRasterImage(bytes: Uint8Array): Promise<PixelImage> {
  try {
    return await decodeRasterFile(bytes, LAB_LIMITS);
  } catch (error) {
    throw toRuntimeError(error);
  }
}
