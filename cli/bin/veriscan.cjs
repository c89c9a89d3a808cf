#!/usr/bin/env node
// The `veriscan` command: a committed shim, so npm links it at install time, before the TypeScript is
// built (a fresh clone's `npm ci` runs before `npm start` builds cli/dist).
'use strict';
const { join } = require('node:path');
const { existsSync } = require('node:fs');
const main = join(__dirname, '..', 'dist', 'main.js');
if (!existsSync(main)) {
  process.stderr.write('veriscan: not built yet; run `npm start` (or `npm run build`) first\n');
  process.exit(3);
}
require(main).run(process.argv);
