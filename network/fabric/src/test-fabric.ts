#!/usr/bin/env node
/**
 * `npm run test:fabric` (through `network/fabric/test-fabric.mjs`, which builds first): the integration
 * suite (test/integration) against real Fabric, started natively by this package's CLI from FABRIC_BIN.
 * Without FABRIC_BIN it says so and succeeds, so machines without Fabric's binaries can run every script;
 * `npm test` stays on the devnet. Extra arguments go to mocha.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fabricBinaries } from './binaries';
import { messageOf } from './errors';
import { launcherPaths } from './topology';

const CONSORTIUM_TESTS = 'test/integration/consortium/**/*.test.ts';

function main(args: readonly string[]): number {
  const bin = process.env.FABRIC_BIN;
  if (bin === undefined || bin === '') {
    process.stdout.write('skipped: FABRIC_BIN not set\n');
    return 0;
  }
  try {
    fabricBinaries();
  } catch (error) {
    // FABRIC_BIN is set but wrong: that is a mistake to report, not a reason to skip.
    process.stderr.write(`test:fabric: ${messageOf(error)}\n`);
    return 1;
  }
  const { root } = launcherPaths();
  const mocha = join(root, 'node_modules', '.bin', 'mocha');
  process.stdout.write(`test:fabric: integration suite on real Fabric (FABRIC_BIN=${bin})\n`);
  // Adding an institution changes the channel for good (Fabric's ports are fixed, so it cannot get a
  // network of its own): the consortium tests run last, in a second pass on the same network.
  const passes = [['test/integration/**/*.test.ts', '--ignore', CONSORTIUM_TESTS], [CONSORTIUM_TESTS]];
  let status = 0;
  for (const files of passes) {
    const result = spawnSync(
      mocha,
      ['--require', 'test/integration/support/hooks.ts', '--timeout', '120000', ...files, ...args],
      { cwd: root, stdio: 'inherit', env: { ...process.env, VERISCAN_NETWORK: 'fabric' } },
    );
    if (result.error !== undefined) {
      process.stderr.write(`test:fabric: mocha could not run: ${result.error.message}\n`);
      return 1;
    }
    status = status === 0 ? (result.status ?? 1) : status;
  }
  return status;
}

process.exitCode = main(process.argv.slice(2));
