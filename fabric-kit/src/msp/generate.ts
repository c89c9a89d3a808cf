/**
 * Generates the consortium's crypto material in Fabric cryptogen's layout (cmd/cryptogen/main.go
 * `generatePeerOrg`/`generateOrdererOrg`, internal/cryptogen/msp/msp.go `GenerateLocalMSP`,
 * `GenerateVerifyingMSP`) with NodeOUs enabled, plus Fabric-CA-style attributes on user certificates
 * (fabric-ca lib/attrmgr) so the chaincode can read `veriscan.job`.
 *
 * Differences from cryptogen, all of which Fabric accepts: signing certificates are named
 * `signcerts/cert.pem` (as fabric-ca-client names them), certificates carry `O=<org domain>`, user
 * and admin certificates carry the attribute extension, and node TLS certificates also name
 * `localhost` and `127.0.0.1` so processes on one machine can dial each other.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

import { CertificateAuthority, generateKey } from './certificate-authority.js';
import { CONSORTIUM, type OrgSpec } from '../consortium.js';
import { FabricKitError } from '../errors';
import type { CertAttributes } from './fabric-ca-attributes.js';
import {
  cryptoLayout,
  type CryptoLayout,
  type LocalMspFiles,
  type OrgMaterial,
  type TlsFiles,
} from './layout.js';
import { nodeOusConfigYaml } from './node-ous.js';
import { x509 } from './x509.js';

/** Options of {@link generateCryptoMaterial}. */
export interface GenerateOptions {
  /** The crypto root, e.g. `.veriscan/crypto`. */
  readonly outDir: string;
  /** The orgs to generate; defaults to the Veriscan consortium. */
  readonly consortium?: readonly OrgSpec[];
}

/** What {@link generateCryptoMaterial} did. */
export interface GenerateResult {
  readonly layout: CryptoLayout;
  /** False when complete material was already there and nothing was written. */
  readonly generated: boolean;
  /** Wall-clock time spent, in milliseconds. */
  readonly elapsedMs: number;
}

const TOP_DIRS = ['ordererOrganizations', 'peerOrganizations'] as const;

async function write(file: string, content: string, mode: number): Promise<void> {
  await mkdir(dirname(file), { recursive: true, mode: 0o755 });
  await writeFile(file, content, { mode });
}

interface OrgAuthorities {
  readonly ca: CertificateAuthority;
  readonly tlsCa: CertificateAuthority;
}

/** Writes cacerts, tlscacerts, config.yaml and an empty admincerts, shared by verifying and local MSPs. */
async function writeMspCommon(mspDir: string, org: OrgMaterial, cas: OrgAuthorities): Promise<void> {
  await write(join(mspDir, 'cacerts', org.caCertName), cas.ca.certPem, 0o644);
  await write(join(mspDir, 'tlscacerts', org.tlsCaCertName), cas.tlsCa.certPem, 0o644);
  await write(join(mspDir, 'config.yaml'), nodeOusConfigYaml(`cacerts/${org.caCertName}`), 0o644);
  // cryptogen always creates admincerts; with NodeOUs it stays empty.
  await mkdir(join(mspDir, 'admincerts'), { recursive: true, mode: 0o755 });
}

interface IdentitySpec {
  readonly files: LocalMspFiles & TlsFiles;
  readonly commonName: string;
  readonly nodeOu: string;
  readonly attributes?: CertAttributes;
  /** SANs of the TLS certificate (none for users, as in cryptogen). */
  readonly tlsNames: readonly string[];
}

/** cryptogen `GenerateLocalMSP`: an enrolment key and certificate, plus a TLS key and certificate. */
async function writeLocalMsp(org: OrgMaterial, cas: OrgAuthorities, spec: IdentitySpec): Promise<void> {
  const [signKey, tlsKey] = await Promise.all([generateKey(), generateKey()]);
  const [signCert, tlsCert] = await Promise.all([
    cas.ca.issue({
      subject: { organization: org.domain, organizationalUnits: [spec.nodeOu], commonName: spec.commonName },
      publicKey: signKey.keys.publicKey,
      keyUsages: x509.KeyUsageFlags.digitalSignature,
      ...(spec.attributes !== undefined ? { attributes: spec.attributes } : {}),
    }),
    cas.tlsCa.issue({
      subject: { organization: org.domain, commonName: spec.commonName },
      publicKey: tlsKey.keys.publicKey,
      keyUsages: x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment,
      extendedKeyUsages: [x509.ExtendedKeyUsage.serverAuth, x509.ExtendedKeyUsage.clientAuth],
      subjectAltNames: spec.tlsNames,
    }),
  ]);
  const f = spec.files;
  await writeMspCommon(f.mspDir, org, cas);
  await write(f.signCertFile, signCert.toString('pem'), 0o644);
  await write(f.keyFile, signKey.pkcs8Pem, 0o600);
  await write(f.tlsCertFile, tlsCert.toString('pem'), 0o644);
  await write(f.tlsKeyFile, tlsKey.pkcs8Pem, 0o600);
  await write(f.tlsCaCertFile, cas.tlsCa.certPem, 0o644);
}

async function generateOrg(org: OrgMaterial, now: Date): Promise<void> {
  const [ca, tlsCa] = await Promise.all([
    CertificateAuthority.create({
      subject: { organization: org.domain, commonName: `ca.${org.domain}` },
      now,
    }),
    CertificateAuthority.create({
      subject: { organization: org.domain, commonName: `tlsca.${org.domain}` },
      now,
    }),
  ]);
  const cas = { ca, tlsCa };
  await write(org.caCertFile, ca.certPem, 0o644);
  await write(org.caKeyFile, ca.keyPem, 0o600);
  await write(org.tlsCaCertFile, tlsCa.certPem, 0o644);
  await write(org.tlsCaKeyFile, tlsCa.keyPem, 0o600);
  await writeMspCommon(org.mspDir, org, cas);
  const jobs: Promise<void>[] = [];
  for (const node of [...org.peers, ...org.orderers]) {
    jobs.push(
      writeLocalMsp(org, cas, {
        files: node,
        commonName: node.host,
        nodeOu: node.kind,
        tlsNames: [node.host, node.shortName, 'localhost', '127.0.0.1'],
      }),
    );
  }
  for (const user of org.users) {
    jobs.push(
      writeLocalMsp(org, cas, {
        files: user,
        commonName: user.name,
        nodeOu: user.nodeOu,
        attributes: {
          'hf.EnrollmentID': user.member,
          'hf.Type': user.nodeOu,
          'veriscan.job': user.job,
        },
        tlsNames: [],
      }),
    );
  }
  await Promise.all(jobs);
}

/**
 * Writes the consortium's crypto material under `outDir`, unless `<outDir>/.complete` says it is
 * already there. Everything is generated in a staging folder inside `outDir` and moved into place,
 * and the marker is written last, so an interrupted run leaves no half-valid tree behind.
 * @throws Error if the file system refuses a write.
 */
export async function generateCryptoMaterial(options: Readonly<GenerateOptions>): Promise<GenerateResult> {
  const started = performance.now();
  const consortium = options.consortium ?? CONSORTIUM;
  const layout = cryptoLayout(options.outDir, consortium);
  if (existsSync(layout.completeMarker)) {
    return { layout, generated: false, elapsedMs: performance.now() - started };
  }
  await mkdir(options.outDir, { recursive: true, mode: 0o755 });
  const staging = join(
    options.outDir,
    `.staging-${process.pid.toString()}-${randomBytes(4).toString('hex')}`,
  );
  try {
    const now = new Date();
    const stagedLayout = cryptoLayout(staging, consortium);
    await Promise.all(stagedLayout.orgs.map((org) => generateOrg(org, now)));
    if (existsSync(layout.completeMarker)) {
      // Another process finished first; its material stands.
      return { layout, generated: false, elapsedMs: performance.now() - started };
    }
    for (const dir of TOP_DIRS) {
      const target = join(options.outDir, dir);
      await rm(target, { recursive: true, force: true });
      if (existsSync(join(staging, dir))) await rename(join(staging, dir), target);
    }
    await writeFile(
      layout.completeMarker,
      `${new Date().toISOString()}\n${consortiumFingerprint(consortium)}\n`,
      { mode: 0o644 },
    );
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
  return { layout, generated: true, elapsedMs: performance.now() - started };
}

/**
 * The devnet CLI's entry point: makes sure the material exists, printing what it does.
 * @param outDir the crypto root, e.g. `.veriscan/crypto`.
 * @param log where progress lines go; defaults to stdout.
 */
export async function ensureCryptoMaterial(
  outDir: string,
  log: (line: string) => void = (line) => {
    process.stdout.write(`${line}\n`);
  },
): Promise<CryptoLayout> {
  const layout = cryptoLayout(outDir);
  if (existsSync(layout.completeMarker)) {
    const fingerprint = consortiumFingerprint(CONSORTIUM);
    if (!readFileSync(layout.completeMarker, 'utf8').split('\n').includes(fingerprint))
      throw new FabricKitError(
        'STALE_MATERIAL',
        `${outDir} holds crypto material for another consortium table (its orgs, users or nodes changed); ` +
          'remove the state folder and start again: npm run devnet -- clean --all (real Fabric: npm run fabric -- clean, then delete the crypto folder)',
      );
    log(`crypto material: present in ${outDir}`);
    return layout;
  }
  log(
    `crypto material: generating CAs, node, admin and user identities for ${layout.orgs.map((o) => o.mspId).join(', ')} in ${outDir} ...`,
  );
  const result = await generateCryptoMaterial({ outDir });
  log(
    result.generated
      ? `crypto material: done in ${Math.round(result.elapsedMs).toString()} ms`
      : `crypto material: present in ${outDir} (written by another process)`,
  );
  return result.layout;
}

/**
 * `consortium sha256:<hex>` over what the material depends on (each org's key, MSP id, kind, node
 * count and users), so material generated for an earlier table is recognised instead of half-used.
 */
export function consortiumFingerprint(consortium: readonly OrgSpec[]): string {
  const shape = consortium.map((o) => [
    o.key,
    o.mspId,
    o.kind,
    o.nodeCount,
    o.users.map((u) => [u.name, u.job]),
  ]);
  return `consortium sha256:${createHash('sha256').update(JSON.stringify(shape), 'utf8').digest('hex')}`;
}

/**
 * Writes the material of one org that joins after genesis into an existing crypto tree (what the
 * joining institution generates for itself; its verifying MSP then goes into the channel
 * configuration). Staged beside the tree and moved into place in one rename; an org already there is
 * left as it is.
 * @returns the org's material and whether it was generated now.
 */
export async function generateOrgMaterial(
  cryptoDir: string,
  org: OrgSpec,
): Promise<{ readonly org: OrgMaterial; readonly generated: boolean }> {
  const [target] = cryptoLayout(cryptoDir, [org]).orgs;
  if (target === undefined) throw new FabricKitError('UNKNOWN_NAME', `no layout for ${org.key}`);
  if (existsSync(target.mspDir)) return { org: target, generated: false };
  const staging = join(cryptoDir, `.staging-${process.pid.toString()}-${randomBytes(4).toString('hex')}`);
  try {
    const [staged] = cryptoLayout(staging, [org]).orgs;
    if (staged === undefined) throw new FabricKitError('UNKNOWN_NAME', `no layout for ${org.key}`);
    await generateOrg(staged, new Date());
    await mkdir(dirname(target.orgDir), { recursive: true });
    await rename(staged.orgDir, target.orgDir);
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
  return { org: target, generated: true };
}
