/**
 * Signature policies as Fabric represents them (common/policies.proto `SignaturePolicyEnvelope`):
 * a list of principals and a rule tree whose leaves point into that list by index.
 */

/** The roles a principal can name (msp/msp_principal.proto `MSPRole.MSPRoleType`, DSL spelling). */
export const PRINCIPAL_ROLES = ['member', 'admin', 'client', 'peer', 'orderer'] as const;
/** A principal's role. `member` is any valid identity of the MSP. */
export type PrincipalRole = (typeof PRINCIPAL_ROLES)[number];

/** `'<MSP id>.<role>'`: an MSP role principal (`MSPPrincipal{ROLE, MSPRole}`). */
export interface RolePrincipal {
  readonly mspId: string;
  readonly role: PrincipalRole;
}

/** A node of the rule tree. */
export type SignaturePolicyRule =
  /** Satisfied by one not-yet-used identity matching `identities[index]`. */
  | { readonly kind: 'signed-by'; readonly index: number }
  /** Satisfied when at least `n` of `rules` are. AND is n = rules.length, OR is n = 1. */
  | { readonly kind: 'n-out-of'; readonly n: number; readonly rules: readonly SignaturePolicyRule[] };

/** A complete signature policy. */
export interface SignaturePolicy {
  readonly identities: readonly RolePrincipal[];
  readonly rule: SignaturePolicyRule;
}

/** An identity as a policy sees it: which MSP vouches for it and which NodeOU role it has. */
export interface PolicyIdentity {
  readonly mspId: string;
  readonly role: Exclude<PrincipalRole, 'member'>;
}
