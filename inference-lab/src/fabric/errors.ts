/**
 * One error class for everything the ledger wrapper throws, with the failure classified once: the
 * retry policy, the outbox and the metrics all decide on `kind`, never on message text.
 */
import { CommitError, GatewayError } from '@hyperledger/fabric-gateway';

/** Why a ledger call failed. The first three are transient and retried with backoff. */
export const LedgerFailureKind = {
  /** MVCC_READ_CONFLICT or PHANTOM_READ_CONFLICT at validation: another transaction won a race. */
  mvccConflict: 'mvcc-conflict',
  /** gRPC UNAVAILABLE (peer or orderer down, connection refused). */
  unavailable: 'unavailable',
  /** gRPC DEADLINE_EXCEEDED: the call or the wait for its commit timed out. */
  timeout: 'timeout',
  /** The chaincode refused with `CODE: text` (INVALID_ARGUMENT, FORBIDDEN, NOT_FOUND, …). */
  chaincode: 'chaincode',
  /** The transaction was ordered but invalidated for another reason (e.g. endorsement policy). */
  invalidated: 'invalidated',
  /** Anything else (malformed answer, unexpected gRPC status). */
  other: 'other',
} as const;
export type LedgerFailureKind = (typeof LedgerFailureKind)[keyof typeof LedgerFailureKind];

const TRANSIENT: ReadonlySet<LedgerFailureKind> = new Set([
  LedgerFailureKind.mvccConflict,
  LedgerFailureKind.unavailable,
  LedgerFailureKind.timeout,
]);

/** A failed ledger call: what it was, why it failed, the transaction id when one was made. */
export class LedgerError extends Error {
  readonly kind: LedgerFailureKind;
  /** The chaincode's error code when `kind` is `chaincode` (`FAILED_PRECONDITION`, …). */
  readonly chaincodeCode: string | undefined;
  readonly transactionId: string | undefined;
  /** The transaction name, e.g. `Requests:SubmitResult`. */
  readonly transaction: string;

  constructor(
    options: Readonly<{
      kind: LedgerFailureKind;
      transaction: string;
      message: string;
      chaincodeCode?: string;
      transactionId?: string;
      cause?: unknown;
    }>,
  ) {
    super(`${options.transaction}: ${options.message}`, { cause: options.cause });
    this.name = 'LedgerError';
    this.kind = options.kind;
    this.transaction = options.transaction;
    this.chaincodeCode = options.chaincodeCode;
    this.transactionId = options.transactionId;
  }

  /** True for MVCC conflicts, unavailability and timeouts: the same call may succeed later. */
  get transient(): boolean {
    return TRANSIENT.has(this.kind);
  }
}

// gRPC status codes (grpc/status.h); fabric-gateway reports them on GatewayError.code.
const GRPC_DEADLINE_EXCEEDED = 4;
const GRPC_UNAVAILABLE = 14;
// Fabric TxValidationCode values.
const MVCC_READ_CONFLICT = 11;
const PHANTOM_READ_CONFLICT = 12;

/**
 * The chaincode's `CODE` in an error, if the chaincode answered: Fabric passes only the message, as
 * `chaincode response 500, CODE: text`, in the error or in its per-peer details.
 */
export function chaincodeCodeOf(error: unknown): string | undefined {
  const texts: string[] = [];
  if (error instanceof Error) texts.push(error.message);
  if (error instanceof GatewayError) for (const d of error.details) texts.push(d.message);
  for (const text of texts) {
    const match = /chaincode response \d+, ([A-Z_]+): /.exec(text);
    if (match?.[1] !== undefined) return match[1];
  }
  return undefined;
}

function transactionIdOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('transactionId' in error)) return undefined;
  const id: unknown = error.transactionId;
  return typeof id === 'string' ? id : undefined;
}

/** Classifies any error thrown by a fabric-gateway call into a {@link LedgerError}. */
export function toLedgerError(error: unknown, transaction: string): LedgerError {
  if (error instanceof LedgerError) return error;
  const transactionId = transactionIdOf(error);
  const base = { transaction, cause: error, ...(transactionId === undefined ? {} : { transactionId }) };
  if (error instanceof CommitError) {
    const conflict = error.code === MVCC_READ_CONFLICT || error.code === PHANTOM_READ_CONFLICT;
    return new LedgerError({
      ...base,
      kind: conflict ? LedgerFailureKind.mvccConflict : LedgerFailureKind.invalidated,
      message: `transaction invalidated with validation code ${error.code}`,
    });
  }
  const code = chaincodeCodeOf(error);
  if (code !== undefined) {
    const detail =
      error instanceof GatewayError
        ? (error.details.find((d) => d.message.includes(`${code}: `))?.message ?? error.message)
        : error instanceof Error
          ? error.message
          : String(error);
    const text = detail.slice(detail.indexOf(`${code}: `));
    return new LedgerError({
      ...base,
      kind: LedgerFailureKind.chaincode,
      chaincodeCode: code,
      message: text,
    });
  }
  if (error instanceof GatewayError) {
    const kind =
      error.code === GRPC_UNAVAILABLE
        ? LedgerFailureKind.unavailable
        : error.code === GRPC_DEADLINE_EXCEEDED
          ? LedgerFailureKind.timeout
          : LedgerFailureKind.other;
    return new LedgerError({ ...base, kind, message: error.message });
  }
  return new LedgerError({
    ...base,
    kind: LedgerFailureKind.other,
    message: error instanceof Error ? error.message : String(error),
  });
}
