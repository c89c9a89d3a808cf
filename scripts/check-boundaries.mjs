#!/usr/bin/env node
// `npm test`'s boundary check (docs/architecture.md): reads every import specifier and string literal
// as written and fails when
//   - a file imports another workspace's `dist/` or `src/` (tests may reach the `src/` of the workspace
//     they mirror: test/unit/<area>/ → that area's workspace),
//   - a workspace imports a Veriscan package it may not (dependencies point down; see ALLOWED) or does
//     not declare in its package.json,
//   - a transaction or event name of the chaincode is spelled outside ledger-api/src (tests included),
//     or a transaction's bare function name is spelled as a value in non-test code,
//   - an MSP id or an endorsement policy is spelled in code outside fabric-kit/src/consortium.ts.
// Import cycles are dependency-cruiser's job (.dependency-cruiser.cjs), run by the same npm script.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

if (process.argv.includes('--help') || process.argv.includes('-h')) {
  process.stdout.write(`usage: node scripts/check-boundaries.mjs

Checks the package boundaries, dependency directions, and that transaction/event names, MSP ids and
policies are spelled only in their one home. Prints each violation as file:line and exits 1 if any.
`);
  process.exit(0);
}

/** Workspace folder → package name. */
const WORKSPACES = {
  protocol: '@veriscan/protocol',
  'ledger-api': '@veriscan/ledger-api',
  'fabric-kit': '@veriscan/fabric-kit',
  chaincode: '@veriscan/chaincode',
  'network/devnet': '@veriscan/devnet',
  'network/fabric': '@veriscan/fabric-network',
  imaging: '@veriscan/imaging',
  'inference-lab': '@veriscan/inference-lab',
  'gateway-app': '@veriscan/gateway-app',
  cli: '@veriscan/cli',
};

/** What each workspace's source may import (package entry points; a trailing path names a sub-entry). */
const ALLOWED = {
  protocol: [],
  // The CLI talks to the gateways over HTTP; from the kit it takes only the state folder's paths.
  cli: ['@veriscan/fabric-kit'],
  'ledger-api': ['@veriscan/protocol'],
  'fabric-kit': ['@veriscan/protocol'],
  // The chaincode bundles only pure entries: no client runtime, no I/O.
  chaincode: ['@veriscan/protocol', '@veriscan/ledger-api/wire', '@veriscan/fabric-kit/consortium'],
  'network/devnet': ['@veriscan/fabric-kit', '@veriscan/protocol'],
  // The real-Fabric launcher: the kit (consortium, profile, gateway, crypto, supervision) and the wire
  // names for its readiness probe; not the ledger-api facade.
  'network/fabric': ['@veriscan/fabric-kit', '@veriscan/ledger-api/wire', '@veriscan/protocol'],
  // The one scan decoder and the DICOM de-identification, shared by the gateway and the lab: pure, no ledger.
  imaging: ['@veriscan/protocol'],
  'inference-lab': [
    '@veriscan/protocol',
    '@veriscan/ledger-api',
    '@veriscan/fabric-kit',
    '@veriscan/imaging',
  ],
  // The gateways speak the lab's signed-request protocol (fetch) and the regulator re-runs inferences
  // with the lab's runtime; the lab's service internals stay out of reach.
  'gateway-app': [
    '@veriscan/protocol',
    '@veriscan/ledger-api',
    '@veriscan/fabric-kit',
    '@veriscan/imaging',
    '@veriscan/inference-lab/runtime',
    '@veriscan/inference-lab/fetch',
  ],
};

/**
 * test/unit/<area> and test/integration/<area> mirror this workspace and may reach its `src/` (tests
 * exercise internals); any other cross-package reach into `src/` must be a listed conformance test.
 */
const UNIT_AREAS = {
  lab: 'inference-lab',
  protocol: 'protocol',
  'ledger-api': 'ledger-api',
  'fabric-kit': 'fabric-kit',
  chaincode: 'chaincode',
  devnet: 'network/devnet',
  'fabric-network': 'network/fabric',
  imaging: 'imaging',
  'inference-lab': 'inference-lab',
  'gateway-app': 'gateway-app',
  cli: 'cli',
};

/** Tests that deliberately hold two packages against each other, and why. */
const CONFORMANCE_TESTS = {
  'test/unit/inference-lab/runtime/manifest.test.ts':
    'the lab manifest parses as the chaincode parses a model spec',
  'test/unit/ledger-api/records.test.ts': "ledger-api's parsers read what the chaincode writes",
};

const SCANNED = [
  'protocol',
  'ledger-api',
  'fabric-kit',
  'chaincode',
  'network',
  'imaging',
  'inference-lab',
  'gateway-app',
  'cli',
  'test',
  'bench',
  'scripts',
];
const SKIP_DIRS = new Set(['node_modules', 'dist', '.veriscan', 'models', 'fixtures']);
const CODE = /\.(ts|mts|cts|mjs|cjs|js)$/;

function* files(dir) {
  for (const name of readdirSync(dir)) {
    if (SKIP_DIRS.has(name) || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* files(path);
    else if (CODE.test(name)) yield path;
  }
}

function workspaceOf(rel) {
  return Object.keys(WORKSPACES).find((ws) => rel === ws || rel.startsWith(`${ws}/`));
}

// The names to guard, read from their homes so this check never restates them.
const ledgerApi = await import('@veriscan/ledger-api/wire');
const consortium = await import('@veriscan/fabric-kit/consortium');
const TX_NAMES = new Set(Object.values(ledgerApi.Tx));
// A transaction's bare function name (`SubmitResult`) spelled as a value in code is a second spelling too.
const TX_FUNCTIONS = new Set(Object.values(ledgerApi.Tx).map((tx) => ledgerApi.functionOf(tx)));
const EVENT_NAMES = new Set(Object.values(ledgerApi.EventName));
const MSP_IDS = consortium.CONSORTIUM.map((org) => org.mspId);

const violations = [];
const report = (rel, line, message) => violations.push(`${rel}:${line}: ${message}`);

const IMPORT = /(?:\bfrom\s+|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)(['"])([^'"]+)\1/g;
const STRING = /(['"`])((?:\\.|(?!\1)[^\\\n])*)\1/g;

for (const top of SCANNED) {
  const dir = join(root, top);
  try {
    statSync(dir);
  } catch {
    continue;
  }
  for (const file of files(dir)) {
    const rel = relative(root, file).split(sep).join('/');
    const ws = workspaceOf(rel);
    // A workspace's src/ and any script beside it (e.g. network/fabric/test-fabric.mjs) share its rules.
    const inWorkspace = ws !== undefined;
    const isTest = rel.startsWith('test/');
    const unitArea = rel.match(/^test\/(?:unit|integration)\/([^/]+)\//)?.[1];
    const declared = ws === undefined ? undefined : packageDeps(ws);
    const text = readFileSync(file, 'utf8');
    const lines = text.split('\n');
    let inBlockComment = false;
    lines.forEach((raw, index) => {
      const lineNo = index + 1;
      let line = raw;
      if (inBlockComment) {
        const end = line.indexOf('*/');
        if (end < 0) return;
        line = line.slice(end + 2);
        inBlockComment = false;
      }
      const trimmed = line.trim();
      if (trimmed.startsWith('//') || trimmed.startsWith('*')) return;
      if (trimmed.startsWith('/*')) {
        if (!trimmed.includes('*/')) inBlockComment = true;
        return;
      }
      for (const match of line.matchAll(IMPORT)) {
        const spec = match[2];
        checkImport(rel, lineNo, spec, { ws, inWorkspace, isTest, unitArea, declared });
      }
      for (const match of line.matchAll(STRING)) {
        const value = match[2];
        if (rel.startsWith('ledger-api/src/')) continue;
        if (TX_NAMES.has(value))
          report(rel, lineNo, `transaction name '${value}' spelled outside ledger-api (use Tx)`);
        else if (EVENT_NAMES.has(value))
          report(rel, lineNo, `event name '${value}' spelled outside ledger-api (use EventName)`);
        else if (TX_FUNCTIONS.has(value) && !isTest)
          report(
            rel,
            lineNo,
            `transaction function '${value}' spelled outside ledger-api (use functionOf(Tx.${value}))`,
          );
        if (
          !isTest &&
          rel !== 'fabric-kit/src/consortium.ts' &&
          MSP_IDS.some((id) => new RegExp(`\\b${id}\\b`).test(value))
        )
          report(rel, lineNo, `MSP id or policy '${value}' spelled outside the consortium table`);
      }
    });
  }
}

function packageDeps(ws) {
  const pkg = JSON.parse(readFileSync(join(root, ws, 'package.json'), 'utf8'));
  return new Set(Object.keys({ ...pkg.dependencies, ...pkg.devDependencies, ...pkg.peerDependencies }));
}

function checkImport(rel, lineNo, spec, { ws, inWorkspace, isTest, unitArea, declared }) {
  const own = spec.match(/^(@veriscan\/[^/]+)(\/.*)?$/);
  if (own !== null) {
    const [, pkg, sub = ''] = own;
    if (/^\/(dist|src)(\/|$)/.test(sub))
      report(rel, lineNo, `imports ${spec}: use the package's entry point`);
    if (inWorkspace) {
      const allowed = ALLOWED[ws] ?? [];
      const ok = allowed.some((a) => a === pkg + sub || (a === pkg && sub === ''));
      if (!ok && pkg !== WORKSPACES[ws])
        report(rel, lineNo, `${ws} may not import ${spec} (allowed: ${allowed.join(', ') || 'none'})`);
      if (declared !== undefined && !declared.has(pkg))
        report(rel, lineNo, `${ws} imports ${pkg} without declaring it in package.json`);
    }
    return;
  }
  if (!spec.startsWith('.')) return;
  const target = relative(root, resolve(root, dirname(rel), spec))
    .split(sep)
    .join('/');
  const targetWs = workspaceOf(target);
  if (targetWs === undefined) return;
  if (/^[^]*\/dist(\/|$)/.test(target.slice(targetWs.length))) {
    report(rel, lineNo, `imports ${spec}: another package's dist/`);
    return;
  }
  if (targetWs === ws) return;
  if (isTest && unitArea !== undefined && UNIT_AREAS[unitArea] === targetWs) return;
  if (rel in CONFORMANCE_TESTS && targetWs === 'chaincode') return;
  report(rel, lineNo, `imports ${spec}, inside ${targetWs}: use ${WORKSPACES[targetWs]}`);
}

if (violations.length > 0) {
  process.stderr.write(`${violations.join('\n')}\n\n${violations.length} boundary violation(s)\n`);
  process.exit(1);
}
process.stdout.write('boundaries: no violations\n');
