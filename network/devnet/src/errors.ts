/**
 * The devnet's error for its own failures (configuration, state on disk, misuse of a command).
 * Protocol-level refusals keep their own classes, which carry what the wire needs (a gRPC status
 * in `gateway/errors.ts`, a policy failure in `policy/errors.ts`).
 */

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
} as const;
export type DevnetErrorCode = (typeof DevnetErrorCode)[keyof typeof DevnetErrorCode];

/** An error of the devnet, shaped `{ code, message, cause }`. */
export class DevnetError extends Error {
  override readonly name = 'DevnetError';
  readonly code: DevnetErrorCode;

  constructor(code: DevnetErrorCode, message: string, options?: Readonly<{ cause?: unknown }>) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
  }
}
