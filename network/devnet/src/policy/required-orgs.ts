/**
 * Which orgs' peers must endorse so that a policy is satisfied: the devnet gateway's stand-in for the
 * endorsement layouts Fabric's discovery service computes (discovery/endorsement, used by
 * internal/pkg/gateway `planFromLayouts`).
 *
 * The answer is checked with the real evaluator (greedy cauthdsl semantics, one identity per
 * principal), by trying org sets from the smallest up, so it never proposes a set that validation
 * would then reject.
 */
import { PolicyError } from './errors.js';
import { compilePolicy } from './evaluate.js';
import type { PolicyIdentity, SignaturePolicy } from './types.js';

/** Options of {@link requiredOrgs}. */
export interface RequiredOrgsOptions {
  /** Among equally small sets, prefer one containing this org (the gateway's own org). */
  readonly preferOrg?: string;
  /** How many peers each org can contribute; orgs not listed have 1. */
  readonly peersPerOrg?: Readonly<Record<string, number>>;
}

const MAX_CANDIDATE_ORGS = 16;

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

/**
 * A smallest set of MSP ids whose peers, all endorsing, satisfy the policy; in the order the orgs
 * first appear in the policy.
 * @throws PolicyError `POLICY_UNSATISFIABLE` if no set of peers can satisfy it (e.g. `AND('A.admin')`),
 *   or `POLICY_MALFORMED` if the policy is malformed.
 */
export function requiredOrgs(
  policy: SignaturePolicy,
  options: Readonly<RequiredOrgsOptions> = {},
): readonly string[] {
  const compiled = compilePolicy(policy);
  // Only principals a peer can satisfy bring an org into play.
  const candidates: string[] = [];
  for (const p of policy.identities) {
    if ((p.role === 'peer' || p.role === 'member') && !candidates.includes(p.mspId)) candidates.push(p.mspId);
  }
  if (candidates.length > MAX_CANDIDATE_ORGS) {
    throw new PolicyError('POLICY_UNSATISFIABLE', `policy names more than ${MAX_CANDIDATE_ORGS} orgs`);
  }
  const peersOf = (orgs: readonly string[]): PolicyIdentity[] =>
    orgs.flatMap((mspId) =>
      Array.from({ length: options.peersPerOrg?.[mspId] ?? 1 }, () => ({ mspId, role: 'peer' as const })),
    );
  for (let size = 0; size <= candidates.length; size++) {
    let fallback: string[] | undefined;
    for (const orgs of combinations(candidates, size)) {
      if (!compiled.evaluateIdentities(peersOf(orgs))) continue;
      if (options.preferOrg === undefined || orgs.includes(options.preferOrg)) return orgs;
      fallback ??= orgs;
    }
    if (fallback !== undefined) return fallback;
  }
  throw new PolicyError('POLICY_UNSATISFIABLE', 'no set of org peers satisfies the endorsement policy');
}
