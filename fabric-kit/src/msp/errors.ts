/**
 * Errors of the MSP code. Messages follow Fabric's wording (msp/mspimpl.go, msp/mspimplvalidate.go,
 * msp/mspmgrimpl.go) so logs read the same on both networks.
 */

import { FabricKitError, FabricKitErrorCode } from '../errors';

/** Why an identity or an MSP folder was refused. */
/** The MSP's codes: a subset of {@link FabricKitErrorCode}. */
export const MspErrorCode = {
  MALFORMED_IDENTITY: FabricKitErrorCode.MALFORMED_IDENTITY,
  UNKNOWN_MSP: FabricKitErrorCode.UNKNOWN_MSP,
  MSP_MISMATCH: FabricKitErrorCode.MSP_MISMATCH,
  UNTRUSTED_CERTIFICATE: FabricKitErrorCode.UNTRUSTED_CERTIFICATE,
  CA_AS_IDENTITY: FabricKitErrorCode.CA_AS_IDENTITY,
  UNSUPPORTED_KEY: FabricKitErrorCode.UNSUPPORTED_KEY,
  NODE_OU: FabricKitErrorCode.NODE_OU,
  MSP_CONFIG: FabricKitErrorCode.MSP_CONFIG,
} as const;
/** A code from {@link MspErrorCode}. */
export type MspErrorCode = (typeof MspErrorCode)[keyof typeof MspErrorCode];

/** An identity or MSP configuration refused by the devnet MSP. */
export class MspError extends FabricKitError {
  declare readonly code: MspErrorCode;
  /** The MSP that refused, when known. */
  readonly mspId: string | undefined;

  constructor(code: MspErrorCode, message: string, options?: Readonly<{ mspId?: string; cause?: unknown }>) {
    super(code, message, options);
    this.mspId = options?.mspId;
  }
}
