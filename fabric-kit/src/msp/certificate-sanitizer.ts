/**
 * Fabric's certificate sanitisation (msp/cert.go `sanitizeECDSASignedCert`, msp/mspimpl.go
 * `sanitizeCert`): a certificate whose ECDSA signature is high-S is rewritten with the low-S twin of
 * that signature before its identity id (SHA-256 of the certificate) is computed, so the two
 * encodings of one certificate are one identity, e.g. when a policy counts distinct signers.
 *
 * Like Fabric, which keeps the to-be-signed part as an `asn1.RawValue`, this only re-frames the outer
 * `Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue BIT STRING }` and
 * copies the first two elements byte for byte; it never re-encodes certificate content.
 */
import { encodeDerSignature, isLowS, parseDerSignature, toLowS } from './ecdsa-signature.js';
import { FabricKitError } from '../errors';

interface Tlv {
  readonly tag: number;
  /** Offset of the first content byte. */
  readonly start: number;
  /** Offset just past the element. */
  readonly end: number;
}

function readTlv(der: Uint8Array, offset: number): Tlv {
  const tag = der[offset];
  const first = der[offset + 1];
  if (tag === undefined || first === undefined)
    throw new FabricKitError('MALFORMED_ENCODING', 'truncated DER element');
  let length = first;
  let start = offset + 2;
  if (first & 0x80) {
    const count = first & 0x7f;
    if (count === 0 || count > 4) throw new FabricKitError('MALFORMED_ENCODING', 'unsupported DER length');
    length = 0;
    for (let i = 0; i < count; i++) {
      const b = der[start + i];
      if (b === undefined) throw new FabricKitError('MALFORMED_ENCODING', 'truncated DER length');
      length = length * 256 + b;
    }
    start += count;
  }
  const end = start + length;
  if (end > der.length) throw new FabricKitError('MALFORMED_ENCODING', 'truncated DER element');
  return { tag, start, end };
}

function encodeLength(length: number): Uint8Array {
  if (length < 0x80) return Uint8Array.of(length);
  const bytes: number[] = [];
  for (let n = length; n > 0; n = Math.floor(n / 256)) bytes.unshift(n % 256);
  return Uint8Array.of(0x80 | bytes.length, ...bytes);
}

function element(tag: number, content: Uint8Array): Uint8Array {
  const length = encodeLength(content.length);
  const out = new Uint8Array(1 + length.length + content.length);
  out[0] = tag;
  out.set(length, 1);
  out.set(content, 1 + length.length);
  return out;
}

const SEQUENCE = 0x30;
const BIT_STRING = 0x03;

interface CertificateParts {
  readonly outer: Tlv;
  readonly algorithm: Tlv;
  /** The DER signature inside the BIT STRING. */
  readonly signature: Uint8Array;
}

function splitCertificate(der: Uint8Array): CertificateParts {
  const outer = readTlv(der, 0);
  if (outer.tag !== SEQUENCE || outer.end !== der.length)
    throw new FabricKitError('MALFORMED_ENCODING', 'not a DER certificate');
  const tbs = readTlv(der, outer.start);
  const algorithm = readTlv(der, tbs.end);
  const signature = readTlv(der, algorithm.end);
  if (signature.tag !== BIT_STRING || signature.end !== outer.end || der[signature.start] !== 0) {
    throw new FabricKitError('MALFORMED_ENCODING', 'not a DER certificate');
  }
  return { outer, algorithm, signature: der.subarray(signature.start + 1, signature.end) };
}

/** The certificate's signature value (DER `ECDSA-Sig-Value` for ECDSA certificates). */
export function certificateSignature(der: Uint8Array): Uint8Array {
  return splitCertificate(der).signature;
}

/**
 * The certificate with its signature value replaced, everything else copied byte for byte.
 * @throws Error if the outer structure is not a DER certificate.
 */
export function replaceCertificateSignature(der: Uint8Array, signature: Uint8Array): Uint8Array {
  const { outer, algorithm } = splitCertificate(der);
  const bitString = element(BIT_STRING, Uint8Array.of(0, ...signature));
  const body = new Uint8Array(algorithm.end - outer.start + bitString.length);
  body.set(der.subarray(outer.start, algorithm.end), 0);
  body.set(bitString, algorithm.end - outer.start);
  return element(SEQUENCE, body);
}

/**
 * The certificate with a low-S signature: the input itself when it already is, else a re-framed copy.
 * Only meaningful for ECDSA-signed certificates; a signature that is not a DER ECDSA value is left as is.
 * @throws Error if the outer structure is not a DER certificate.
 */
export function sanitizeCertificate(der: Uint8Array): Uint8Array {
  const signature = certificateSignature(der);
  let value;
  try {
    value = parseDerSignature(signature);
  } catch {
    return der;
  }
  return isLowS(value) ? der : replaceCertificateSignature(der, encodeDerSignature(toLowS(value)));
}
