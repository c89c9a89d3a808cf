/**
 * Which orgs' peers must endorse so that a policy is satisfied: the devnet gateway's stand-in for the
 * endorsement layouts Fabric's discovery service computes (discovery/endorsement,
 * common/policies/inquire) and for the choice the gateway makes among them
 * (internal/pkg/gateway/registry.go `endorsementPlan`: layouts holding the first endorser's org first).
 *
 * A layout here is a minimal set of orgs whose peers, all endorsing, satisfy the policy: every
 * candidate set is checked with the real evaluator (greedy cauthdsl semantics, one identity per
 * principal), so the planner never proposes a set that validation would then reject. A rule that can
 * never be met, such as `OutOf(2, 'M.peer')` (t = n + 1), adds nothing to any set, so its org is never
 * in a layout — as in discovery, where such a gate yields no principal set.
 */
import { PolicyError } from './errors.js';
import { compilePolicy, evaluateIdentities } from './evaluate.js';
import type { PolicyIdentity, SignaturePolicy, SignaturePolicyRule } from './types.js';

/** Options of {@link requiredOrgs} and {@link endorsementLayouts}. */
export interface RequiredOrgsOptions {
  /**
   * The org whose peer endorses first (the gateway's own): layouts containing it are preferred over
   * smaller ones without it, as Fabric's gateway prefers them.
   */
  readonly preferOrg?: string;
  /** How many peers each org can contribute; orgs not listed have 1. */
  readonly peersPerOrg?: Readonly<Record<string, number>>;
}

const MAX_CANDIDATE_ORGS = 16;

/** Discovery's texts (discovery/endorsement/endorsement.go) for a policy no layout satisfies. */
const NEVER_SATISFIED = 'endorsement policy cannot be satisfied';
const NO_PEER_COMBINATION = 'no peer combination can satisfy the endorsement policy';

function* combinations<T>(items: readonly T[], size: number, start = 0): Generator<T[]> {
  if (size === 0) {
    yield [];
    return;
  }
  for (let i = start; i <= items.length - size; i++) {
    const head = items[i];
    if (head === undefined) continue;
    for (const rest of combinations(items, size - 1, i + 1)) yield [head, ...rest];
  }
}

/** MSP ids a peer can stand for (`peer` and `member` principals), in the order the policy text names them. */
function candidateOrgs(policy: SignaturePolicy): string[] {
  const out: string[] = [];
  const walk = (rule: SignaturePolicyRule): void => {
    if (rule.kind === 'n-out-of') {
      rule.rules.forEach(walk);
      return;
    }
    const p = policy.identities[rule.index];
    if (p !== undefined && (p.role === 'peer' || p.role === 'member') && !out.includes(p.mspId))
      out.push(p.mspId);
  };
  walk(policy.rule);
  return out;
}

/** Whether any identities at all, one per principal, satisfy the policy (discovery finds a principal set). */
function satisfiableByAnyone(policy: SignaturePolicy): boolean {
  const identities = policy.identities.map((p): PolicyIdentity => ({
    mspId: p.mspId,
    role: p.role === 'member' ? 'peer' : p.role,
  }));
  return evaluateIdentities(policy, identities);
}

/**
 * Enumerates the layouts from the fewest orgs up, in the order the policy names the orgs; stops as
 * soon as `stop` says so.
 */
function enumerateLayouts(
  policy: SignaturePolicy,
  options: Readonly<RequiredOrgsOptions>,
  stop: (layout: readonly string[]) => boolean,
): string[][] {
  const compiled = compilePolicy(policy);
  const candidates = candidateOrgs(policy);
  if (candidates.length > MAX_CANDIDATE_ORGS) {
    throw new PolicyError('POLICY_UNSATISFIABLE', `policy names more than ${MAX_CANDIDATE_ORGS} orgs`);
  }
  const peersOf = (orgs: readonly string[]): PolicyIdentity[] =>
    orgs.flatMap((mspId) =>
      Array.from({ length: options.peersPerOrg?.[mspId] ?? 1 }, () => ({ mspId, role: 'peer' as const })),
    );
  const layouts: string[][] = [];
  for (let size = 0; size <= candidates.length; size++) {
    for (const orgs of combinations(candidates, size)) {
      // Minimal: no smaller layout inside it (any satisfying set contains a smallest satisfying one).
      if (layouts.some((l) => l.every((org) => orgs.includes(org)))) continue;
      if (!compiled.evaluateIdentities(peersOf(orgs))) continue;
      layouts.push(orgs);
      if (stop(orgs)) return layouts;
    }
  }
  if (layouts.length === 0) {
    throw new PolicyError(
      'POLICY_UNSATISFIABLE',
      satisfiableByAnyone(policy) ? NO_PEER_COMBINATION : NEVER_SATISFIED,
    );
  }
  return layouts;
}

/**
 * Every layout of the policy: the minimal sets of MSP ids whose peers, all endorsing, satisfy it;
 * fewest orgs first, then in the order the policy names the orgs.
 * @throws PolicyError `POLICY_UNSATISFIABLE` (with discovery's text) if no set of peers satisfies it,
 *   or `POLICY_MALFORMED` if the policy is malformed.
 */
export function endorsementLayouts(
  policy: SignaturePolicy,
  options: Readonly<RequiredOrgsOptions> = {},
): readonly (readonly string[])[] {
  return enumerateLayouts(policy, options, () => false);
}

/**
 * The layout the gateway endorses with: the smallest one containing `preferOrg`, else the smallest
 * one (Fabric's gateway shuffles the layouts it prefers; the devnet takes the first, so that a run
 * can be repeated). Orgs in the order the policy names them.
 * @throws PolicyError `POLICY_UNSATISFIABLE` (with discovery's text) if no set of peers satisfies it,
 *   or `POLICY_MALFORMED` if the policy is malformed.
 */
export function requiredOrgs(
  policy: SignaturePolicy,
  options: Readonly<RequiredOrgsOptions> = {},
): readonly string[] {
  const { preferOrg } = options;
  const preferable = preferOrg !== undefined && candidateOrgs(policy).includes(preferOrg);
  const layouts = enumerateLayouts(policy, options, (layout) =>
    preferable ? layout.includes(preferOrg) : true,
  );
  const chosen = (preferable ? layouts.find((l) => l.includes(preferOrg)) : undefined) ?? layouts[0];
  // enumerateLayouts throws rather than return no layout.
  if (chosen === undefined) throw new PolicyError('POLICY_UNSATISFIABLE', NEVER_SATISFIED);
  return chosen;
}
