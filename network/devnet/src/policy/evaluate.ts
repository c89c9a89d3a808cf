/**
 * Evaluates signature policies with Fabric's semantics (common/cauthdsl/cauthdsl.go `compile`,
 * common/cauthdsl/policy.go `EvaluateSignedData`, common/policies/policy.go
 * `SignatureSetToValidIdentities`):
 * - signed data is turned into identities first: an identity that does not deserialize or validate is
 *   dropped, a repeated identity (same MSP id and identity id) is dropped before its signature is
 *   checked, and an identity whose signature does not verify (including high-S) is dropped;
 * - each identity satisfies at most one principal: `SignedBy` takes the first unused identity that
 *   matches and marks it used; `NOutOf` tries every sub-rule in order, on a copy of the used marks,
 *   keeping the marks of the sub-rules that succeed (a greedy search, exactly as Fabric does it, so a
 *   policy can fail where a cleverer assignment would have succeeded);
 * - a principal `M.member` matches any valid identity of MSP M, `M.<role>` one whose NodeOU is that role.
 */
import { type IdentityDeserializer, type MspIdentity, verify } from '@veriscan/fabric-kit';
import { PolicyError } from './errors.js';
import type { PolicyIdentity, RolePrincipal, SignaturePolicy, SignaturePolicyRule } from './types.js';

type Evaluator = (identities: readonly PolicyIdentity[], used: boolean[]) => boolean;

/** Whether an identity satisfies a role principal (msp/mspimpl.go `satisfiesPrincipalInternalV142`). */
export function satisfiesPrincipal(identity: PolicyIdentity, principal: RolePrincipal): boolean {
  return (
    identity.mspId === principal.mspId && (principal.role === 'member' || principal.role === identity.role)
  );
}

function compile(rule: SignaturePolicyRule, principals: readonly RolePrincipal[]): Evaluator {
  if (rule.kind === 'signed-by') {
    const principal = principals[rule.index];
    if (principal === undefined || rule.index < 0) {
      throw new PolicyError(
        'POLICY_MALFORMED',
        `identity index out of range, requested ${rule.index}, but identities length is ${principals.length}`,
      );
    }
    return (identities, used) => {
      for (let i = 0; i < identities.length; i++) {
        const identity = identities[i];
        if (used[i] === true || identity === undefined) continue;
        if (satisfiesPrincipal(identity, principal)) {
          used[i] = true;
          return true;
        }
      }
      return false;
    };
  }
  const policies = rule.rules.map((r) => compile(r, principals));
  return (identities, used) => {
    let verified = 0;
    for (const policy of policies) {
      const trial = [...used];
      if (policy(identities, trial)) {
        verified++;
        for (let i = 0; i < trial.length; i++) used[i] = trial[i] ?? false;
      }
    }
    return verified >= rule.n;
  };
}

/** A policy checked once and ready to evaluate many times. */
export interface CompiledPolicy {
  readonly policy: SignaturePolicy;
  /** Whether the (already validated, deduplicated) identities satisfy the policy. */
  evaluateIdentities(identities: readonly PolicyIdentity[]): boolean;
}

/**
 * Compiles a policy.
 * @throws PolicyError `POLICY_MALFORMED` if a rule points at a missing principal.
 */
export function compilePolicy(policy: SignaturePolicy): CompiledPolicy {
  const evaluator = compile(policy.rule, policy.identities);
  return {
    policy,
    evaluateIdentities: (identities) =>
      evaluator(
        identities,
        identities.map(() => false),
      ),
  };
}

/**
 * Whether the identities satisfy the policy (cauthdsl `EvaluateIdentities`).
 * @throws PolicyError `POLICY_MALFORMED` if the policy is malformed.
 */
export function evaluateIdentities(policy: SignaturePolicy, identities: readonly PolicyIdentity[]): boolean {
  return compilePolicy(policy).evaluateIdentities(identities);
}

/** One signature to check: `signature` by `identity` (a serialized SignaturePolicy identity) over `data`. */
export interface SignedData {
  readonly data: Uint8Array;
  /** `SerializedIdentity` bytes. */
  readonly identity: Uint8Array;
  /** DER ECDSA signature over SHA-256(data). */
  readonly signature: Uint8Array;
}

/** Why an entry of the signature set did not count. */
export interface DroppedSignature {
  readonly index: number;
  readonly reason: 'invalid-identity' | 'duplicate-identity' | 'bad-signature';
  readonly detail: string;
}

/** The outcome of {@link evaluateSignedData}. */
export interface SignedDataEvaluation {
  readonly satisfied: boolean;
  /** The distinct identities whose signatures verified, in input order. */
  readonly identities: readonly MspIdentity[];
  /** The entries that were ignored, with the reason. */
  readonly dropped: readonly DroppedSignature[];
}

/**
 * Fabric's `SignatureSetToValidIdentities`: deserialize, dedupe, verify.
 * Never throws for a bad entry; it is reported in `dropped`.
 */
export function signatureSetToValidIdentities(
  signedData: readonly SignedData[],
  deserializer: IdentityDeserializer,
): { readonly identities: readonly MspIdentity[]; readonly dropped: readonly DroppedSignature[] } {
  const seen = new Set<string>();
  const identities: MspIdentity[] = [];
  const dropped: DroppedSignature[] = [];
  signedData.forEach((sd, index) => {
    let identity: MspIdentity;
    try {
      identity = deserializer.deserialize(sd.identity);
    } catch (error) {
      dropped.push({
        index,
        reason: 'invalid-identity',
        detail: error instanceof Error ? error.message : String(error),
      });
      return;
    }
    const key = `${identity.mspId}\u0000${identity.id}`;
    if (seen.has(key)) {
      dropped.push({
        index,
        reason: 'duplicate-identity',
        detail: `De-duplicating identity [${identity.mspId}${identity.id}] at index ${index} in signature set`,
      });
      return;
    }
    if (!verify(identity.certPem, sd.data, sd.signature)) {
      dropped.push({ index, reason: 'bad-signature', detail: `signature for identity ${index} is invalid` });
      return;
    }
    seen.add(key);
    identities.push(identity);
  });
  return { identities, dropped };
}

/**
 * Evaluates a policy against a signature set, e.g. a transaction's endorsements with
 * `data = proposal_response_payload ‖ endorser`.
 * @throws PolicyError `POLICY_MALFORMED` if the policy is malformed.
 */
export function evaluateSignedData(
  policy: SignaturePolicy | CompiledPolicy,
  signedData: readonly SignedData[],
  deserializer: IdentityDeserializer,
): SignedDataEvaluation {
  const compiled = 'evaluateIdentities' in policy ? policy : compilePolicy(policy);
  const { identities, dropped } = signatureSetToValidIdentities(signedData, deserializer);
  return { satisfied: compiled.evaluateIdentities(identities), identities, dropped };
}
