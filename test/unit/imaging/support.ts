/**
 * Shared by the imaging tests, the lab's runtime tests and test/fixtures/scans/make-dicom-fixtures.ts: the sample
 * scans and their reference values (test/fixtures/scans/fixtures.json), and small dcmjs helpers that re-encode a
 * DICOM file (another transfer syntax, one attribute changed) to craft inputs.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { data, log, type DicomDict, type DicomElement } from 'dcmjs';

/** test/fixtures/scans/ */
export const SCANS_DIR = join(__dirname, '..', '..', 'fixtures', 'scans');

/** One entry of test/fixtures/scans/fixtures.json (make_fixtures.py, make-dicom-fixtures.ts). */
export interface ScanFixture {
  readonly name: string;
  readonly mediaType: string;
  readonly width: number;
  readonly height: number;
  readonly channels: number;
  readonly bitDepth: number;
  /** Protocol scan hash of the canonical samples, computed in Python from the source arrays. */
  readonly pixelsHash: string;
  /** Protocol tensor digest of the NumPy twin's preprocessing; null for JPEG. */
  readonly tensorHash: string | null;
  /** DICOM files made by make-dicom-fixtures.ts: their transfer syntax. */
  readonly transferSyntax?: string;
  /** The fake-patient DICOM file: every identifying value it carries, which de-identification must remove. */
  readonly fakeValues?: readonly string[];
}

function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseFixture(name: string, value: unknown): ScanFixture {
  if (!isRecord(value)) throw new Error(`fixtures.json ${name}: not an object`);
  const { mediaType, width, height, channels, bitDepth, pixelsHash, tensorHash, transferSyntax, fakeValues } =
    value;
  if (
    typeof mediaType !== 'string' ||
    typeof width !== 'number' ||
    typeof height !== 'number' ||
    typeof channels !== 'number' ||
    typeof bitDepth !== 'number' ||
    typeof pixelsHash !== 'string' ||
    (tensorHash !== null && typeof tensorHash !== 'string') ||
    (transferSyntax !== undefined && typeof transferSyntax !== 'string') ||
    (fakeValues !== undefined &&
      (!Array.isArray(fakeValues) || !fakeValues.every((v): v is string => typeof v === 'string')))
  ) {
    throw new Error(`fixtures.json ${name}: unexpected member types`);
  }
  return {
    name,
    mediaType,
    width,
    height,
    channels,
    bitDepth,
    pixelsHash,
    tensorHash,
    ...(transferSyntax === undefined ? {} : { transferSyntax }),
    ...(fakeValues === undefined ? {} : { fakeValues }),
  };
}

/** Every sample scan with its reference values. */
export function scanFixtures(): readonly ScanFixture[] {
  const doc: unknown = JSON.parse(readFileSync(join(SCANS_DIR, 'fixtures.json'), 'utf8'));
  if (!isRecord(doc) || !isRecord(doc.files)) throw new Error('fixtures.json: no files');
  return Object.entries(doc.files).map(([name, value]) => parseFixture(name, value));
}

/** One sample scan's reference values. */
export function scanFixture(name: string): ScanFixture {
  const fixture = scanFixtures().find((f) => f.name === name);
  if (fixture === undefined) throw new Error(`fixtures.json has no ${name}`);
  return fixture;
}

/** The bytes of one sample scan. */
export function scanBytes(name: string): Buffer {
  return readFileSync(join(SCANS_DIR, name));
}

/** The uncompressed transfer syntaxes. */
export const Syntax = {
  implicitLittle: '1.2.840.10008.1.2',
  explicitLittle: '1.2.840.10008.1.2.1',
  explicitBig: '1.2.840.10008.1.2.2',
} as const;

const TRANSFER_SYNTAX = '00020010';
const BITS_ALLOCATED = '00280100';
const PIXEL_DATA = '7FE00010';

/** A DICOM file read by dcmjs. */
export function readDicom(bytes: Uint8Array): DicomDict {
  log.setLevel('silent');
  log.getLogger('validation.dcmjs').setLevel('silent');
  return data.DicomMessage.readFile(new Uint8Array(bytes).buffer);
}

/** dcmjs's encoding of `file`, in the transfer syntax its meta header names. */
export function writeDicom(file: DicomDict): Uint8Array {
  return new Uint8Array(file.write());
}

function isBigEndian(syntax: string): boolean {
  return syntax === Syntax.explicitBig;
}

/**
 * `bytes` re-encoded in another uncompressed syntax. dcmjs converts every value but OW, so 16-bit PixelData is
 * byte-swapped here when the byte order changes (enough for the fixtures, which have no other OW/OF values).
 */
export function transcodeDicom(bytes: Uint8Array, syntax: string): Uint8Array {
  const file = readDicom(bytes);
  const from = file.meta[TRANSFER_SYNTAX]?.Value?.[0];
  if (typeof from !== 'string') throw new Error('no TransferSyntaxUID');
  const pixels = file.dict[PIXEL_DATA];
  const buffer = pixels?.Value?.[0];
  if (pixels !== undefined && isBigEndian(from) !== isBigEndian(syntax) && buffer instanceof ArrayBuffer) {
    if (file.dict[BITS_ALLOCATED]?.Value?.[0] !== 16) throw new Error('only 16-bit PixelData is re-ordered');
    const source = new Uint8Array(buffer);
    const swapped = new Uint8Array(source.length);
    for (let i = 0; i + 1 < source.length; i += 2) {
      swapped[i] = source[i + 1] ?? 0;
      swapped[i + 1] = source[i] ?? 0;
    }
    pixels.Value = [swapped.buffer];
    delete pixels._rawValue;
  }
  file.meta[TRANSFER_SYNTAX] = { vr: 'UI', Value: [syntax] };
  return writeDicom(file);
}

/** `bytes` with the meta header's TransferSyntaxUID replaced and nothing else re-encoded on purpose. */
export function withMetaTransferSyntax(bytes: Uint8Array, syntax: string): Uint8Array {
  const file = readDicom(bytes);
  file.meta[TRANSFER_SYNTAX] = { vr: 'UI', Value: [syntax] };
  return writeDicom(file);
}

/** `bytes` with data-set attribute `tag` (8 hex digits) set to `element`. */
export function withElement(bytes: Uint8Array, tag: string, element: DicomElement): Uint8Array {
  const file = readDicom(bytes);
  file.dict[tag] = element;
  return writeDicom(file);
}
