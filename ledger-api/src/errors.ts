/**
 * The chaincode's error codes and the one error every ledger call throws.
 *
 * A chaincode error reaches a client only as a message (fabric-chaincode-node: peer status 500),
 * so the chaincode writes `CODE: text` and {@link parseChaincodeError} reads it back once, from a
 * fabric-gateway error or its per-peer details. Every later decision is made on `code`.
 */
import { CodedError } from '@veriscan/protocol';

/** The codes the chaincode fails with, at the front of its message (`FORBIDDEN: …`). */
export const ChaincodeErrorCode = {
  INVALID_ARGUMENT: 'INVALID_ARGUMENT',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  ALREADY_EXISTS: 'ALREADY_EXISTS',
  CONFLICT: 'CONFLICT',
  FAILED_PRECONDITION: 'FAILED_PRECONDITION',
} as const;
export type ChaincodeErrorCode = (typeof ChaincodeErrorCode)[keyof typeof ChaincodeErrorCode];

/** Every reason a ledger call fails: the chaincode's codes plus the network's. */
export const LedgerErrorCode = {
  ...ChaincodeErrorCode,
  /** MVCC_READ_CONFLICT or PHANTOM_READ_CONFLICT at validation: another transaction won a race. */
  MVCC_CONFLICT: 'MVCC_CONFLICT',
  /** gRPC UNAVAILABLE: a peer or the orderer is down or unreachable. */
  UNAVAILABLE: 'UNAVAILABLE',
  /** gRPC DEADLINE_EXCEEDED: the call or the wait for its commit timed out. */
  DEADLINE_EXCEEDED: 'DEADLINE_EXCEEDED',
  /** Ordered but invalidated for another reason than a conflict (e.g. the endorsement policy). */
  INVALIDATED: 'INVALIDATED',
  /** The chaincode answered something that does not parse as the expected record. */
  UNEXPECTED_ANSWER: 'UNEXPECTED_ANSWER',
  /** Anything else (an unexpected gRPC status, a local failure). */
  UNKNOWN: 'UNKNOWN',
} as const;
export type LedgerErrorCode = (typeof LedgerErrorCode)[keyof typeof LedgerErrorCode];

const CHAINCODE_CODES: ReadonlySet<string> = new Set(Object.values(ChaincodeErrorCode));
const TRANSIENT_CODES: ReadonlySet<LedgerErrorCode> = new Set<LedgerErrorCode>([
  LedgerErrorCode.MVCC_CONFLICT,
  LedgerErrorCode.UNAVAILABLE,
  LedgerErrorCode.DEADLINE_EXCEEDED,
]);

/** True for a code the chaincode itself fails with. */
export function isChaincodeErrorCode(code: string): code is ChaincodeErrorCode {
  return CHAINCODE_CODES.has(code);
}

/** A failed ledger call, shaped `{ code, message, cause }`, with the transaction it concerned. */
export class LedgerError extends CodedError<LedgerErrorCode> {
  /** The transaction's wire name (or a parser's subject), e.g. `Requests:SubmitResult`. */
  readonly transaction: string | undefined;
  /** The transaction id, when one was made. */
  readonly transactionId: string | undefined;

  constructor(
    code: LedgerErrorCode,
    message: string,
    options?: Readonly<{ cause?: unknown; transaction?: string; transactionId?: string }>,
  ) {
    super(code, options?.transaction === undefined ? message : `${options.transaction}: ${message}`, options);
    this.transaction = options?.transaction;
    this.transactionId = options?.transactionId;
  }

  /** True when the chaincode refused (the same call would be refused again). */
  get fromChaincode(): boolean {
    return isChaincodeErrorCode(this.code);
  }

  /** True for MVCC conflicts, unavailability and timeouts: the same call may succeed later. */
  get transient(): boolean {
    return TRANSIENT_CODES.has(this.code);
  }
}

/** A chaincode refusal as a client sees it. */
export interface ChaincodeFailure {
  readonly code: ChaincodeErrorCode;
  /** The chaincode's own text after the code. */
  readonly message: string;
  readonly transactionId: string | undefined;
}

// Fabric wraps a chaincode's error as `chaincode response 500, CODE: text` (core/endorser), in the
// gateway error's message or in one of its per-peer details.
const CHAINCODE_MESSAGE = /chaincode response \d+, ([A-Z_]+): ([\s\S]*)$/;

function messagesOf(error: unknown): string[] {
  const texts: string[] = [];
  if (error instanceof Error) texts.push(error.message);
  if (typeof error === 'object' && error !== null && 'details' in error && Array.isArray(error.details)) {
    for (const detail of error.details as unknown[]) {
      if (typeof detail === 'object' && detail !== null && 'message' in detail) {
        const message: unknown = detail.message;
        if (typeof message === 'string') texts.push(message);
      }
    }
  }
  return texts;
}

/** The transaction id a fabric-gateway error carries, if any. */
export function transactionIdOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('transactionId' in error)) return undefined;
  const id: unknown = error.transactionId;
  return typeof id === 'string' && id !== '' ? id : undefined;
}

/**
 * The chaincode's refusal inside a fabric-gateway `EndorseError`/`GatewayError` (or any error whose
 * message or details carry it), or undefined when the chaincode did not answer with a code.
 */
export function parseChaincodeError(error: unknown): ChaincodeFailure | undefined {
  for (const text of messagesOf(error)) {
    const match = CHAINCODE_MESSAGE.exec(text);
    const code = match?.[1];
    if (code !== undefined && isChaincodeErrorCode(code)) {
      return { code, message: match?.[2] ?? '', transactionId: transactionIdOf(error) };
    }
  }
  return undefined;
}
