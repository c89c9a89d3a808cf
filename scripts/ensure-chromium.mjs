#!/usr/bin/env node
// Makes sure Debian's Chromium is installed at /usr/bin/chromium, the browser the web-page tests
// (test/integration/gateway/pages.test.ts) drive with playwright-core. Plain Node with no dependencies.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const CHROMIUM = '/usr/bin/chromium';
const APT_GET = '/usr/bin/apt-get';

const USAGE = `usage: node scripts/ensure-chromium.mjs

Exits 0 when ${CHROMIUM} exists. Otherwise, when run as root on a Debian-like system, installs it:
  apt-get update
  apt-get install -y --no-install-recommends chromium
and fails with a clear message when it cannot (not root, no apt-get, or the install failed).`;

if (process.argv.includes('--help') || process.argv.includes('-h')) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}

function fail(message) {
  process.stderr.write(`ensure-chromium: ${message}\n`);
  process.exit(1);
}

function run(args) {
  process.stdout.write(`==> ${args.join(' ')}\n`);
  const result = spawnSync(args[0], args.slice(1), {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  if (result.error) fail(`${args[0]} could not start: ${result.error.message}`);
  if (result.status !== 0)
    fail(`\`${args.join(' ')}\` failed with exit code ${result.status ?? result.signal}`);
}

if (existsSync(CHROMIUM)) {
  process.stdout.write(`chromium: ${CHROMIUM} is installed\n`);
  process.exit(0);
}

const manual = 'sudo apt-get update && sudo apt-get install -y --no-install-recommends chromium';
if (!existsSync(APT_GET))
  fail(
    `${CHROMIUM} is missing and there is no apt-get here; install Chromium so that ${CHROMIUM} exists (the browser tests launch it from there)`,
  );
if (typeof process.getuid !== 'function' || process.getuid() !== 0)
  fail(`${CHROMIUM} is missing; installing it needs root. Run: ${manual}`);

process.stdout.write(`chromium: ${CHROMIUM} is missing; installing Debian's chromium package\n`);
run(['apt-get', 'update']);
run(['apt-get', 'install', '-y', '--no-install-recommends', 'chromium']);
if (!existsSync(CHROMIUM)) fail(`apt-get finished but ${CHROMIUM} still does not exist`);
process.stdout.write(`chromium: installed at ${CHROMIUM}\n`);
