/** Shared paths and fixtures of the runtime tests: the sample scans, their reference digests, the models. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..', '..');

/** test/fixtures/scans/ */
export const SCANS_DIR = join(ROOT, 'test', 'fixtures', 'scans');
/** inference-lab/models/ (one folder per model id, one per version inside). */
export const MODELS_DIR = join(ROOT, 'inference-lab', 'models');

/** The folder of brain-tissue `version`. */
export function modelDir(version: string): string {
  return join(MODELS_DIR, 'brain-tissue', version);
}

/** One entry of test/fixtures/scans/fixtures.json, written by make_fixtures.py. */
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
}

function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseFixture(name: string, value: unknown): ScanFixture {
  if (!isRecord(value)) throw new Error(`fixtures.json ${name}: not an object`);
  const { mediaType, width, height, channels, bitDepth, pixelsHash, tensorHash } = value;
  if (
    typeof mediaType !== 'string' ||
    typeof width !== 'number' ||
    typeof height !== 'number' ||
    typeof channels !== 'number' ||
    typeof bitDepth !== 'number' ||
    typeof pixelsHash !== 'string' ||
    (tensorHash !== null && typeof tensorHash !== 'string')
  ) {
    throw new Error(`fixtures.json ${name}: unexpected member types`);
  }
  return { name, mediaType, width, height, channels, bitDepth, pixelsHash, tensorHash };
}

/** Every sample scan with its reference values. */
export function scanFixtures(): readonly ScanFixture[] {
  const doc: unknown = JSON.parse(readFileSync(join(SCANS_DIR, 'fixtures.json'), 'utf8'));
  if (!isRecord(doc) || !isRecord(doc.files)) throw new Error('fixtures.json: no files');
  return Object.entries(doc.files).map(([name, value]) => parseFixture(name, value));
}

/** The bytes of one sample scan. */
export function scanBytes(name: string): Buffer {
  return readFileSync(join(SCANS_DIR, name));
}

/** The widest vector instruction set of this host, as the service would read it. */
export function hostCpuinfo(): string {
  return existsSync('/proc/cpuinfo') ? readFileSync('/proc/cpuinfo', 'utf8') : '';
}
