/**
 * The policies of a channel configuration (common/policies/policy.go `ManagerImpl`,
 * common/policies/implicitmeta.go, common/cauthdsl/policy.go): one manager per config group, holding
 * the group's own policies and, under `<sub-group>/<name>`, those of every group below it. A
 * Signature policy is evaluated by the cauthdsl evaluator over the valid, deduplicated identities of
 * the signature set; an ImplicitMeta policy over the same-named policy of each sub-group, a missing
 * one counting as a sub-policy that is never satisfied, with Fabric's thresholds (ANY 1, ALL n,
 * MAJORITY ⌊n/2⌋ + 1, and 0 when there are no sub-groups). Refusals carry Fabric's texts.
 *
 * The valid identities of a signature set are computed once per evaluation and shared by every
 * sub-policy (Fabric recomputes them for each): the outcome is the same, the signatures are verified
 * once.
 */
import { common } from '@hyperledger/fabric-protos';
import type { IdentityDeserializer, MspIdentity } from '@veriscan/fabric-kit';
import { decodeSignaturePolicy } from './envelope.js';
import { PolicyError } from './errors.js';
import { compilePolicy, signatureSetToValidIdentities, type SignedData } from './evaluate.js';

/** Whether a policy is satisfied; when not, Fabric's error text. */
export type PolicyVerdict =
  { readonly satisfied: true } | { readonly satisfied: false; readonly reason: string };

const SATISFIED: PolicyVerdict = { satisfied: true };
const refused = (reason: string): PolicyVerdict => ({ satisfied: false, reason });

/** A policy of the channel configuration. */
export interface ChannelPolicy {
  /** Evaluates the identities that signed (already validated and deduplicated). */
  evaluateIdentities(identities: readonly MspIdentity[]): PolicyVerdict;
}

/** Fabric's `rejectPolicy`: what a lookup of a missing policy returns. */
function rejectPolicy(name: string): ChannelPolicy {
  return { evaluateIdentities: () => refused(`no such policy: '${name}'`) };
}

const PATH_SEPARATOR = '/';

/** The evaluation of a signature set against a policy (common/policies `Policy.EvaluateSignedData`). */
export function evaluateSignedDataAgainst(
  policy: ChannelPolicy,
  signedData: readonly SignedData[],
  deserializer: IdentityDeserializer,
): PolicyVerdict {
  return policy.evaluateIdentities(signatureSetToValidIdentities(signedData, deserializer).identities);
}

function signaturePolicy(bytes: Uint8Array): ChannelPolicy {
  const compiled = compilePolicy(decodeSignaturePolicy(bytes));
  return {
    evaluateIdentities: (identities) =>
      compiled.evaluateIdentities(identities) ? SATISFIED : refused('signature set did not satisfy policy'),
  };
}

function implicitMetaPolicy(
  bytes: Uint8Array,
  managers: ReadonlyMap<string, ChannelPolicyManager>,
): ChannelPolicy {
  let definition: common.ImplicitMetaPolicy;
  try {
    definition = common.ImplicitMetaPolicy.deserializeBinary(bytes);
  } catch (cause) {
    throw new PolicyError('POLICY_MALFORMED', `Error unmarshalling to ImplicitMetaPolicy: ${String(cause)}`, {
      cause,
    });
  }
  const name = definition.getSubPolicy();
  const subPolicies = [...managers.values()].map((m) => m.getPolicy(name).policy);
  const n = subPolicies.length;
  const thresholds: Readonly<Record<number, number>> = {
    [common.ImplicitMetaPolicy.Rule.ANY]: 1,
    [common.ImplicitMetaPolicy.Rule.ALL]: n,
    [common.ImplicitMetaPolicy.Rule.MAJORITY]: Math.floor(n / 2) + 1,
  };
  // With no sub-policies, 0 is both a majority and any; an unknown rule also leaves 0.
  const threshold = n === 0 ? 0 : (thresholds[definition.getRule()] ?? 0);
  return {
    evaluateIdentities: (identities) => {
      // implicitmeta.go's loop, kept as it is: it stops as soon as the count reaches zero.
      let remaining = threshold;
      for (const policy of subPolicies) {
        if (policy.evaluateIdentities(identities).satisfied) {
          remaining--;
          if (remaining === 0) return SATISFIED;
        }
      }
      if (remaining === 0) return SATISFIED;
      return refused(
        `implicit policy evaluation failed - ${threshold - remaining} sub-policies were satisfied, but this policy requires ${threshold} of the '${name}' sub-policies to be satisfied`,
      );
    },
  };
}

/** The policies of one group of the channel configuration and of the groups below it. */
export class ChannelPolicyManager {
  /** The group's path, e.g. `Channel/Application`. */
  readonly path: string;
  readonly #policies: ReadonlyMap<string, ChannelPolicy>;
  readonly #managers: ReadonlyMap<string, ChannelPolicyManager>;

  private constructor(
    path: string,
    policies: ReadonlyMap<string, ChannelPolicy>,
    managers: ReadonlyMap<string, ChannelPolicyManager>,
  ) {
    this.path = path;
    this.#policies = policies;
    this.#managers = managers;
  }

  /**
   * The manager of `group`, found at `path` (`Channel` for the channel group), as
   * `policies.NewManagerImpl` builds it.
   * @throws PolicyError `POLICY_MALFORMED` with Fabric's text when a policy does not compile.
   */
  static fromGroup(path: string, group: common.ConfigGroup): ChannelPolicyManager {
    const managers = new Map<string, ChannelPolicyManager>();
    group.getGroupsMap().forEach((child: common.ConfigGroup, name: string) => {
      managers.set(name, ChannelPolicyManager.fromGroup(`${path}${PATH_SEPARATOR}${name}`, child));
    });
    const policies = new Map<string, ChannelPolicy>();
    group.getPoliciesMap().forEach((configPolicy: common.ConfigPolicy, name: string) => {
      const policy = configPolicy.getPolicy();
      if (policy === undefined)
        throw new PolicyError('POLICY_MALFORMED', `policy ${name} at path ${path} was nil`);
      const where = `policy ${name} at path ${path}`;
      const type = policy.getType();
      const implicit = type === common.Policy.PolicyType.IMPLICIT_META;
      if (!implicit && type !== common.Policy.PolicyType.SIGNATURE)
        throw new PolicyError('POLICY_MALFORMED', `${where} has unknown policy type: ${type.toString()}`);
      try {
        policies.set(
          name,
          implicit
            ? implicitMetaPolicy(policy.getValue_asU8(), managers)
            : signaturePolicy(policy.getValue_asU8()),
        );
      } catch (error) {
        throw new PolicyError(
          'POLICY_MALFORMED',
          `${implicit ? 'implicit ' : ''}${where} did not compile: ${error instanceof Error ? error.message : String(error)}`,
          { cause: error },
        );
      }
    });
    for (const [groupName, manager] of managers)
      for (const [name, policy] of manager.#policies)
        policies.set(`${groupName}${PATH_SEPARATOR}${name}`, policy);
    return new ChannelPolicyManager(path, policies, managers);
  }

  /**
   * The policy `id`, relative to this group (`Admins`, `Application/Admins`) or absolute
   * (`/Channel/Application/Admins`); `found` is false, and the policy refuses everything, when there
   * is none.
   */
  getPolicy(id: string): { readonly policy: ChannelPolicy; readonly found: boolean } {
    if (id === '') return { policy: rejectPolicy(id), found: false };
    let relative = id;
    if (id.startsWith(PATH_SEPARATOR)) {
      if (!id.startsWith(`${PATH_SEPARATOR}${this.path}`)) return { policy: rejectPolicy(id), found: false };
      relative = id.slice(1 + this.path.length + 1);
    }
    const policy = this.#policies.get(relative);
    return policy === undefined ? { policy: rejectPolicy(relative), found: false } : { policy, found: true };
  }

  /** The manager of the group at `path` below this one, if there is one. */
  manager(path: readonly string[]): ChannelPolicyManager | undefined {
    const [head, ...rest] = path;
    if (head === undefined) return this;
    return this.#managers.get(head)?.manager(rest);
  }
}
