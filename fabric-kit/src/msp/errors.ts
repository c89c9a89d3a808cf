/**
 * Errors of the devnet MSP. Messages follow Fabric's wording (msp/mspimpl.go, msp/mspimplvalidate.go,
 * msp/mspmgrimpl.go) so logs read the same on both networks.
 */

/** Why an identity or an MSP folder was refused. */
export const MSP_ERROR_CODES = [
  /** The bytes are not a SerializedIdentity holding a PEM X.509 certificate. */
  'MALFORMED_IDENTITY',
  /** No MSP with the identity's MSP id is known. */
  'UNKNOWN_MSP',
  /** The identity names a different MSP than the one asked to deserialize it. */
  'MSP_MISMATCH',
  /** The certificate does not chain to the MSP's root CAs (or its chain breaks a Fabric rule). */
  'UNTRUSTED_CERTIFICATE',
  /** The certificate is a CA certificate, which Fabric never accepts as an identity. */
  'CA_AS_IDENTITY',
  /** The certificate's key is not ECDSA P-256. */
  'UNSUPPORTED_KEY',
  /** The certificate does not carry exactly one NodeOU role OU certified by the configured CA. */
  'NODE_OU',
  /** The MSP folder is missing something or uses a feature the devnet does not implement. */
  'MSP_CONFIG',
] as const;
/** A code from {@link MSP_ERROR_CODES}. */
export type MspErrorCode = (typeof MSP_ERROR_CODES)[number];

/** An identity or MSP configuration refused by the devnet MSP. */
export class MspError extends Error {
  override readonly name = 'MspError';
  readonly code: MspErrorCode;
  /** The MSP that refused, when known. */
  readonly mspId: string | undefined;

  constructor(options: Readonly<{ code: MspErrorCode; message: string; mspId?: string; cause?: unknown }>) {
    super(options.message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = options.code;
    this.mspId = options.mspId;
  }
}
