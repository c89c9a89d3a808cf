/**
 * Removes the metadata a PNG or JPEG can carry beside its pixels (text chunks, EXIF, XMP, IPTC, comments,
 * timestamps), which is where photo tools and some exporters put names, dates and device details. Only
 * container segments are dropped; the compressed pixel data is copied byte for byte, so the decoded
 * pixels cannot change (the intake still checks that they did not).
 */
import { GatewayError, GatewayErrorCode } from '../errors';

const PNG_SIGNATURE = 8;
/** PNG chunks kept: those that define the image (the rest are ancillary and may carry text). */
const PNG_KEEP = new Set(['IHDR', 'PLTE', 'IDAT', 'IEND', 'tRNS', 'gAMA', 'cHRM', 'sRGB', 'sBIT', 'pHYs']);

function malformed(what: string): never {
  throw new GatewayError(GatewayErrorCode.UNPROCESSABLE, `${what} is truncated or malformed`);
}

export function stripPngMetadata(bytes: Uint8Array): Uint8Array {
  const out: Uint8Array[] = [bytes.subarray(0, PNG_SIGNATURE)];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = PNG_SIGNATURE;
  let ended = false;
  while (offset < bytes.length && !ended) {
    if (offset + 12 > bytes.length) malformed('PNG');
    const length = view.getUint32(offset);
    const type = String.fromCharCode(...bytes.subarray(offset + 4, offset + 8));
    const end = offset + 12 + length;
    if (end > bytes.length) malformed('PNG');
    if (PNG_KEEP.has(type)) out.push(bytes.subarray(offset, end));
    ended = type === 'IEND';
    offset = end;
  }
  if (!ended) malformed('PNG');
  return Buffer.concat(out);
}

/**
 * JPEG: keeps SOI, APP0 (JFIF), APP14 (Adobe: says how colour is transformed), tables, frame and scan
 * headers and the entropy-coded data; drops APP1..APP13, APP15 (EXIF, XMP, ICC, IPTC, …) and COM. An ICC
 * profile is dropped too: canonical pixels are the decoded samples, which an ICC profile does not change.
 */
export function stripJpegMetadata(bytes: Uint8Array): Uint8Array {
  if (bytes[0] !== 0xff || bytes[1] !== 0xd8) malformed('JPEG');
  const out: Uint8Array[] = [bytes.subarray(0, 2)];
  let offset = 2;
  while (offset < bytes.length) {
    if (bytes[offset] !== 0xff) malformed('JPEG');
    const marker = bytes[offset + 1] ?? malformed('JPEG');
    if (marker === 0xff) {
      offset += 1; // fill byte
      continue;
    }
    if (marker === 0xd9) {
      out.push(bytes.subarray(offset, offset + 2));
      break;
    }
    if (offset + 4 > bytes.length) malformed('JPEG');
    const length = ((bytes[offset + 2] ?? 0) << 8) | (bytes[offset + 3] ?? 0);
    const end = offset + 2 + length;
    if (length < 2 || end > bytes.length) malformed('JPEG');
    const isApp = marker >= 0xe0 && marker <= 0xef;
    const drop = (isApp && marker !== 0xe0 && marker !== 0xee) || marker === 0xfe;
    if (marker === 0xda) {
      // Start of scan: the header, then entropy-coded data up to the next marker that is not RSTn or a stuffed 0.
      let scan = end;
      while (scan + 1 < bytes.length) {
        if (bytes[scan] === 0xff) {
          const next = bytes[scan + 1] ?? 0;
          if (next !== 0x00 && !(next >= 0xd0 && next <= 0xd7) && next !== 0xff) break;
        }
        scan += 1;
      }
      out.push(bytes.subarray(offset, scan));
      offset = scan;
      continue;
    }
    if (!drop) out.push(bytes.subarray(offset, end));
    offset = end;
  }
  return Buffer.concat(out);
}
