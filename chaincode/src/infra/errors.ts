/**
 * Deliberate chaincode failures. Fabric only carries a thrown error's message to the client
 * (peer status 500), so the code travels at the front of the message as `CODE: message`.
 */
import { CodedError } from '@veriscan/protocol';
import { ChaincodeErrorCode } from '@veriscan/ledger-api/wire';

/** The closed set of codes, owned by `@veriscan/ledger-api` so clients read what the chaincode writes. */
export const ErrorCode = ChaincodeErrorCode;
export type ErrorCode = ChaincodeErrorCode;

/** An error whose message starts with its code, e.g. `FORBIDDEN: regulator may not write`. */
export class ChaincodeError extends CodedError<ErrorCode> {
  constructor(code: ErrorCode, message: string) {
    super(code, `${code}: ${message}`);
  }
}

/** Throws a {@link ChaincodeError}; the one way contracts fail on purpose. */
export function fail(code: ErrorCode, message: string): never {
  throw new ChaincodeError(code, message);
}
