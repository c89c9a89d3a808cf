/** Crypto material generated once per test run, in a temporary folder removed at exit. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { generateCryptoMaterial, type GenerateResult } from '@veriscan/fabric-kit';

let shared: Promise<GenerateResult> | undefined;

/** A fresh temporary folder, removed when the process exits. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  process.once('exit', () => {
    rmSync(dir, { recursive: true, force: true });
  });
  return dir;
}

/** The consortium's material, generated on first use. */
export function sharedMaterial(): Promise<GenerateResult> {
  shared ??= generateCryptoMaterial({ outDir: tempDir('veriscan-msp-') });
  return shared;
}
