#!/usr/bin/env node
// Entry point behind `npm start`, `npm stop`, `npm test` and `npm run bench`. Plain Node with no
// dependencies, because on a fresh clone it runs before anything is installed.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);

const USAGE = `usage: node scripts/veriscan.mjs <command>

commands:
  start   install what is missing, build, bring the devnet up and deploy the chaincode
  stop    stop every process the devnet started
  test    install what is missing (npm packages; Debian's chromium for the web-page tests), build,
          lint, boundary and cycle checks, unit tests, then integration tests on the devnet
  bench   run the benchmarks under bench/ and print their figures

environment:
  VERISCAN_NETWORK   devnet (default) or fabric
  CI                 when set, npm output is kept short`;

function step(title) {
  process.stdout.write(`\n==> ${title}\n`);
}

function run(cmd, args, options = {}) {
  const result = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', ...options });
  if (result.error) throw result.error;
  if (result.status !== 0) {
    process.stderr.write(
      `\n${cmd} ${args.join(' ')} failed with exit code ${result.status ?? result.signal}\n`,
    );
    process.exit(result.status ?? 1);
  }
}

/** npm ci when node_modules is missing or older than the lockfile. */
function ensureInstalled() {
  const marker = join(root, 'node_modules', '.package-lock.json');
  const lock = join(root, 'package-lock.json');
  if (existsSync(marker) && statSync(marker).mtimeMs >= statSync(lock).mtimeMs) return;
  step('installing dependencies (npm ci)');
  run('npm', ['ci', '--no-audit', '--no-fund', '--foreground-scripts']);
}

const totals = { passed: 0, failed: 0, pending: 0 };

/** Runs mocha, streaming its output, and adds its counts to the totals printed at the end. */
async function mocha(args) {
  const child = spawn(bin('mocha'), args, { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (chunk) => {
    process.stdout.write(chunk);
    out += chunk.toString('utf8');
  });
  const status = await new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve(code ?? 1));
  });
  const count = (word) => Number.parseInt(out.match(new RegExp(`(\\d+) ${word}`))?.[1] ?? '0', 10);
  totals.passed += count('passing');
  totals.failed += count('failing');
  totals.pending += count('pending');
  if (status !== 0) {
    summary();
    process.exit(status);
  }
}

function summary() {
  process.stdout.write(
    `\ntests: ${totals.passed} passed, ${totals.failed} failed, ${totals.pending} skipped\n`,
  );
}

// The workspaces, from the one build list (tsconfig.build.json's references).
const BUILD_LIST = join(root, 'tsconfig.build.json');
const WORKSPACES = JSON.parse(readFileSync(BUILD_LIST, 'utf8')).references.map((ref) => ref.path);
const WORKSPACE_SOURCES = WORKSPACES.map((ws) => `${ws}/src`);

function build() {
  step('building TypeScript workspaces');
  run(bin('tsc'), ['-b', BUILD_LIST]);
}

function devnet(args) {
  run(process.execPath, [join(root, 'network/devnet/dist/cli/main.js'), ...args]);
}

const command = process.argv[2];
switch (command) {
  case 'start':
    ensureInstalled();
    build();
    step('bringing the devnet up');
    devnet(['up']);
    // The endorsement policy defaults to the consortium table's (fabric-kit/src/consortium.ts).
    devnet(['deploy', '--name', 'veriscan', '--path', 'chaincode']);
    step('activating the demo consortium members');
    run(bin('tsx'), [join(root, 'scripts/setup-consortium.ts')]);
    devnet(['status']);
    process.stdout.write(
      '\nVeriscan devnet is running. Stop it with `npm stop`; remove its state with `npm run devnet -- clean`.\n',
    );
    break;
  case 'stop':
    if (!existsSync(join(root, 'network/devnet/dist/cli/main.js'))) {
      process.stdout.write('nothing to stop: the devnet was never built\n');
      break;
    }
    devnet(['down']);
    break;
  case 'test':
    ensureInstalled();
    step('browser for the web-page tests (Debian chromium, installed when missing)');
    run(process.execPath, [join(root, 'scripts/ensure-chromium.mjs')]);
    build();
    step('lint');
    run(bin('eslint'), ['.']);
    step('package boundaries and import cycles');
    run(process.execPath, [join(root, 'scripts/check-boundaries.mjs')]);
    run(bin('depcruise'), ['--config', '.dependency-cruiser.cjs', ...WORKSPACE_SOURCES]);
    step('unit tests');
    await mocha(['test/unit/**/*.test.ts']);
    step(`integration tests (${process.env.VERISCAN_NETWORK === 'fabric' ? 'real Fabric' : 'devnet'})`);
    await mocha([
      '--require',
      'test/integration/support/hooks.ts',
      '--timeout',
      '120000',
      'test/integration/**/*.test.ts',
    ]);
    summary();
    break;
  case 'bench':
    ensureInstalled();
    build();
    run(process.execPath, [join(root, 'bench/run.mjs'), ...process.argv.slice(3)]);
    break;
  case '--help':
  case '-h':
  case undefined:
    process.stdout.write(`${USAGE}\n`);
    break;
  default:
    process.stderr.write(`unknown command: ${command}\n\n${USAGE}\n`);
    process.exit(2);
}
