#!/usr/bin/env node
// Runs every benchmark under bench/<area>/*.ts with tsx and lets each print its figures.
// bench/fabric needs real Fabric (FABRIC_BIN) and is run only when VERISCAN_NETWORK=fabric.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const only = process.argv[2];
if (only === '--help' || only === '-h') {
  process.stdout.write(
    'usage: npm run bench [-- <area>]   areas: ' +
      readdirSync(here)
        .filter((d) => statSync(join(here, d)).isDirectory())
        .join(', ') +
      '\n',
  );
  process.exit(0);
}
let failed = 0;
for (const area of readdirSync(here).sort()) {
  const dir = join(here, area);
  if (!statSync(dir).isDirectory() || (only !== undefined && area !== only)) continue;
  if (area === 'fabric' && process.env.VERISCAN_NETWORK !== 'fabric') continue;
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
    .sort()) {
    process.stdout.write(`\n== bench/${area}/${file}\n`);
    const r = spawnSync(join(root, 'node_modules', '.bin', 'tsx'), [join(dir, file)], {
      cwd: root,
      stdio: 'inherit',
    });
    if (r.status !== 0) failed++;
  }
}
process.exit(failed === 0 ? 0 : 1);
