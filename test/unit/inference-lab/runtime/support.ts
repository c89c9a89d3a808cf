/** Shared paths and fixtures of the runtime tests: the sample scans (test/unit/imaging/support.ts), the models. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export { SCANS_DIR, type ScanFixture, scanBytes, scanFixtures } from '../../imaging/support.js';

const ROOT = join(__dirname, '..', '..', '..', '..');

/** inference-lab/models/ (one folder per model id, one per version inside). */
export const MODELS_DIR = join(ROOT, 'inference-lab', 'models');

/** The folder of brain-tissue `version`. */
export function modelDir(version: string): string {
  return join(MODELS_DIR, 'brain-tissue', version);
}

/** The widest vector instruction set of this host, as the service would read it. */
export function hostCpuinfo(): string {
  return existsSync('/proc/cpuinfo') ? readFileSync('/proc/cpuinfo', 'utf8') : '';
}
