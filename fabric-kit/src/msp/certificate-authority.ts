/**
 * A certificate authority that issues certificates the way Fabric's cryptogen does
 * (internal/cryptogen/ca/ca.go `NewCA`, `SignCertificate`; internal/cryptogen/csp/csp.go).
 *
 * Choices copied from cryptogen so the same files load on a real Fabric v3.1 peer or orderer:
 * - ECDSA P-256 keys, PKCS#8 PEM, signatures ecdsa-with-SHA256 normalised to low-S (csp `ECDSASigner`;
 *   Fabric's MSP would otherwise "sanitize" every certificate it loads);
 * - random positive 128-bit serial numbers; validity from now (rounded to the minute) − 5 min for 10 years;
 * - CA: basicConstraints CA:TRUE (critical), keyUsage digitalSignature|keyEncipherment|keyCertSign|cRLSign
 *   (critical), extKeyUsage clientAuth+serverAuth, subjectKeyIdentifier = SHA-256 of the uncompressed
 *   public point (RFC 7093 §2 method 4, `computeSKI`);
 * - leaf: basicConstraints CA:FALSE (critical), the given keyUsage (critical) and extKeyUsage,
 *   authorityKeyIdentifier = the CA's SKI (Go's x509 adds it), no SKI, SANs as given;
 * - extensions in the order Go's x509 writes them.
 * Subjects are C=US, ST=California, L=San Francisco, O=<org domain>[, OU=<role>], CN=<name>.
 */
import { createHash, webcrypto } from 'node:crypto';
import { isIP } from 'node:net';

import { encodeP1363Signature, parseP1363Signature, toLowS } from './ecdsa-signature.js';
import {
  FABRIC_CA_ATTRIBUTES_OID,
  encodeCertAttributes,
  type CertAttributes,
} from './fabric-ca-attributes.js';
import { x509 } from './x509.js';

const EC_P256 = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const SIGNING = { name: 'ECDSA', hash: 'SHA-256' } as const;
const TEN_YEARS_MS = 3650 * 24 * 60 * 60 * 1000;

/** A view of `target` with some properties replaced and every method bound to `target`. */
function bindAll<T extends object>(target: T, overrides: Readonly<Record<string, unknown>>): T {
  return new Proxy(target, {
    get(t, property, receiver) {
      if (typeof property === 'string' && property in overrides) return overrides[property];
      const value: unknown = Reflect.get(t, property, receiver);
      if (typeof value !== 'function') return value;
      // WebCrypto methods throw "Illegal invocation" unless called on their own object.
      const method = value as (...args: unknown[]) => unknown;
      return (...args: unknown[]) => method.apply(t, args);
    },
  });
}

/**
 * WebCrypto as @peculiar/x509 uses it, except that ECDSA signatures come out low-S. WebCrypto returns
 * r ‖ s (IEEE P1363), which @peculiar/x509 then wraps in DER, so normalising here is enough.
 */
const lowSSubtle = bindAll(webcrypto.subtle, {
  sign: async (algorithm: webcrypto.EcdsaParams, key: webcrypto.CryptoKey, data: webcrypto.BufferSource) => {
    const raw = new Uint8Array(await webcrypto.subtle.sign(algorithm, key, data));
    return key.algorithm.name === 'ECDSA'
      ? Uint8Array.from(encodeP1363Signature(toLowS(parseP1363Signature(raw)))).buffer
      : raw.buffer;
  },
});
const lowSCrypto: webcrypto.Crypto = bindAll(webcrypto, { subtle: lowSSubtle });

/** A freshly generated P-256 key pair and its PKCS#8 PEM encoding. */
export interface GeneratedKey {
  readonly keys: webcrypto.CryptoKeyPair;
  /** `-----BEGIN PRIVATE KEY-----`, as cryptogen writes `priv_sk`. */
  readonly pkcs8Pem: string;
}

/** Generates an extractable P-256 key pair. */
export async function generateKey(): Promise<GeneratedKey> {
  const keys = await webcrypto.subtle.generateKey(EC_P256, true, ['sign', 'verify']);
  const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', keys.privateKey);
  return { keys, pkcs8Pem: x509.PemConverter.encode(pkcs8, 'PRIVATE KEY') };
}

/** cryptogen's `computeSKI`: SHA-256 of the uncompressed public point. */
async function subjectKeyId(publicKey: webcrypto.CryptoKey): Promise<string> {
  const point = new Uint8Array(await webcrypto.subtle.exportKey('raw', publicKey));
  return createHash('sha256').update(point).digest('hex');
}

function randomSerial(): string {
  const bytes = webcrypto.getRandomValues(new Uint8Array(16));
  // A positive INTEGER whose first byte is non-zero, so it is minimally encoded in 16 bytes.
  bytes[0] = ((bytes[0] ?? 0) & 0x7f) | 0x01;
  return Buffer.from(bytes).toString('hex');
}

function validity(now: Date): { notBefore: Date; notAfter: Date } {
  const minute = 60_000;
  const notBefore = new Date(Math.round(now.getTime() / minute) * minute - 5 * minute);
  return { notBefore, notAfter: new Date(notBefore.getTime() + TEN_YEARS_MS) };
}

/** The subject fields the generator sets. */
export interface SubjectSpec {
  /** `O=`, the org's domain. */
  readonly organization: string;
  /** `OU=` values, e.g. the NodeOU role. */
  readonly organizationalUnits?: readonly string[];
  /** `CN=`. */
  readonly commonName: string;
}

function subjectName(spec: SubjectSpec): x509.Name {
  return new x509.Name([
    { C: ['US'] },
    { ST: ['California'] },
    { L: ['San Francisco'] },
    { O: [spec.organization] },
    ...(spec.organizationalUnits ?? []).map((ou) => ({ OU: [ou] })),
    { CN: [spec.commonName] },
  ]);
}

function subjectAltNames(names: readonly string[]): x509.SubjectAlternativeNameExtension {
  // DNS names before IP addresses, as Go's x509 `marshalSANs` orders them.
  const dns = names.filter((n) => isIP(n) === 0).map((value) => ({ type: 'dns' as const, value }));
  const ips = names.filter((n) => isIP(n) !== 0).map((value) => ({ type: 'ip' as const, value }));
  return new x509.SubjectAlternativeNameExtension([...dns, ...ips], false);
}

/** What to put into a certificate issued by a {@link CertificateAuthority}. */
export interface IssueRequest {
  readonly subject: SubjectSpec;
  readonly publicKey: webcrypto.CryptoKey;
  readonly keyUsages: x509.KeyUsageFlags;
  readonly extendedKeyUsages?: readonly x509.ExtendedKeyUsage[];
  /** DNS names or IP addresses. */
  readonly subjectAltNames?: readonly string[];
  /** Fabric-CA attributes (OID 1.2.3.4.5.6.7.8.1). */
  readonly attributes?: CertAttributes;
}

/** A self-signed root CA able to issue leaf certificates. */
export class CertificateAuthority {
  readonly #key: GeneratedKey;
  readonly #ski: string;
  /** The CA's certificate. */
  readonly certificate: x509.X509Certificate;
  readonly #now: Date;

  private constructor(key: GeneratedKey, ski: string, certificate: x509.X509Certificate, now: Date) {
    this.#key = key;
    this.#ski = ski;
    this.certificate = certificate;
    this.#now = now;
  }

  /**
   * Creates a root CA with a new key, like cryptogen's `NewCA`.
   * @param options.subject O is the org domain, CN e.g. `ca.hospital.veriscan.local`.
   * @param options.now the issue time (tests pin it); defaults to the current time.
   */
  static async create(
    options: Readonly<{ subject: SubjectSpec; now?: Date }>,
  ): Promise<CertificateAuthority> {
    const now = options.now ?? new Date();
    const key = await generateKey();
    const ski = await subjectKeyId(key.keys.publicKey);
    const name = subjectName(options.subject);
    const certificate = await x509.X509CertificateGenerator.create(
      {
        serialNumber: randomSerial(),
        subject: name,
        issuer: name,
        ...validity(now),
        publicKey: key.keys.publicKey,
        signingKey: key.keys.privateKey,
        signingAlgorithm: SIGNING,
        extensions: [
          new x509.KeyUsagesExtension(
            x509.KeyUsageFlags.digitalSignature |
              x509.KeyUsageFlags.keyEncipherment |
              x509.KeyUsageFlags.keyCertSign |
              x509.KeyUsageFlags.cRLSign,
            true,
          ),
          new x509.ExtendedKeyUsageExtension(
            [x509.ExtendedKeyUsage.clientAuth, x509.ExtendedKeyUsage.serverAuth],
            false,
          ),
          new x509.BasicConstraintsExtension(true, undefined, true),
          new x509.SubjectKeyIdentifierExtension(ski, false),
        ],
      },
      lowSCrypto,
    );
    return new CertificateAuthority(key, ski, certificate, now);
  }

  /**
   * Loads an existing CA from its certificate and PKCS#8 key (an org's `ca/` or `tlsca/` folder), to
   * issue further leaves, e.g. a TLS certificate for one of the institution's services.
   * @param options.now the issue time of what it issues; defaults to the current time.
   */
  static async fromPem(
    options: Readonly<{ certPem: string; keyPem: string; now?: Date }>,
  ): Promise<CertificateAuthority> {
    const certificate = new x509.X509Certificate(options.certPem);
    const privateKey = await webcrypto.subtle.importKey(
      'pkcs8',
      x509.PemConverter.decodeFirst(options.keyPem),
      EC_P256,
      true,
      ['sign'],
    );
    const publicKey = await webcrypto.subtle.importKey('spki', certificate.publicKey.rawData, EC_P256, true, [
      'verify',
    ]);
    const ski = await subjectKeyId(publicKey);
    const declared = certificate.getExtension(x509.SubjectKeyIdentifierExtension);
    if (declared !== null && declared.keyId !== ski)
      throw new Error('CA key identifier does not match its public key');
    return new CertificateAuthority(
      { keys: { privateKey, publicKey }, pkcs8Pem: options.keyPem },
      ski,
      certificate,
      options.now ?? new Date(),
    );
  }

  /** The CA certificate as PEM. */
  get certPem(): string {
    return this.certificate.toString('pem');
  }

  /** The CA private key as PKCS#8 PEM. */
  get keyPem(): string {
    return this.#key.pkcs8Pem;
  }

  /** Issues a leaf certificate, like cryptogen's `SignCertificate`, optionally with Fabric-CA attributes. */
  async issue(request: IssueRequest): Promise<x509.X509Certificate> {
    const extensions: x509.Extension[] = [
      new x509.KeyUsagesExtension(request.keyUsages, true),
      ...(request.extendedKeyUsages !== undefined && request.extendedKeyUsages.length > 0
        ? [new x509.ExtendedKeyUsageExtension([...request.extendedKeyUsages], false)]
        : []),
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.AuthorityKeyIdentifierExtension(this.#ski, false),
      ...(request.subjectAltNames !== undefined && request.subjectAltNames.length > 0
        ? [subjectAltNames(request.subjectAltNames)]
        : []),
      ...(request.attributes !== undefined
        ? [new x509.Extension(FABRIC_CA_ATTRIBUTES_OID, false, encodeCertAttributes(request.attributes))]
        : []),
    ];
    return x509.X509CertificateGenerator.create(
      {
        serialNumber: randomSerial(),
        subject: subjectName(request.subject),
        issuer: this.certificate.subjectName,
        ...validity(this.#now),
        publicKey: request.publicKey,
        signingKey: this.#key.keys.privateKey,
        signingAlgorithm: SIGNING,
        extensions,
      },
      lowSCrypto,
    );
  }
}
