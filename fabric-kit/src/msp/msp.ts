/**
 * The devnet's X.509 MSP: turns a `SerializedIdentity` into a validated identity with its NodeOU role,
 * as Fabric's bccsp MSP does (msp/mspimpl.go `DeserializeIdentity`, msp/mspimplvalidate.go
 * `validateIdentity`, `validateIdentityOUsV142`, msp/mspmgrimpl.go `DeserializeIdentity`).
 *
 * Rules reproduced:
 * - the certificate must chain to one of the MSP's root CAs (through its intermediates), each parent a
 *   CA; **expiry is not checked** (`getValidityOptsForCert` pins the time to NotBefore + 1 s);
 * - a CA certificate is never an identity; an issuer that issued other CAs cannot issue identities;
 * - with Go's default verify options every certificate in the chain that lists extended key usages
 *   must allow serverAuth (or any);
 * - NodeOUs: exactly one of the client/peer/admin/orderer OUs, certified by the CA that
 *   `config.yaml` names;
 * - the identity id is SHA-256 of the certificate after low-S sanitisation (msp/identities.go `newIdentity`).
 * Not implemented, and refused at load time rather than ignored: admincerts, CRLs,
 * OrganizationalUnitIdentifiers, NodeOUs disabled, non-P-256 keys.
 */
import { X509Certificate as NodeX509Certificate, createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';

import { msp as mspProto } from '@hyperledger/fabric-protos';

import { sanitizeCertificate } from './certificate-sanitizer.js';
import { NODE_OU_ROLES, type NodeOuRole } from '../consortium.js';
import { MspError } from './errors.js';
import type { CryptoLayout } from './layout.js';
import { parseMspYamlConfig, type NodeOuIdentifier } from './node-ous.js';
import { x509 } from './x509.js';
import { FabricKitError } from '../errors';

/** A validated identity. */
export interface MspIdentity {
  readonly mspId: string;
  /** The PEM certificate as it was serialized. */
  readonly certPem: string;
  /** The certificate's NodeOU role. */
  readonly role: NodeOuRole;
  /** Fabric's identity id: hex SHA-256 of the (sanitized) DER certificate. Unique within the MSP. */
  readonly id: string;
}

/** Something that turns serialized identities into validated ones (an {@link Msp} or {@link MspManager}). */
export interface IdentityDeserializer {
  /** @throws MspError if the identity is malformed, unknown or invalid. */
  deserialize(serializedIdentity: Uint8Array): MspIdentity;
}

/** `SerializedIdentity{mspid, id_bytes: PEM}` bytes, as clients, peers and orderers put in headers. */
export function serializeIdentity(mspId: string, certPem: string): Uint8Array {
  const identity = new mspProto.SerializedIdentity();
  identity.setMspid(mspId);
  identity.setIdBytes(new TextEncoder().encode(certPem));
  return identity.serializeBinary();
}

interface ParsedCert {
  readonly der: Uint8Array;
  readonly node: NodeX509Certificate;
  readonly peculiar: x509.X509Certificate;
}

function parseCert(der: Uint8Array): ParsedCert {
  return { der, node: new NodeX509Certificate(der), peculiar: new x509.X509Certificate(der) };
}

function firstPemBlock(pem: string): Uint8Array {
  // Like Go's pem.Decode: the first block, whatever follows it.
  const match = /-----BEGIN ([^-]+)-----([\s\S]*?)-----END \1-----/.exec(pem);
  if (match === null) throw new FabricKitError('MALFORMED_ENCODING', 'could not decode the PEM structure');
  return new Uint8Array(Buffer.from((match[2] ?? '').replace(/\s+/g, ''), 'base64'));
}

const SERVER_AUTH = '1.3.6.1.5.5.7.3.1';
const ANY_EXTENDED_KEY_USAGE = '2.5.29.37.0';

function allowsServerAuth(cert: ParsedCert): boolean {
  const eku = cert.peculiar.getExtension(x509.ExtendedKeyUsageExtension);
  if (eku === null) return true;
  const usages = eku.usages.map(String);
  return usages.includes(SERVER_AUTH) || usages.includes(ANY_EXTENDED_KEY_USAGE);
}

function isP256(cert: ParsedCert): boolean {
  const key = cert.node.publicKey;
  return key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1';
}

function sha256Hex(...parts: readonly Uint8Array[]): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest('hex');
}

/** The material an {@link Msp} is built from. */
export interface MspConfig {
  readonly mspId: string;
  /** PEM root CA certificates (`cacerts/`). */
  readonly rootCerts: readonly string[];
  /** PEM intermediate CA certificates (`intermediatecerts/`). */
  readonly intermediateCerts?: readonly string[];
  /** PEM TLS root CA certificates (`tlscacerts/`): whom the org's TLS certificates chain to. */
  readonly tlsRootCerts?: readonly string[];
  /** PEM TLS intermediate CA certificates (`tlsintermediatecerts/`). */
  readonly tlsIntermediateCerts?: readonly string[];
  /** NodeOU identifiers by role; `certificate` is a PEM CA certificate that must certify the OU. */
  readonly nodeOus: Readonly<
    Record<NodeOuRole, { readonly organizationalUnitIdentifier: string; readonly certificate?: string }>
  >;
}

interface RoleOu {
  readonly role: NodeOuRole;
  readonly ou: string;
  /** SHA-256 over the certifying CA's chain, or undefined when any chain may certify. */
  readonly certifiersId: string | undefined;
}

const IDENTITY_CACHE_LIMIT = 1024;

/** One organisation's MSP: its roots of trust and NodeOU classification. */
export class Msp {
  readonly mspId: string;
  /** The TLS root CA certificates (PEM), as the channel configuration lists them. */
  readonly tlsRootCerts: readonly string[];
  /** The TLS intermediate CA certificates (PEM). */
  readonly tlsIntermediateCerts: readonly string[];
  readonly #roots: readonly ParsedCert[];
  readonly #intermediates: readonly ParsedCert[];
  /** DERs (as hex) of CAs that issued other CAs: they may not issue identities. */
  readonly #internalNodes: ReadonlySet<string>;
  readonly #roleOus: readonly RoleOu[];
  // Identities are validated once per certificate, as Fabric's msp/cache does.
  readonly #cache = new Map<string, MspIdentity | MspError>();

  private constructor(
    mspId: string,
    roots: ParsedCert[],
    intermediates: ParsedCert[],
    tls: Readonly<{ roots: readonly string[]; intermediates: readonly string[] }>,
    roleOus: (mspValue: Msp) => RoleOu[],
  ) {
    this.mspId = mspId;
    this.tlsRootCerts = tls.roots;
    this.tlsIntermediateCerts = tls.intermediates;
    this.#roots = roots;
    this.#intermediates = intermediates;
    const internal = new Set<string>();
    for (const cert of intermediates) {
      const chain = this.#chainOf(cert);
      const parent = chain[1];
      if (parent !== undefined) internal.add(Buffer.from(parent.der).toString('hex'));
    }
    this.#internalNodes = internal;
    this.#roleOus = roleOus(this);
  }

  /**
   * Builds an MSP from certificates and NodeOU identifiers.
   * @throws MspError `MSP_CONFIG` if a CA certificate is unusable.
   */
  static fromConfig(config: Readonly<MspConfig>): Msp {
    const fail = (message: string, cause?: unknown): MspError =>
      new MspError('MSP_CONFIG', message, { mspId: config.mspId, cause });
    const parseCa = (pem: string, what: string): ParsedCert => {
      let cert: ParsedCert;
      try {
        cert = parseCert(firstPemBlock(pem));
      } catch (cause) {
        throw fail(`${what} of MSP ${config.mspId} is not a PEM X.509 certificate`, cause);
      }
      if (!cert.node.ca)
        throw fail(`CA Certificate did not have the CA attribute, (SN: ${cert.node.serialNumber})`);
      if (cert.peculiar.getExtension(x509.SubjectKeyIdentifierExtension) === null) {
        throw fail(
          `CA Certificate problem with Subject Key Identifier extension, (SN: ${cert.node.serialNumber})`,
        );
      }
      return cert;
    };
    if (config.rootCerts.length === 0) throw fail('expected at least one CA certificate');
    const roots = config.rootCerts.map((pem) => parseCa(pem, 'a root CA certificate'));
    const intermediates = (config.intermediateCerts ?? []).map((pem) =>
      parseCa(pem, 'an intermediate CA certificate'),
    );
    // msp/mspimplsetup.go setupTLSCAs: every TLS CA must be a CA certificate with a subject key id.
    const tls = { roots: config.tlsRootCerts ?? [], intermediates: config.tlsIntermediateCerts ?? [] };
    for (const pem of [...tls.roots, ...tls.intermediates]) parseCa(pem, 'a TLS CA certificate');
    return new Msp(config.mspId, roots, intermediates, tls, (self) =>
      NODE_OU_ROLES.map((role) => {
        const entry = config.nodeOus[role];
        if (entry.certificate === undefined)
          return { role, ou: entry.organizationalUnitIdentifier, certifiersId: undefined };
        const ca = parseCa(entry.certificate, `the ${role} OU certificate`);
        const chain = self.#chainOf(ca);
        const known = [...roots, ...intermediates].some((c) => Buffer.from(c.der).equals(ca.der));
        if (!known || chain.length === 0) {
          throw fail(`Failed adding OU. Certificate [${role}] not in root or intermediate certs.`);
        }
        return {
          role,
          ou: entry.organizationalUnitIdentifier,
          certifiersId: sha256Hex(...chain.map((c) => c.der)),
        };
      }),
    );
  }

  /**
   * Loads an MSP folder: `cacerts/`, optional `intermediatecerts/`, `tlscacerts/` and
   * `tlsintermediatecerts/`, and `config.yaml` with NodeOUs.
   * @throws MspError `MSP_CONFIG` if the folder is unusable or uses a feature the devnet lacks.
   */
  static async load(options: Readonly<{ mspId: string; mspDir: string }>): Promise<Msp> {
    const { mspId, mspDir } = options;
    const fail = (message: string, cause?: unknown): MspError =>
      new MspError('MSP_CONFIG', message, { mspId, cause });
    const readPems = async (sub: string): Promise<string[]> => {
      const dir = join(mspDir, sub);
      if (!existsSync(dir)) return [];
      const names = (await readdir(dir)).sort();
      return Promise.all(names.map((name) => readFile(join(dir, name), 'utf8')));
    };
    const rootCerts = await readPems('cacerts');
    const intermediateCerts = await readPems('intermediatecerts');
    const tlsRootCerts = await readPems('tlscacerts');
    const tlsIntermediateCerts = await readPems('tlsintermediatecerts');
    if ((await readPems('admincerts')).length > 0)
      throw fail(`MSP ${mspId}: admincerts are not supported by the devnet (use the admin NodeOU)`);
    if ((await readPems('crls')).length > 0) throw fail(`MSP ${mspId}: CRLs are not supported by the devnet`);
    const configFile = join(mspDir, 'config.yaml');
    if (!existsSync(configFile))
      throw fail(`MSP ${mspId}: ${configFile} is missing; the devnet needs NodeOUs`);
    let yaml;
    try {
      yaml = parseMspYamlConfig(await readFile(configFile, 'utf8'));
    } catch (cause) {
      throw fail(`MSP ${mspId}: cannot read ${configFile}`, cause);
    }
    if (yaml.otherKeys.length > 0)
      throw fail(`MSP ${mspId}: config.yaml keys not supported by the devnet: ${yaml.otherKeys.join(', ')}`);
    if (!yaml.nodeOusEnabled) throw fail(`MSP ${mspId}: NodeOUs must be enabled`);
    const nodeOus: Partial<
      Record<NodeOuRole, { organizationalUnitIdentifier: string; certificate?: string }>
    > = {};
    for (const role of NODE_OU_ROLES) {
      const entry: NodeOuIdentifier | undefined = yaml.nodeOus[role];
      if (entry === undefined) throw fail(`MSP ${mspId}: config.yaml has no ${role} OU identifier`);
      nodeOus[role] =
        entry.certificate === undefined
          ? { organizationalUnitIdentifier: entry.organizationalUnitIdentifier }
          : {
              organizationalUnitIdentifier: entry.organizationalUnitIdentifier,
              certificate: await readFile(join(mspDir, entry.certificate), 'utf8'),
            };
    }
    const { client, peer, admin, orderer } = nodeOus;
    if (client === undefined || peer === undefined || admin === undefined || orderer === undefined)
      throw fail(`MSP ${mspId}: incomplete NodeOUs`);
    return Msp.fromConfig({
      mspId,
      rootCerts,
      intermediateCerts,
      tlsRootCerts,
      tlsIntermediateCerts,
      nodeOus: { client, peer, admin, orderer },
    });
  }

  /** The chain from `cert` up to a root, `[cert, parent, …, root]`, or `[]` if it does not reach one. */
  #chainOf(cert: ParsedCert): ParsedCert[] {
    const chain = [cert];
    for (let depth = 0; depth < 8; depth++) {
      const current = chain[chain.length - 1];
      if (current === undefined) return [];
      if (this.#roots.some((root) => Buffer.from(root.der).equals(current.der))) return chain;
      const parent = [...this.#intermediates, ...this.#roots].find(
        (candidate) =>
          candidate.node.ca &&
          current.node.checkIssued(candidate.node) &&
          current.node.verify(candidate.node.publicKey),
      );
      if (parent === undefined) return [];
      chain.push(parent);
    }
    return [];
  }

  /**
   * Deserializes and validates a `SerializedIdentity` of this MSP.
   * @throws MspError `MALFORMED_IDENTITY`, `MSP_MISMATCH`, or any code of {@link validateCertificate}.
   */
  deserialize(serializedIdentity: Uint8Array): MspIdentity {
    const { mspId, certPem } = decodeSerializedIdentity(serializedIdentity);
    if (mspId !== this.mspId) {
      throw new MspError('MSP_MISMATCH', `expected MSP ID ${this.mspId}, received ${mspId}`, {
        mspId: this.mspId,
      });
    }
    return this.validateCertificate(certPem);
  }

  /**
   * Validates a PEM certificate as an identity of this MSP.
   * @throws MspError `MALFORMED_IDENTITY`, `UNSUPPORTED_KEY`, `CA_AS_IDENTITY`, `UNTRUSTED_CERTIFICATE` or `NODE_OU`.
   */
  validateCertificate(certPem: string): MspIdentity {
    const cached = this.#cache.get(certPem);
    if (cached instanceof MspError) throw cached;
    if (cached !== undefined) return cached;
    let outcome: MspIdentity | MspError;
    try {
      outcome = this.#validate(certPem);
    } catch (error) {
      if (!(error instanceof MspError)) throw error;
      outcome = error;
    }
    if (this.#cache.size >= IDENTITY_CACHE_LIMIT) this.#cache.clear();
    this.#cache.set(certPem, outcome);
    if (outcome instanceof MspError) throw outcome;
    return outcome;
  }

  #validate(certPem: string): MspIdentity {
    const fail = (code: MspError['code'], message: string, cause?: unknown): MspError =>
      new MspError(code, `MSP ${this.mspId}: ${message}`, { mspId: this.mspId, cause });
    let cert: ParsedCert;
    try {
      cert = parseCert(firstPemBlock(certPem));
    } catch (cause) {
      throw fail('MALFORMED_IDENTITY', 'parseCertificate failed', cause);
    }
    if (!isP256(cert))
      throw fail(
        'UNSUPPORTED_KEY',
        "could not validate identity's public key algorithm: only ECDSA P-256 is supported",
      );
    if (cert.node.ca) {
      throw fail(
        'CA_AS_IDENTITY',
        'An X509 certificate with Basic Constraint: Certificate Authority equals true cannot be used as an identity',
      );
    }
    const chain = this.#chainOf(cert);
    if (chain.length < 2)
      throw fail(
        'UNTRUSTED_CERTIFICATE',
        'the supplied identity is not valid: certificate signed by unknown authority',
      );
    if (!chain.every(allowsServerAuth))
      throw fail(
        'UNTRUSTED_CERTIFICATE',
        'the supplied identity is not valid: certificate specifies an incompatible key usage',
      );
    const parent = chain[1];
    if (parent !== undefined && this.#internalNodes.has(Buffer.from(parent.der).toString('hex'))) {
      throw fail(
        'UNTRUSTED_CERTIFICATE',
        'invalid validation chain. Parent certificate should be a leaf of the certification tree',
      );
    }
    const certifiersId = sha256Hex(...chain.slice(1).map((c) => c.der));
    const ous = cert.peculiar.subjectName.getField('OU');
    let role: NodeOuRole | undefined;
    let matches = 0;
    for (const ou of ous) {
      const roleOu = this.#roleOus.find((r) => r.ou === ou);
      if (roleOu === undefined) continue;
      if (roleOu.certifiersId !== undefined && roleOu.certifiersId !== certifiersId) {
        throw fail('NODE_OU', `certifiersIdentifier does not match: [${ous.join(', ')}]`);
      }
      role = roleOu.role;
      matches++;
      if (matches > 1) break;
    }
    if (role === undefined) {
      throw fail(
        'NODE_OU',
        `the identity does not have an OU that resolves to client, peer, orderer, or admin role. OUs: [${ous.join(', ')}]`,
      );
    }
    if (matches > 1) {
      throw fail(
        'NODE_OU',
        `the identity must have a client, a peer, an orderer, or an admin OU role to be valid, not a combination of them. OUs: [${ous.join(', ')}]`,
      );
    }
    let sanitized: Uint8Array;
    try {
      sanitized = sanitizeCertificate(cert.der);
    } catch (cause) {
      throw fail('MALFORMED_IDENTITY', 'parseCertificate failed', cause);
    }
    return { mspId: this.mspId, certPem, role, id: sha256Hex(sanitized) };
  }
}

/**
 * Splits `SerializedIdentity` bytes into MSP id and PEM.
 * @throws MspError `MALFORMED_IDENTITY` if the bytes are not a SerializedIdentity.
 */
export function decodeSerializedIdentity(serializedIdentity: Uint8Array): {
  readonly mspId: string;
  readonly certPem: string;
} {
  try {
    const identity = mspProto.SerializedIdentity.deserializeBinary(serializedIdentity);
    return {
      mspId: identity.getMspid(),
      certPem: new TextDecoder('utf-8', { fatal: true }).decode(identity.getIdBytes_asU8()),
    };
  } catch (cause) {
    throw new MspError('MALFORMED_IDENTITY', 'could not deserialize a SerializedIdentity', { cause });
  }
}

/** All MSPs of a channel, keyed by MSP id (msp/mspmgrimpl.go). */
export class MspManager implements IdentityDeserializer {
  readonly #msps: ReadonlyMap<string, Msp>;

  /** @throws Error if two MSPs share an id. */
  constructor(msps: Iterable<Msp>) {
    const map = new Map<string, Msp>();
    for (const m of msps) {
      if (map.has(m.mspId)) throw new FabricKitError('MALFORMED_CONFIG', `duplicate MSP id ${m.mspId}`);
      map.set(m.mspId, m);
    }
    this.#msps = map;
  }

  /**
   * Loads MSP folders.
   * @throws MspError `MSP_CONFIG` if one is unusable.
   */
  static async load(entries: readonly Readonly<{ mspId: string; mspDir: string }>[]): Promise<MspManager> {
    return new MspManager(await Promise.all(entries.map((entry) => Msp.load(entry))));
  }

  /**
   * Loads every org's verifying MSP (`<org>/msp`) from generated material.
   * @throws MspError `MSP_CONFIG` if one is unusable.
   */
  static async fromLayout(layout: CryptoLayout): Promise<MspManager> {
    return MspManager.load(layout.orgs.map((org) => ({ mspId: org.mspId, mspDir: org.mspDir })));
  }

  /** The MSP ids known, in load order. */
  get mspIds(): readonly string[] {
    return [...this.#msps.keys()];
  }

  /** The MSP with this id, if any. */
  get(mspId: string): Msp | undefined {
    return this.#msps.get(mspId);
  }

  /**
   * Deserializes and validates an identity with the MSP it names.
   * @throws MspError `MALFORMED_IDENTITY`, `UNKNOWN_MSP` or any validation code.
   */
  deserialize(serializedIdentity: Uint8Array): MspIdentity {
    const { mspId, certPem } = decodeSerializedIdentity(serializedIdentity);
    const found = this.#msps.get(mspId);
    if (found === undefined)
      throw new MspError('UNKNOWN_MSP', `MSP ${mspId} is not defined on channel`, { mspId });
    return found.validateCertificate(certPem);
  }
}
