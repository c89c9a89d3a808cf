/** One entry point from scan bytes to canonical pixels, whatever the container. */
import type { PixelImage } from '@veriscan/protocol';
import { decodeDicom } from './decode-dicom.js';
import { decodeRasterImage } from './decode-image.js';
import { ScanMediaType, resolveMediaType } from './media-type.js';

/**
 * Decodes a scan (PNG 8/16-bit, JPEG, DICOM Part 10) to the canonical pixels of protocol §3.1: the same
 * function on the hospital gateway, in the lab and in the regulator's verifier, so all three hash the same
 * samples.
 * @param mediaType the declared type, checked against the bytes when given.
 * @throws ScanDecodeError `INVALID_SCAN` or `MEDIA_TYPE_MISMATCH`.
 */
export async function decodeScan(bytes: Uint8Array, mediaType?: string): Promise<PixelImage> {
  const type = resolveMediaType(bytes, mediaType);
  return type === ScanMediaType.dicom ? decodeDicom(bytes) : decodeRasterImage(bytes);
}
