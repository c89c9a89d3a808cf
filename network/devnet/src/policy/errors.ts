/** Errors of the signature-policy module. */
import { DevnetError, DevnetErrorCode } from '../errors';

/** Why a policy was refused (a subset of {@link DevnetErrorCode}). */
export type PolicyErrorCode =
  | typeof DevnetErrorCode.POLICY_SYNTAX
  | typeof DevnetErrorCode.POLICY_MALFORMED
  | typeof DevnetErrorCode.POLICY_UNSATISFIABLE;

/** A policy refused by the parser, the compiler or the endorser planner. */
export class PolicyError extends DevnetError {
  declare readonly code: PolicyErrorCode;

  constructor(code: PolicyErrorCode, message: string, options?: Readonly<{ cause?: unknown }>) {
    super(code, message, options);
    this.name = 'PolicyError';
  }
}
