/**
 * Converts what a fabric-gateway call throws into a {@link LedgerError}, once, at the boundary:
 * the chaincode's `CODE: text`, a commit that failed validation (`StatusCode`), and the gRPC
 * status of everything else (`grpc.status`).
 */
import { status as grpcStatus } from '@grpc/grpc-js';
import { CommitError, GatewayError, StatusCode } from '@hyperledger/fabric-gateway';
import { LedgerError, LedgerErrorCode, parseChaincodeError, transactionIdOf } from './errors';

/** The ledger error code of a failed commit's validation code. */
export function validationCodeToLedgerCode(code: number): LedgerErrorCode {
  return code === StatusCode.MVCC_READ_CONFLICT || code === StatusCode.PHANTOM_READ_CONFLICT
    ? LedgerErrorCode.MVCC_CONFLICT
    : LedgerErrorCode.INVALIDATED;
}

/** Fabric's name of a validation code, e.g. `MVCC_READ_CONFLICT`. */
export function validationCodeName(code: number): string {
  const entry = Object.entries(StatusCode).find(([, value]) => value === code);
  return entry?.[0] ?? `code ${code}`;
}

// fabric-gateway reports gRPC statuses as plain numbers; compare them with grpc-js's named statuses.
const GRPC_TO_LEDGER: ReadonlyMap<number, LedgerErrorCode> = new Map<number, LedgerErrorCode>([
  [grpcStatus.UNAVAILABLE, LedgerErrorCode.UNAVAILABLE],
  [grpcStatus.DEADLINE_EXCEEDED, LedgerErrorCode.DEADLINE_EXCEEDED],
]);

function grpcToLedgerCode(code: number): LedgerErrorCode {
  return GRPC_TO_LEDGER.get(code) ?? LedgerErrorCode.UNKNOWN;
}

/** Classifies any error thrown by a fabric-gateway call for `transaction`. */
export function toLedgerError(error: unknown, transaction: string): LedgerError {
  if (error instanceof LedgerError) return error;
  const transactionId = transactionIdOf(error);
  const context = { transaction, cause: error, ...(transactionId === undefined ? {} : { transactionId }) };
  if (error instanceof CommitError) {
    return new LedgerError(
      validationCodeToLedgerCode(error.code),
      `transaction invalidated with validation code ${validationCodeName(error.code)}`,
      context,
    );
  }
  const refusal = parseChaincodeError(error);
  if (refusal !== undefined)
    return new LedgerError(refusal.code, `${refusal.code}: ${refusal.message}`, context);
  if (error instanceof GatewayError)
    return new LedgerError(grpcToLedgerCode(error.code), error.message, context);
  return new LedgerError(
    LedgerErrorCode.UNKNOWN,
    error instanceof Error ? error.message : String(error),
    context,
  );
}
