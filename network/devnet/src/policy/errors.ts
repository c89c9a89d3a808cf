/** Errors of the signature-policy module. */

/** Why a policy was refused. */
export type PolicyErrorCode =
  /** The DSL text does not parse (common/policydsl `FromString` would fail). */
  | 'POLICY_SYNTAX'
  /** A `SignaturePolicyEnvelope` is malformed (common/cauthdsl `compile` would fail). */
  | 'POLICY_MALFORMED'
  /** No set of org peers can satisfy the policy. */
  | 'POLICY_UNSATISFIABLE';

/** A policy refused by the parser, the compiler or the endorser planner. */
export class PolicyError extends Error {
  override readonly name = 'PolicyError';
  readonly code: PolicyErrorCode;

  constructor(options: Readonly<{ code: PolicyErrorCode; message: string; cause?: unknown }>) {
    super(options.message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = options.code;
  }
}
