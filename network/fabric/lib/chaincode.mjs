// Chaincode `veriscan` through the v2 lifecycle, as chaincode-as-a-service: each org packages a
// connection.json pointing at its own chaincode server (the same `fabric-chaincode-node server` the devnet
// runs), installs it on its peer, starts the server with the installed package id and approves; then one
// commit with the Hospital and Lab peers as endorsers. Every step is skipped when already done.
import { existsSync, mkdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ccaasPackage } from './ccaas-package.mjs';
import { ordererArgs } from './channel.mjs';
import { chaincodeServerEnv, peerAdminEnv } from './node-env.mjs';
import { run, tryRun } from './run.mjs';
import { CHAINCODE, CHANNEL, cryptoPaths, PEER_ORGS } from './topology.mjs';

/** Compiles the chaincode (incremental: a no-op when dist/ is current). */
export function buildChaincode(paths, log) {
  log('building the chaincode (tsc -b protocol chaincode)');
  run(join(paths.root, 'node_modules', '.bin', 'tsc'), ['-b', 'protocol', 'chaincode'], {
    cwd: paths.root,
    timeoutMs: 300_000,
  });
  if (!existsSync(join(paths.chaincodeDir, 'dist', 'index.js')))
    throw new Error('chaincode/dist/index.js was not built');
}

/**
 * Writes `org`'s package to .veriscan/fabric/packages/ and returns its file and id. `tls` (from
 * ensureChaincodeTls) puts the peer's TLS settings for the chaincode link into connection.json.
 */
export function writePackage(paths, org, tls) {
  const { bytes, packageId } = ccaasPackage({
    label: CHAINCODE.label,
    address: `127.0.0.1:${org.chaincodePort}`,
    connection: tls.connection,
  });
  mkdirSync(paths.packages, { recursive: true });
  const file = join(paths.packages, `${CHAINCODE.name}-${org.key}.tar.gz`);
  if (!existsSync(file) || !readFileSync(file).equals(bytes)) writeFileSync(file, bytes);
  return { file, packageId };
}

function parseJsonOutput(text, what) {
  try {
    return JSON.parse(text.trim() === '' ? '{}' : text);
  } catch {
    throw new Error(`unexpected output from ${what}: ${text.slice(0, 200)}`);
  }
}

/** Installs `org`'s package on its peer unless the peer already has it. */
export function installPackage(paths, bin, org, pkg, log) {
  const env = peerAdminEnv(paths, org);
  const listed = run(bin.peer, ['lifecycle', 'chaincode', 'queryinstalled', '--output', 'json'], { env });
  const installed = parseJsonOutput(listed.stdout, 'queryinstalled').installed_chaincodes ?? [];
  if (installed.some((cc) => cc.package_id === pkg.packageId)) return;
  log(`installing ${CHAINCODE.label} on ${org.peerName}`);
  run(bin.peer, ['lifecycle', 'chaincode', 'install', pkg.file], { env });
}

/**
 * The argv that runs `org`'s chaincode server (node itself, no npx wrapper, so its pid is the server's):
 * TLS with the launcher-issued server pair, and only clients holding a certificate of the org's TLS CA.
 */
export function chaincodeServerCommand(paths, org, packageId, tls) {
  const cli = realpathSync(join(paths.root, 'node_modules', '.bin', 'fabric-chaincode-node'));
  return {
    command: process.execPath,
    args: [
      cli,
      'server',
      '--chaincode-address',
      `127.0.0.1:${org.chaincodePort}`,
      '--chaincode-id',
      packageId,
      '--chaincode-tls-cert-file',
      tls.files.serverCert,
      '--chaincode-tls-key-file',
      tls.files.serverKey,
      '--chaincode-tls-client-cacert-file',
      tls.files.caFile,
    ],
    cwd: paths.chaincodeDir,
    env: chaincodeServerEnv(paths, org),
  };
}

function definitionArgs() {
  return [
    '--channelID',
    CHANNEL,
    '--name',
    CHAINCODE.name,
    '--version',
    CHAINCODE.version,
    '--sequence',
    String(CHAINCODE.sequence),
    '--signature-policy',
    CHAINCODE.policy,
  ];
}

/** Approves the definition for `org` unless it already has. */
export function approveForOrg(paths, bin, org, pkg, orderer, log) {
  const env = peerAdminEnv(paths, org);
  const approved = tryRun(
    bin.peer,
    [
      'lifecycle',
      'chaincode',
      'queryapproved',
      '--channelID',
      CHANNEL,
      '--name',
      CHAINCODE.name,
      '--sequence',
      String(CHAINCODE.sequence),
      '--output',
      'json',
    ],
    { env },
  );
  if (approved.status === 0) {
    const current = parseJsonOutput(approved.stdout, 'queryapproved').source?.Type?.LocalPackage?.package_id;
    if (current === pkg.packageId) return;
    throw new Error(
      `${org.orgName} approved ${CHAINCODE.name} sequence ${CHAINCODE.sequence} with package ${current}, not ${pkg.packageId}: run \`clean\` and \`up\` again`,
    );
  }
  log(`approving ${CHAINCODE.name} for ${org.orgName}`);
  run(
    bin.peer,
    [
      'lifecycle',
      'chaincode',
      'approveformyorg',
      ...ordererArgs(paths, orderer),
      ...definitionArgs(),
      '--package-id',
      pkg.packageId,
    ],
    { env },
  );
}

/** Commits the definition (endorsed by the Hospital and Lab peers) unless it is committed. */
export function commitDefinition(paths, bin, orderer, log) {
  const [hospital, lab] = PEER_ORGS;
  const env = peerAdminEnv(paths, hospital);
  const committed = tryRun(
    bin.peer,
    [
      'lifecycle',
      'chaincode',
      'querycommitted',
      '--channelID',
      CHANNEL,
      '--name',
      CHAINCODE.name,
      '--output',
      'json',
    ],
    { env },
  );
  if (committed.status === 0) return;
  const c = cryptoPaths(paths.crypto);
  log(`committing ${CHAINCODE.name} with policy ${CHAINCODE.policy}`);
  run(
    bin.peer,
    [
      'lifecycle',
      'chaincode',
      'commit',
      ...ordererArgs(paths, orderer),
      ...definitionArgs(),
      '--peerAddresses',
      `127.0.0.1:${hospital.peerPort}`,
      '--tlsRootCertFiles',
      c.peerTlsCa(hospital),
      '--peerAddresses',
      `127.0.0.1:${lab.peerPort}`,
      '--tlsRootCertFiles',
      c.peerTlsCa(lab),
    ],
    { env },
  );
}
