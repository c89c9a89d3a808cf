/**
 * ECDSA P-256 signature encodings and the low-S rule of Fabric's BCCSP
 * (fabric-lib-go bccsp/utils/ecdsa.go `SignatureToLowS`, `IsLowS`, `UnmarshalECDSASignature`).
 *
 * Fabric accepts only strict-DER `ECDSA-Sig-Value{r, s}` with 0 < r, s and s ≤ n/2, because (r, s)
 * and (r, n − s) are both valid and would otherwise give one transaction two encodings.
 * Encoding and the strict DER parser come from @noble/curves.
 */
import { p256 } from '@noble/curves/nist.js';

/** The order n of the P-256 group. */
export const P256_ORDER: bigint = p256.Point.Fn.ORDER;
const HALF_ORDER = P256_ORDER >> 1n;

/** The two integers of an ECDSA signature. */
export interface EcdsaSignatureValue {
  readonly r: bigint;
  readonly s: bigint;
}

/**
 * Parses a strict-DER ECDSA signature (no trailing bytes, minimal integers, 0 < r, s < n).
 * @throws Error if the bytes are not such a signature.
 */
export function parseDerSignature(der: Uint8Array): EcdsaSignatureValue {
  const sig = p256.Signature.fromBytes(der, 'der');
  return { r: sig.r, s: sig.s };
}

/** Whether s ≤ n/2, the only form Fabric accepts (bccsp/utils `IsLowS`). */
export function isLowS(sig: EcdsaSignatureValue): boolean {
  return sig.s <= HALF_ORDER;
}

/** The low-S twin of a signature: (r, n − s) when s > n/2, else the same. */
export function toLowS(sig: EcdsaSignatureValue): EcdsaSignatureValue {
  return isLowS(sig) ? sig : { r: sig.r, s: P256_ORDER - sig.s };
}

/** The high-S twin of a low-S signature (tests use it to check that Fabric's rule is enforced). */
export function toHighS(sig: EcdsaSignatureValue): EcdsaSignatureValue {
  return isLowS(sig) ? { r: sig.r, s: P256_ORDER - sig.s } : sig;
}

/** DER `ECDSA-Sig-Value` of a signature. */
export function encodeDerSignature(sig: EcdsaSignatureValue): Uint8Array {
  return new p256.Signature(sig.r, sig.s).toBytes('der');
}

/** Parses the 64-byte IEEE P1363 form `r ‖ s` that WebCrypto and `dsaEncoding: 'ieee-p1363'` produce. */
export function parseP1363Signature(raw: Uint8Array): EcdsaSignatureValue {
  const sig = p256.Signature.fromBytes(raw, 'compact');
  return { r: sig.r, s: sig.s };
}

/** The 64-byte IEEE P1363 form `r ‖ s` of a signature. */
export function encodeP1363Signature(sig: EcdsaSignatureValue): Uint8Array {
  return new p256.Signature(sig.r, sig.s).toBytes('compact');
}
