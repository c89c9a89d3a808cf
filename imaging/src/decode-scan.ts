/** One entry point from scan bytes to canonical pixels, whatever the container. */
import type { PixelImage } from '@veriscan/protocol';
import { decodeInspectedDicom } from './decode-dicom.js';
import { decodeInspectedRaster } from './decode-image.js';
import { inspectScan } from './inspect-scan.js';
import { type ScanLimits, resolveLimits } from './limits.js';
import { ScanMediaType, resolveMediaType } from './media-type.js';

/**
 * Decodes a scan (PNG 8/16-bit, JPEG, DICOM Part 10) to the canonical pixels of protocol §3.1: the same
 * function on the hospital gateway, in the lab and in the regulator's verifier, so all three hash the same
 * samples. The headers are checked against `limits` ({@link inspectScan}) before any decoder allocates.
 * @param mediaType the declared type, checked against the bytes when given.
 * @param limits overrides of {@link DEFAULT_SCAN_LIMITS}.
 * @throws ImagingError `INVALID_SCAN`, `MEDIA_TYPE_MISMATCH`, `SCAN_TOO_LARGE` or `UNSUPPORTED_TRANSFER_SYNTAX`.
 */
export async function decodeScan(
  bytes: Uint8Array,
  mediaType?: string,
  limits?: Partial<ScanLimits>,
): Promise<PixelImage> {
  const resolved = resolveLimits(limits);
  resolveMediaType(bytes, mediaType);
  const info = inspectScan(bytes, resolved);
  return info.mediaType === ScanMediaType.dicom
    ? decodeInspectedDicom(bytes)
    : decodeInspectedRaster(bytes, resolved.maxPixels);
}
