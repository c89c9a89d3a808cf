#!/usr/bin/env node
// `npm run test:fabric`. Plain Node with no dependencies, so it runs on a fresh clone after `npm ci`:
// without FABRIC_BIN it says so and succeeds at once; otherwise it builds the workspaces the integration
// suite loads (incremental, tsconfig.build.json: the same list as `npm run build`) and hands over to the compiled
// runner, network/fabric/dist/test-fabric.js (src/test-fabric.ts), passing its arguments on to mocha.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const BUILD_LIST = join(root, 'tsconfig.build.json');

if (!process.env.FABRIC_BIN) {
  process.stdout.write('skipped: FABRIC_BIN not set\n');
  process.exit(0);
}

function run(command, args) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (result.error) {
    process.stderr.write(`test:fabric: ${command} could not run: ${result.error.message}\n`);
    process.exit(1);
  }
  return result.status ?? 1;
}

// The web-page tests drive Debian's chromium; installed when missing (scripts/ensure-chromium.mjs).
const browser = run(process.execPath, [join(root, 'scripts', 'ensure-chromium.mjs')]);
if (browser !== 0) process.exit(browser);
const built = run(join(root, 'node_modules', '.bin', 'tsc'), ['-b', BUILD_LIST]);
if (built !== 0) {
  process.stderr.write(`test:fabric: tsc -b tsconfig.build.json failed (exit ${built})\n`);
  process.exit(built);
}
process.exit(
  run(process.execPath, [
    join(root, 'network', 'fabric', 'dist', 'test-fabric.js'),
    ...process.argv.slice(2),
  ]),
);
