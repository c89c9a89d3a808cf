/**
 * Deliberate chaincode failures. Fabric only carries a thrown error's message to the client
 * (peer status 500), so the code travels at the front of the message as `CODE: message`.
 */
export const ErrorCode = {
  INVALID_ARGUMENT: 'INVALID_ARGUMENT',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  ALREADY_EXISTS: 'ALREADY_EXISTS',
  CONFLICT: 'CONFLICT',
  FAILED_PRECONDITION: 'FAILED_PRECONDITION',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** An error whose message starts with its code, e.g. `FORBIDDEN: regulator may not write`. */
export class ChaincodeError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string) {
    super(`${code}: ${message}`);
    this.name = 'ChaincodeError';
    this.code = code;
  }
}

/** Throws a {@link ChaincodeError}; the one way contracts fail on purpose. */
export function fail(code: ErrorCode, message: string): never {
  throw new ChaincodeError(code, message);
}
