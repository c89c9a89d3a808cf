/**
 * The fabric-kit's one error class. Decisions are made on `code`, never on message text; the
 * foreign errors this package meets (fs, JSON, X.509 parsing) travel as `cause`.
 */

/** Why the kit refused. */
export const FabricKitErrorCode = {
  /** `network.json` is missing a field or has one of the wrong type. */
  INVALID_PROFILE: 'INVALID_PROFILE',
  /** No identity, peer, org or user of that name in the profile or the crypto layout. */
  UNKNOWN_NAME: 'UNKNOWN_NAME',
  /** Bytes that should be DER, PEM, a key or a certificate extension are not. */
  MALFORMED_ENCODING: 'MALFORMED_ENCODING',
  /** An MSP `config.yaml` that does not parse or uses a feature the kit does not implement. */
  MALFORMED_CONFIG: 'MALFORMED_CONFIG',
} as const;
export type FabricKitErrorCode = (typeof FabricKitErrorCode)[keyof typeof FabricKitErrorCode];

/** An error of the Fabric kit, shaped `{ code, message, cause }`. */
export class FabricKitError extends Error {
  override readonly name = 'FabricKitError';
  readonly code: FabricKitErrorCode;

  constructor(code: FabricKitErrorCode, message: string, options?: Readonly<{ cause?: unknown }>) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
  }
}
