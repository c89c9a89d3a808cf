#!/usr/bin/env node
// Entry point behind `npm start`, `npm stop`, `npm test` and `npm run bench`. Plain Node with no
// dependencies, because on a fresh clone it runs before anything is installed.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, openSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);

const USAGE = `usage: node scripts/veriscan.mjs <command>

commands:
  start   install what is missing, build, bring the devnet up, deploy the chaincode, admit the
          members, then run the whole demo system (models approved, lab services, gateways) in the
          foreground until Ctrl-C; \`start -- --detach\` leaves it running in the background
  stop    stop the demo system and every process the devnet started
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

/** `$VERISCAN_HOME` (default `<repo>/.veriscan`), as fabric-kit's veriscanPaths resolves it. */
function stateDir() {
  return process.env.VERISCAN_HOME ?? join(root, '.veriscan');
}

/** The pid of a running demo system (scripts/system/main.ts), or undefined. */
function systemPid() {
  const file = join(stateDir(), 'system', 'pid');
  if (!existsSync(file)) return undefined;
  const pid = Number.parseInt(readFileSync(file, 'utf8'), 10);
  try {
    process.kill(pid, 0);
    return pid;
  } catch {
    return undefined;
  }
}

const SYSTEM = ['--import', 'tsx', join(root, 'scripts/system/main.ts')];

/** Runs the demo system: in the foreground until it exits (Ctrl-C reaches it too), or detached. */
async function runSystem(detach) {
  if (!detach) {
    const child = spawn(process.execPath, SYSTEM, { cwd: root, stdio: 'inherit' });
    // Ctrl-C goes to the whole foreground group: the child stops its services, this process waits.
    process.on('SIGINT', () => {});
    process.on('SIGTERM', () => child.kill('SIGTERM'));
    const code = await new Promise((resolve) => child.on('exit', (c) => resolve(c ?? 1)));
    if (code !== 0) process.exit(code);
    return;
  }
  const log = join(stateDir(), 'system', 'system.log');
  const { mkdirSync, rmSync } = await import('node:fs');
  mkdirSync(dirname(log), { recursive: true });
  rmSync(join(stateDir(), 'system', 'ready'), { force: true });
  const out = openSync(log, 'a');
  const child = spawn(process.execPath, SYSTEM, { cwd: root, stdio: ['ignore', out, out], detached: true });
  child.unref();
  let exited = false;
  child.on('exit', () => {
    exited = true;
  });
  const deadline = Date.now() + 300_000;
  while (!existsSync(join(stateDir(), 'system', 'ready'))) {
    if (exited || Date.now() > deadline) {
      process.stderr.write(`the demo system did not start; its log: ${log}\n`);
      process.stderr.write(readFileSync(log, 'utf8').split('\n').slice(-30).join('\n'));
      process.exit(1);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const text = readFileSync(log, 'utf8');
  const summary = text.slice(text.lastIndexOf('Veriscan is running'));
  process.stdout.write(
    `\n${summary.replace('Ctrl-C (or `npm stop`) stops everything.', '`npm stop` stops everything.')}`,
  );
  process.stdout.write(`Running in the background (pid ${child.pid}); its log: ${log}\n`);
}

/** Stops a running demo system (SIGTERM, then waits for it), then the devnet. */
async function stopSystem() {
  const pid = systemPid();
  if (pid !== undefined) {
    process.stdout.write(`stopping the demo system (pid ${pid})\n`);
    process.kill(pid, 'SIGTERM');
    const deadline = Date.now() + 60_000;
    while (systemPid() !== undefined && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
  }
}

const command = process.argv[2];
switch (command) {
  case 'start': {
    const running = systemPid();
    if (running !== undefined) {
      process.stdout.write(
        `Veriscan is already running (pid ${running}); URLs and tokens: ${join(stateDir(), 'local.json')}. Stop it with \`npm stop\`.\n`,
      );
      break;
    }
    ensureInstalled();
    build();
    step('bringing the devnet up');
    devnet(['up']);
    // The endorsement policy defaults to the consortium table's (fabric-kit/src/consortium.ts).
    devnet(['deploy', '--name', 'veriscan', '--path', 'chaincode']);
    step('activating the demo consortium members');
    run(bin('tsx'), [join(root, 'scripts/setup-consortium.ts')]);
    devnet(['status']);
    step('starting the demo system: models, lab services, gateways');
    await runSystem(process.argv.includes('--detach'));
    break;
  }
  case 'stop':
    await stopSystem();
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
