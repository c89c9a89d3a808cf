/**
 * DICOM Part 10 decoding with dicom-parser to canonical pixels. Only the image-pixel module is read
 * (rows, columns, samples, bits, photometric interpretation, pixel data); patient and study tags are never
 * read, returned or logged. Supported: one frame, uncompressed transfer syntaxes (implicit and explicit VR
 * little endian, explicit VR big endian), 8- or 16-bit allocated samples, MONOCHROME1/2 and RGB. The file is
 * first held to the scan limits by {@link inspectScan}, which refuses compressed syntaxes by name.
 *
 * Canonical samples are the stored values, with three normalisations so that "higher is brighter" and the
 * protocol's unsigned 8/16-bit layout hold: bits above BitsStored are masked off; signed samples are offset by
 * 2^(BitsStored-1) (order preserving); MONOCHROME1 (inverted grey) is flipped to MONOCHROME2 as
 * (2^BitsStored - 1) - v. Rescale slope/intercept and VOI windows are not applied: the model's min-max
 * normalisation is unchanged by a positive linear rescale, and the hash is of what the file stores.
 */
import type { Channels, PixelImage } from '@veriscan/protocol';
import { parseDicom, type DataSet } from 'dicom-parser';
import { ImagingError, ImagingErrorCode, causeName } from './errors.js';
import { type ScanInfo, inspectScan } from './inspect-scan.js';
import type { ScanLimits } from './limits.js';
import { ScanMediaType } from './media-type.js';
import { TransferSyntax, isSupportedTransferSyntax } from './transfer-syntax.js';

const Tag = {
  transferSyntax: 'x00020010',
  samplesPerPixel: 'x00280002',
  photometric: 'x00280004',
  numberOfFrames: 'x00280008',
  planarConfiguration: 'x00280006',
  rows: 'x00280010',
  columns: 'x00280011',
  bitsAllocated: 'x00280100',
  bitsStored: 'x00280101',
  highBit: 'x00280102',
  pixelRepresentation: 'x00280103',
  pixelData: 'x7fe00010',
} as const;

function invalid(message: string, cause?: unknown): never {
  throw new ImagingError(
    ImagingErrorCode.INVALID_SCAN,
    `DICOM: ${message}`,
    cause === undefined ? undefined : { cause: causeName(cause) },
  );
}

function requiredUint16(dataSet: DataSet, tag: string, name: string): number {
  const value = dataSet.uint16(tag);
  if (value === undefined) invalid(`${name} is missing`);
  return value;
}

interface PixelModule {
  readonly rows: number;
  readonly columns: number;
  readonly channels: Channels;
  readonly bitsAllocated: 8 | 16;
  readonly bitsStored: number;
  readonly signed: boolean;
  readonly inverted: boolean;
  readonly planar: boolean;
  readonly bigEndian: boolean;
}

function readPixelModule(dataSet: DataSet): PixelModule {
  // inspectScan has refused compressed syntaxes by name and checked the frame count against the limits.
  const syntax = dataSet.string(Tag.transferSyntax) ?? '';
  if (!isSupportedTransferSyntax(syntax)) invalid('transfer syntax is not an uncompressed one');
  const frames = Number.parseInt(dataSet.string(Tag.numberOfFrames) ?? '1', 10);
  if (frames !== 1) invalid(`${String(frames)} frames; only single-frame images are decoded`);
  const rows = requiredUint16(dataSet, Tag.rows, 'Rows');
  const columns = requiredUint16(dataSet, Tag.columns, 'Columns');
  if (rows < 1 || columns < 1) invalid(`empty image ${columns} x ${rows}`);
  const samplesPerPixel = requiredUint16(dataSet, Tag.samplesPerPixel, 'SamplesPerPixel');
  const bitsAllocated = requiredUint16(dataSet, Tag.bitsAllocated, 'BitsAllocated');
  const bitsStored = dataSet.uint16(Tag.bitsStored) ?? bitsAllocated;
  const highBit = dataSet.uint16(Tag.highBit) ?? bitsStored - 1;
  const signed = (dataSet.uint16(Tag.pixelRepresentation) ?? 0) === 1;
  const photometric = (dataSet.string(Tag.photometric) ?? '').trim();
  if (bitsAllocated !== 8 && bitsAllocated !== 16) invalid(`BitsAllocated ${bitsAllocated} is not supported`);
  if (bitsStored < 1 || bitsStored > bitsAllocated || highBit !== bitsStored - 1) {
    invalid(`BitsStored ${bitsStored} / HighBit ${highBit} layout is not supported`);
  }
  let channels: Channels;
  if ((photometric === 'MONOCHROME1' || photometric === 'MONOCHROME2') && samplesPerPixel === 1) channels = 1;
  else if (photometric === 'RGB' && samplesPerPixel === 3) channels = 3;
  else invalid(`photometric interpretation ${JSON.stringify(photometric)} with ${samplesPerPixel} samples`);
  if (signed && channels !== 1) invalid('signed colour samples are not supported');
  return {
    rows,
    columns,
    channels,
    bitsAllocated,
    bitsStored,
    signed,
    inverted: photometric === 'MONOCHROME1',
    planar: channels === 3 && dataSet.uint16(Tag.planarConfiguration) === 1,
    bigEndian: syntax === TransferSyntax.explicitVrBigEndian,
  };
}

/** Stored sample -> canonical unsigned value (mask, sign offset, MONOCHROME1 flip). */
function canonicaliser(m: PixelModule): (raw: number) => number {
  const mask = 2 ** m.bitsStored - 1;
  const half = 2 ** (m.bitsStored - 1);
  return (raw) => {
    let v = raw & mask;
    // Two's complement in BitsStored bits, shifted up by half the range: order preserving, unsigned.
    if (m.signed) v = v >= half ? v - half : v + half;
    return m.inverted ? mask - v : v;
  };
}

/** Decodes a DICOM file that {@link inspectScan} has accepted. */
export function decodeInspectedDicom(bytes: Uint8Array): PixelImage {
  let dataSet: DataSet;
  try {
    dataSet = parseDicom(bytes);
  } catch (cause) {
    // dicom-parser throws strings or Errors that may quote file content; keep only a fixed message.
    return invalid('file could not be parsed', cause);
  }
  const m = readPixelModule(dataSet);
  const element = dataSet.elements[Tag.pixelData];
  if (element === undefined) invalid('PixelData is missing');
  if (element.encapsulatedPixelData === true) invalid('encapsulated (compressed) PixelData is not supported');
  const samples = m.rows * m.columns * m.channels;
  const bytesPerSample = m.bitsAllocated / 8;
  if (element.length < samples * bytesPerSample) {
    invalid(`PixelData holds ${element.length} bytes, ${samples * bytesPerSample} needed`);
  }
  const view = new DataView(dataSet.byteArray.buffer, dataSet.byteArray.byteOffset + element.dataOffset);
  const toCanonical = canonicaliser(m);
  // Big endian OW words hold two 8-bit samples in swapped order (PS3.5 §8.1.1); OB keeps byte order.
  const swapBytes = m.bigEndian && m.bitsAllocated === 8 && element.vr === 'OW';
  const read = (i: number): number =>
    m.bitsAllocated === 8 ? view.getUint8(swapBytes ? i ^ 1 : i) : view.getUint16(2 * i, !m.bigEndian);
  // Planar RGB stores all R, then all G, then all B; canonical pixels interleave them.
  const plane = m.rows * m.columns;
  const sourceIndex = m.planar ? (i: number) => (i % 3) * plane + Math.floor(i / 3) : (i: number) => i;
  const header = { width: m.columns, height: m.rows, channels: m.channels };
  if (m.bitsAllocated === 8) {
    const data = new Uint8Array(samples);
    for (let i = 0; i < samples; i += 1) data[i] = toCanonical(read(sourceIndex(i)));
    return { ...header, bitDepth: 8, data };
  }
  const data = new Uint16Array(samples);
  for (let i = 0; i < samples; i += 1) data[i] = toCanonical(read(sourceIndex(i)));
  return { ...header, bitDepth: 16, data };
}

/**
 * Decodes a DICOM Part 10 file's single frame, after {@link inspectScan} with `limits`.
 * @throws ImagingError `INVALID_SCAN` for unparseable files, multi-frame images and sample layouts outside the
 * list above; `UNSUPPORTED_TRANSFER_SYNTAX` for compressed ones; `SCAN_TOO_LARGE` over a limit. The message never
 * quotes a tag value other than the pixel-module ones.
 */
export function decodeDicom(bytes: Uint8Array, limits?: Partial<ScanLimits>): PixelImage {
  const info: ScanInfo = inspectScan(bytes, limits);
  if (info.mediaType !== ScanMediaType.dicom) invalid(`the bytes are ${info.mediaType}, not DICOM Part 10`);
  return decodeInspectedDicom(bytes);
}
