/**
 * What a scan declares, read from its headers only, and the {@link ScanLimits} checked against it before any
 * decoder runs: PNG's IHDR (and an APNG's acTL frame count), JPEG's SOFn frame header, DICOM's file meta
 * information and the data set up to (not including the value of) PixelData. Nothing here allocates in
 * proportion to the declared image size, and a compressed or deflated DICOM file is refused from its meta header
 * alone, before dicom-parser would inflate it.
 */
import { parseDicom, readPart10Header, type DataSet } from 'dicom-parser';
import { ImagingError, ImagingErrorCode, causeName } from './errors.js';
import { type ScanLimits, resolveLimits } from './limits.js';
import { ScanMediaType, resolveMediaType } from './media-type.js';
import {
  TransferSyntax,
  describeTransferSyntax,
  isSupportedTransferSyntax,
  isUidSyntax,
} from './transfer-syntax.js';

/** The header facts of a scan. */
export interface ScanInfo {
  readonly mediaType: ScanMediaType;
  /** Columns. */
  readonly width: number;
  /** Rows. */
  readonly height: number;
  /** 1 except for an APNG (acTL) or a multi-frame DICOM file. */
  readonly frames: number;
  /** Bits per sample as stored: PNG bit depth, JPEG sample precision, DICOM BitsAllocated (when present). */
  readonly bitsAllocated?: number;
  /** DICOM only: the TransferSyntaxUID of the file meta information. */
  readonly transferSyntax?: string;
}

const DicomTag = {
  transferSyntax: 'x00020010',
  numberOfFrames: 'x00280008',
  rows: 'x00280010',
  columns: 'x00280011',
  bitsAllocated: 'x00280100',
  pixelData: 'x7fe00010',
} as const;

function invalid(message: string, cause?: unknown): never {
  throw new ImagingError(
    ImagingErrorCode.INVALID_SCAN,
    message,
    cause === undefined ? undefined : { cause: causeName(cause) },
  );
}

function tooLarge(message: string): never {
  throw new ImagingError(ImagingErrorCode.SCAN_TOO_LARGE, message);
}

function checkPixels(format: string, width: number, height: number, limits: ScanLimits): void {
  const pixels = width * height;
  if (pixels > limits.maxPixels) {
    tooLarge(
      `${format} declares ${width} x ${height} = ${pixels} pixels, above maxPixels ${limits.maxPixels}`,
    );
  }
}

function checkFrames(format: string, frames: number, limits: ScanLimits): void {
  if (frames > limits.maxFrames)
    tooLarge(`${format} declares ${frames} frames, above maxFrames ${limits.maxFrames}`);
}

function ascii(bytes: Uint8Array, offset: number, length: number): string {
  return String.fromCharCode(...bytes.subarray(offset, offset + length));
}

// --- PNG -------------------------------------------------------------------------------------------------

const PNG_SIGNATURE_BYTES = 8;
/** Signature, IHDR length and type, 13 data bytes, CRC. */
const PNG_HEADER_BYTES = PNG_SIGNATURE_BYTES + 8 + 13 + 4;
const PNG_BIT_DEPTHS: readonly number[] = [1, 2, 4, 8, 16];
const PNG_COLOUR_TYPES: readonly number[] = [0, 2, 3, 4, 6];

function inspectPng(bytes: Uint8Array, view: DataView, limits: ScanLimits): ScanInfo {
  if (bytes.length < PNG_HEADER_BYTES)
    invalid(`PNG: file ends inside its IHDR header (${bytes.length} bytes)`);
  if (view.getUint32(PNG_SIGNATURE_BYTES) !== 13 || ascii(bytes, PNG_SIGNATURE_BYTES + 4, 4) !== 'IHDR') {
    invalid('PNG: the first chunk is not a 13-byte IHDR');
  }
  const width = view.getUint32(16);
  const height = view.getUint32(20);
  const bitDepth = view.getUint8(24);
  const colourType = view.getUint8(25);
  if (width === 0 || height === 0) invalid(`PNG: IHDR declares an empty image ${width} x ${height}`);
  if (!PNG_BIT_DEPTHS.includes(bitDepth) || !PNG_COLOUR_TYPES.includes(colourType)) {
    invalid(`PNG: IHDR declares bit depth ${bitDepth} with colour type ${colourType}`);
  }
  checkPixels('PNG', width, height, limits);
  // Chunks up to the first IDAT: an APNG's acTL (frame count) must come before it. Lengths are only skipped.
  let frames = 1;
  let offset = PNG_HEADER_BYTES;
  for (;;) {
    if (offset + 8 > bytes.length) invalid('PNG: file ends before its image data (no IDAT chunk)');
    const length = view.getUint32(offset);
    const type = ascii(bytes, offset + 4, 4);
    if (type === 'IDAT') break;
    if (type === 'acTL') {
      if (length < 8 || offset + 12 > bytes.length) invalid('PNG: truncated acTL chunk');
      frames = view.getUint32(offset + 8);
      if (frames < 1) invalid('PNG: acTL declares no frames');
    }
    offset += 12 + length;
  }
  checkFrames('PNG', frames, limits);
  return { mediaType: ScanMediaType.png, width, height, frames, bitsAllocated: bitDepth };
}

// --- JPEG ------------------------------------------------------------------------------------------------

/** SOF0..SOF15 without DHT (C4), JPG (C8) and DAC (CC). */
const JPEG_FRAME_MARKERS: ReadonlySet<number> = new Set([
  0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf,
]);

function isStandaloneJpegMarker(marker: number): boolean {
  return marker === 0x01 || marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7);
}

function inspectJpeg(bytes: Uint8Array, view: DataView, limits: ScanLimits): ScanInfo {
  let offset = 2; // after SOI
  for (;;) {
    if (offset >= bytes.length) invalid('JPEG: file ends before a frame header (SOF)');
    if (view.getUint8(offset) !== 0xff) invalid(`JPEG: no marker at byte ${offset}`);
    while (offset < bytes.length && view.getUint8(offset) === 0xff) offset += 1; // fill bytes
    if (offset >= bytes.length) invalid('JPEG: file ends inside a marker');
    const marker = view.getUint8(offset);
    offset += 1;
    if (isStandaloneJpegMarker(marker)) continue;
    if (marker === 0x00) invalid(`JPEG: stray 0xFF00 at byte ${offset - 2}`);
    if (marker === 0xd9 || marker === 0xda) invalid('JPEG: no frame header (SOF) before the image data');
    if (offset + 2 > bytes.length) invalid('JPEG: file ends inside a segment length');
    const length = view.getUint16(offset);
    if (length < 2) invalid(`JPEG: segment length ${length} at byte ${offset}`);
    if (JPEG_FRAME_MARKERS.has(marker)) {
      if (length < 8 || offset + 8 > bytes.length) invalid('JPEG: truncated frame header (SOF)');
      const precision = view.getUint8(offset + 2);
      const height = view.getUint16(offset + 3);
      const width = view.getUint16(offset + 5);
      if (height === 0) invalid('JPEG: a height set by a DNL marker is not supported');
      if (width === 0) invalid('JPEG: frame header declares width 0');
      checkPixels('JPEG', width, height, limits);
      return { mediaType: ScanMediaType.jpeg, width, height, frames: 1, bitsAllocated: precision };
    }
    offset += length;
  }
}

// --- DICOM -----------------------------------------------------------------------------------------------

/** The uncompressed transfer syntaxes, for messages. */
const SUPPORTED_SYNTAXES = Object.values(TransferSyntax).map(describeTransferSyntax).join(', ');

/**
 * The transfer syntax of a DICOM Part 10 file, from its meta header only.
 * @throws ImagingError `INVALID_SCAN` (no or malformed meta header, no UID), `UNSUPPORTED_TRANSFER_SYNTAX`.
 */
export function dicomTransferSyntax(bytes: Uint8Array): TransferSyntax {
  let meta: DataSet;
  try {
    meta = readPart10Header(bytes);
  } catch (cause) {
    return invalid('DICOM: the file meta information could not be parsed', cause);
  }
  const syntax = (meta.string(DicomTag.transferSyntax) ?? '').replace(/\0/g, '').trim();
  if (syntax === '') invalid('DICOM: TransferSyntaxUID is missing');
  // A value that is no UID is not quoted: it could be anything.
  if (!isUidSyntax(syntax)) invalid('DICOM: TransferSyntaxUID is not a valid UID');
  if (!isSupportedTransferSyntax(syntax)) {
    throw new ImagingError(
      ImagingErrorCode.UNSUPPORTED_TRANSFER_SYNTAX,
      `DICOM transfer syntax ${describeTransferSyntax(syntax)} is not supported; only uncompressed pixel data ` +
        `is decoded: ${SUPPORTED_SYNTAXES}`,
    );
  }
  return syntax;
}

function parseFrames(dataSet: DataSet): number {
  const raw = dataSet.string(DicomTag.numberOfFrames);
  if (raw === undefined || raw === '') return 1;
  if (!/^\+?[0-9]{1,9}$/.test(raw)) invalid('DICOM: NumberOfFrames is not an integer');
  const frames = Number.parseInt(raw, 10);
  if (frames < 1) invalid('DICOM: NumberOfFrames is 0');
  return frames;
}

function inspectDicom(bytes: Uint8Array, limits: ScanLimits): ScanInfo {
  const transferSyntax = dicomTransferSyntax(bytes);
  let dataSet: DataSet;
  try {
    // untilTag: stops at PixelData's header; its value is neither read nor copied.
    dataSet = parseDicom(bytes, { untilTag: DicomTag.pixelData });
  } catch (cause) {
    return invalid('DICOM: the data set could not be parsed (truncated or malformed)', cause);
  }
  const height = dataSet.uint16(DicomTag.rows);
  const width = dataSet.uint16(DicomTag.columns);
  if (height === undefined || width === undefined) invalid('DICOM: Rows or Columns is missing');
  if (height === 0 || width === 0) invalid(`DICOM: empty image ${width} x ${height}`);
  const frames = parseFrames(dataSet);
  checkPixels('DICOM', width, height, limits);
  checkFrames('DICOM', frames, limits);
  const pixelData = dataSet.elements[DicomTag.pixelData];
  if (pixelData === undefined) invalid('DICOM: PixelData is missing');
  if (pixelData.hadUndefinedLength === true) {
    invalid('DICOM: PixelData has undefined length (encapsulated) under an uncompressed transfer syntax');
  }
  const available = bytes.length - pixelData.dataOffset;
  if (pixelData.length > available) {
    invalid(
      `DICOM: PixelData declares ${pixelData.length} bytes but the file holds ${available} (truncated)`,
    );
  }
  const bitsAllocated = dataSet.uint16(DicomTag.bitsAllocated);
  return {
    mediaType: ScanMediaType.dicom,
    width,
    height,
    frames,
    ...(bitsAllocated === undefined ? {} : { bitsAllocated }),
    transferSyntax,
  };
}

/**
 * Reads what a scan declares and checks it against `limits` (defaults {@link DEFAULT_SCAN_LIMITS}), without
 * decoding pixels.
 * @throws ImagingError `SCAN_TOO_LARGE` naming the limit and the declared value; `INVALID_SCAN` for empty,
 * truncated or unrecognised bytes and malformed headers; `UNSUPPORTED_TRANSFER_SYNTAX` for compressed DICOM.
 * @throws RangeError for a limit that is not a positive safe integer.
 */
export function inspectScan(bytes: Uint8Array, limits?: Partial<ScanLimits>): ScanInfo {
  const resolved = resolveLimits(limits);
  if (bytes.length > resolved.maxBytes)
    tooLarge(`scan is ${bytes.length} bytes, above maxBytes ${resolved.maxBytes}`);
  const mediaType = resolveMediaType(bytes);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  switch (mediaType) {
    case ScanMediaType.png:
      return inspectPng(bytes, view, resolved);
    case ScanMediaType.jpeg:
      return inspectJpeg(bytes, view, resolved);
    case ScanMediaType.dicom:
      return inspectDicom(bytes, resolved);
  }
}
