/**
 * The launcher's one error class. Callers (and the CLI) decide on `code`, never on message text; what
 * the launcher met underneath (a failed spawn, a JSON syntax error, a fabric-gateway error) travels as
 * `cause`. Failures of the shared process supervision arrive as fabric-kit's `FabricKitError`
 * (`PORT_IN_USE`, `SPAWN_FAILED`, `NOT_LISTENING`).
 */
import { CodedError } from '@veriscan/protocol';

/** Why the launcher stopped. */
export const FabricNetworkErrorCode = {
  /** `FABRIC_BIN` is unset, does not exist, or lacks one of Fabric's binaries; the message says how to get them. */
  MISSING_BINARIES: 'MISSING_BINARIES',
  /** A command-line command, option or argument that the launcher does not accept. */
  INVALID_OPTION: 'INVALID_OPTION',
  /** A Fabric CLI (configtxgen, osnadmin, peer) or tsc could not run, exited non-zero or answered unexpectedly. */
  COMMAND_FAILED: 'COMMAND_FAILED',
  /** A node or gateway did not become ready (health, consensus leader, endorsement) in time. */
  NOT_READY: 'NOT_READY',
  /** A process the launcher started exited while the launcher waited for it. */
  NOT_RUNNING: 'NOT_RUNNING',
  /** `stop-node` named a process the state does not know. */
  UNKNOWN_PROCESS: 'UNKNOWN_PROCESS',
  /** The network on disk conflicts with what was asked (another topology, another approved package): run `clean`. */
  CONFLICTING_STATE: 'CONFLICTING_STATE',
  /** `.veriscan/fabric/state.json` is not a launcher state file. */
  CORRUPT_STATE: 'CORRUPT_STATE',
  /** `.veriscan/crypto` lacks files the network needs, even after generation. */
  INCOMPLETE_CRYPTO: 'INCOMPLETE_CRYPTO',
  /** The chaincode's `dist/` is missing (not built, or `--no-build` without a build). */
  NOT_BUILT: 'NOT_BUILT',
} as const;
export type FabricNetworkErrorCode = (typeof FabricNetworkErrorCode)[keyof typeof FabricNetworkErrorCode];

/** An error of the real-Fabric launcher, shaped `{ code, message, cause }`. */
export class FabricNetworkError extends CodedError<FabricNetworkErrorCode> {}

/** The message of anything thrown. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
