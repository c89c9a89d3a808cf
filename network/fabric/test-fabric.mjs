#!/usr/bin/env node
// `npm run test:fabric`: the integration suite (test/integration) against real Fabric, started natively by
// network/fabric/fabric.mjs from FABRIC_BIN. Without FABRIC_BIN it says so and succeeds, so machines without
// Fabric's binaries can run every script; `npm test` stays on the devnet.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fabricBinaries, MissingFabricError } from './lib/binaries.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

if (!process.env.FABRIC_BIN) {
  process.stdout.write('skipped: FABRIC_BIN not set\n');
  process.exit(0);
}
try {
  fabricBinaries();
} catch (error) {
  // FABRIC_BIN is set but wrong: that is a mistake to report, not a reason to skip.
  process.stderr.write(
    `test:fabric: ${error instanceof MissingFabricError ? error.message : String(error)}\n`,
  );
  process.exit(1);
}

const mocha = join(root, 'node_modules', '.bin', 'mocha');
const args = [
  '--require',
  'test/integration/support/hooks.ts',
  '--timeout',
  '120000',
  'test/integration/**/*.test.ts',
  ...process.argv.slice(2),
];
process.stdout.write(
  `test:fabric: integration suite on real Fabric (FABRIC_BIN=${process.env.FABRIC_BIN})\n`,
);
const result = spawnSync(mocha, args, {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, VERISCAN_NETWORK: 'fabric' },
});
if (result.error) throw result.error;
process.exit(result.status ?? 1);
