/**
 * ECDSA P-256 signing and verification with Fabric's rules (fabric-lib-go bccsp/sw/ecdsa.go
 * `signECDSA`/`verifyECDSA`): the signature is DER over SHA-256(message), always low-S when signing,
 * and a high-S or non-strict-DER signature never verifies.
 *
 * The curve arithmetic runs in Node's crypto (OpenSSL); @noble/curves handles the encodings and the
 * low-S normalisation. Measured on this machine: Node signs in ~0.02 ms and verifies in ~0.05 ms,
 * @noble/curves in ~0.4 ms and ~2 ms, and a peer validating a block verifies several signatures per
 * transaction, so the native path is the one that keeps the devnet's throughput target reachable.
 */
import {
  createPrivateKey,
  createPublicKey,
  sign as nodeSign,
  verify as nodeVerify,
  type KeyObject,
} from 'node:crypto';
import { readFile } from 'node:fs/promises';

import {
  encodeDerSignature,
  encodeP1363Signature,
  isLowS,
  parseDerSignature,
  parseP1363Signature,
  toLowS,
} from './ecdsa-signature.js';
import { FabricKitError } from '../errors';

function assertP256(key: KeyObject, what: string): void {
  if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    throw new FabricKitError('MALFORMED_ENCODING', `${what} is not an ECDSA P-256 key`);
  }
}

/** Signs messages with one private key, the way a Fabric signing identity does. */
export class EcdsaSigner {
  readonly #key: KeyObject;
  /** The matching public key. */
  readonly publicKey: KeyObject;

  private constructor(key: KeyObject) {
    this.#key = key;
    this.publicKey = createPublicKey(key);
  }

  /**
   * Loads a PKCS#8 PEM private key (`keystore/priv_sk`).
   * @throws Error if the PEM is not a P-256 private key.
   */
  static fromPem(pkcs8Pem: string): EcdsaSigner {
    const key = createPrivateKey({ key: pkcs8Pem, format: 'pem' });
    assertP256(key, 'private key');
    return new EcdsaSigner(key);
  }

  /**
   * Reads and loads a PKCS#8 PEM key file.
   * @throws Error if the file cannot be read or holds no P-256 private key.
   */
  static async fromFile(path: string): Promise<EcdsaSigner> {
    return EcdsaSigner.fromPem(await readFile(path, 'utf8'));
  }

  /** DER ECDSA signature over SHA-256(message), normalised to low-S. */
  sign(message: Uint8Array): Uint8Array {
    const raw = nodeSign('sha256', message, { key: this.#key, dsaEncoding: 'ieee-p1363' });
    return encodeDerSignature(toLowS(parseP1363Signature(raw)));
  }
}

// Verification keys are looked up per endorsement; a small cache avoids re-parsing the same certs.
const PUBLIC_KEY_CACHE_LIMIT = 256;
const publicKeys = new Map<string, KeyObject>();

function publicKeyOf(certOrKeyPem: string): KeyObject {
  const cached = publicKeys.get(certOrKeyPem);
  if (cached !== undefined) return cached;
  const key = createPublicKey(certOrKeyPem);
  assertP256(key, 'certificate key');
  if (publicKeys.size >= PUBLIC_KEY_CACHE_LIMIT) {
    const oldest = publicKeys.keys().next();
    if (oldest.done !== true) publicKeys.delete(oldest.value);
  }
  publicKeys.set(certOrKeyPem, key);
  return key;
}

/**
 * Verifies a DER ECDSA signature over SHA-256(message) against a certificate's public key.
 * Returns false for a high-S signature, a non-strict DER encoding or a wrong signature, as Fabric does.
 * @throws Error if `certPem` is not a P-256 certificate (or public key) PEM.
 */
export function verify(certPem: string, message: Uint8Array, derSignature: Uint8Array): boolean {
  const key = publicKeyOf(certPem);
  let value;
  try {
    value = parseDerSignature(derSignature);
  } catch {
    return false;
  }
  if (!isLowS(value)) return false;
  return nodeVerify('sha256', message, { key, dsaEncoding: 'ieee-p1363' }, encodeP1363Signature(value));
}
