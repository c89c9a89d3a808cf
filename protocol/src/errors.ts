/**
 * Why a protocol function refused its input. `INVALID_RECORD` comes from the parsers (data from outside:
 * ledger bytes, HTTP bodies, files); `INVALID_INPUT` from builders and hash functions called with values that
 * cannot be encoded (a programming error in the caller, or corrupt decoded pixels).
 */
export const ProtocolErrorCode = {
  INVALID_RECORD: 'INVALID_RECORD',
  INVALID_INPUT: 'INVALID_INPUT',
} as const;

/** One of {@link ProtocolErrorCode}. */
export type ProtocolErrorCode = (typeof ProtocolErrorCode)[keyof typeof ProtocolErrorCode];

/**
 * The base of every Veriscan error: `{ code, message, cause }`, with `code` from the throwing
 * package's UPPER_SNAKE `as const` table, and `name` the subclass's own. Each package declares one
 * subclass (or a small family) with its code table; decisions are made on `code`, never on text.
 */
export class CodedError<C extends string = string> extends Error {
  readonly code: C;

  constructor(code: C, message: string, options?: Readonly<{ cause?: unknown }>) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.name = new.target.name;
  }
}

/**
 * The single error class of the package. `field` is the dotted path of the offending value
 * (`trace.pixels.width`, `receipt.traceHash`) and is also the start of the message, so the message alone is
 * enough once it has crossed a process boundary (a chaincode error reaches the client only as a string).
 */
export class ProtocolError extends CodedError<ProtocolErrorCode> {
  /** Dotted path of the offending value. */
  readonly field: string;

  /** `message` should start with `field` (see {@link invalidRecord}). */
  constructor(
    code: ProtocolErrorCode,
    message: string,
    options: Readonly<{ field: string; cause?: unknown }>,
  ) {
    super(code, message, options);
    this.field = options.field;
  }
}

/** Throws an `INVALID_INPUT` error; for builders, whose callers pass typed but possibly impossible values. */
export function invalidInput(field: string, reason: string): never {
  throw new ProtocolError(ProtocolErrorCode.INVALID_INPUT, `${field}: ${reason}`, { field });
}

/** Throws an `INVALID_RECORD` error; for parsers of untrusted data. */
export function invalidRecord(field: string, reason: string): never {
  throw new ProtocolError(ProtocolErrorCode.INVALID_RECORD, `${field}: ${reason}`, { field });
}
