/**
 * The devnet's error for its own failures (configuration, state on disk, misuse of a command).
 * Protocol-level refusals keep their own classes, which carry what the wire needs (a gRPC status
 * in `gateway/errors.ts`, a policy failure in `policy/errors.ts`).
 */
import { CodedError } from '@veriscan/protocol';

/** Why the devnet refused. */
export const DevnetErrorCode = {
  /** A setting (environment variable, option) out of range. */
  INVALID_CONFIG: 'INVALID_CONFIG',
  /** Files on disk (block store, install info, pid files) that do not have the expected shape. */
  CORRUPT_STATE: 'CORRUPT_STATE',
  /** A node, chaincode or process that is not there or did not start in time. */
  UNAVAILABLE: 'UNAVAILABLE',
  /** A caller asked for something that does not exist or is not allowed in this state. */
  FAILED_PRECONDITION: 'FAILED_PRECONDITION',
  /** A message from the wire that does not decode or breaks a protocol rule. */
  MALFORMED_MESSAGE: 'MALFORMED_MESSAGE',
  /** An invariant of the devnet's own code broke (a bug, never a user's mistake). */
  INTERNAL: 'INTERNAL',
  /** A signature-policy DSL text does not parse (common/policydsl `FromString` would fail). */
  POLICY_SYNTAX: 'POLICY_SYNTAX',
  /** A `SignaturePolicyEnvelope` is malformed (common/cauthdsl `compile` would fail). */
  POLICY_MALFORMED: 'POLICY_MALFORMED',
  /** A channel configuration policy reference that names no policy convertible to a signature policy. */
  UNKNOWN_POLICY: 'UNKNOWN_POLICY',
  /** No set of org peers can satisfy an endorsement policy. */
  POLICY_UNSATISFIABLE: 'POLICY_UNSATISFIABLE',
  /** A chaincode server is not connected or went away. */
  CHAINCODE_UNAVAILABLE: 'CHAINCODE_UNAVAILABLE',
  /** A chaincode used the simulator in a way Fabric refuses (e.g. a paginated query and a write). */
  SIMULATION_REFUSED: 'SIMULATION_REFUSED',
  /**
   * A channel configuration refused by Fabric's configtx or channelconfig rules: a configuration
   * update (read set, versions, mod_policy signatures), a config block that does not follow from the
   * previous configuration, or a configuration the devnet cannot build MSPs and policies from.
   */
  CONFIG_REFUSED: 'CONFIG_REFUSED',
  /** Signatures that do not satisfy the policy guarding a request (Fabric's `ErrPermissionDenied`). */
  PERMISSION_DENIED: 'PERMISSION_DENIED',
  /** A block that fails a peer's verification: number, hash chain, data hash or orderer signature. */
  INVALID_BLOCK: 'INVALID_BLOCK',
} as const;
export type DevnetErrorCode = (typeof DevnetErrorCode)[keyof typeof DevnetErrorCode];

/** An error of the devnet, shaped `{ code, message, cause }`. */
export class DevnetError extends CodedError<DevnetErrorCode> {}

/**
 * `error` with `context` in front, as Go's `errors.WithMessage`/`Wrapf` print it (`context: cause`),
 * keeping its code: Fabric's texts are built this way, layer by layer.
 */
export function withContext(context: string, error: DevnetError): DevnetError {
  return new DevnetError(error.code, `${context}: ${error.message}`, { cause: error });
}

/** Runs `step`; a DevnetError it throws gets `context` in front ({@link withContext}). */
export function inContext<T>(context: string, step: () => T): T {
  try {
    return step();
  } catch (error) {
    if (error instanceof DevnetError) throw withContext(context, error);
    throw error;
  }
}
