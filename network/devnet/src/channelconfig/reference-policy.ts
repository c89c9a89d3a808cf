/**
 * A chaincode endorsement policy given as a channel configuration reference (`--channel-config-policy
 * /Channel/Application/VeriscanEndorsement`), resolved against the configuration in force into the
 * signature policy Fabric converts it to (common/policies/convert.go: an ImplicitMeta policy becomes
 * `OutOf(threshold, <each sub-group's policy>)`), so the gateway plans and the validator evaluates it
 * as Fabric's discovery and validation do. An org added by a configuration update is counted at once.
 */
import { common } from '@hyperledger/fabric-protos';
import { DevnetError } from '../errors';
import { decodeSignaturePolicy, formatSignaturePolicy } from '../policy';

/** True when `source` names a channel configuration policy rather than being a signature policy. */
export function isPolicyReference(source: string): boolean {
  return source.startsWith('/Channel/');
}

/** implicitmeta.go's thresholds: ANY 1, ALL n, MAJORITY ⌊n/2⌋ + 1 (an unknown rule leaves 0). */
function threshold(rule: number, n: number): number {
  const thresholds: Readonly<Record<number, number>> = {
    [common.ImplicitMetaPolicy.Rule.ANY]: 1,
    [common.ImplicitMetaPolicy.Rule.ALL]: n,
    [common.ImplicitMetaPolicy.Rule.MAJORITY]: Math.floor(n / 2) + 1,
  };
  return thresholds[rule] ?? 0;
}

function convert(group: common.ConfigGroup, name: string, path: string): string {
  const policy = group.getPoliciesMap().get(name)?.getPolicy();
  if (policy === undefined)
    throw new DevnetError('UNKNOWN_POLICY', `policy ${path} is not defined in the channel configuration`);
  if (policy.getType() === common.Policy.PolicyType.SIGNATURE)
    return formatSignaturePolicy(decodeSignaturePolicy(policy.getValue_asU8()));
  if (policy.getType() !== common.Policy.PolicyType.IMPLICIT_META)
    throw new DevnetError('UNKNOWN_POLICY', `policy ${path} is not convertible to SignaturePolicyEnvelope`);
  const meta = common.ImplicitMetaPolicy.deserializeBinary(policy.getValue_asU8());
  const sub = meta.getSubPolicy();
  // Sorted by group name so every peer resolves the same text; the order does not change the outcome.
  const groups = [...group.getGroupsMap().entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const rules = groups.map(([key, child]) =>
    convert(child, sub, `${path.slice(0, path.lastIndexOf('/'))}/${key}/${sub}`),
  );
  if (rules.length === 0)
    throw new DevnetError('UNKNOWN_POLICY', `policy ${path} has no sub-policies to convert`);
  return `OutOf(${threshold(meta.getRule(), rules.length)},${rules.join(',')})`;
}

/**
 * The signature policy (DSL) that `reference` converts to under `config`.
 * @throws DevnetError `UNKNOWN_POLICY` when the path names no convertible policy.
 */
export function resolvePolicyReference(config: common.Config, reference: string): string {
  const parts = reference.split('/').filter((p) => p !== '');
  const [root, ...rest] = parts;
  const name = rest.pop();
  let group = config.getChannelGroup();
  if (root !== 'Channel' || name === undefined || group === undefined)
    throw new DevnetError('UNKNOWN_POLICY', `policy ${reference} is not a channel configuration policy path`);
  for (const key of rest) {
    group = group.getGroupsMap().get(key);
    if (group === undefined)
      throw new DevnetError(
        'UNKNOWN_POLICY',
        `policy ${reference} is not defined in the channel configuration`,
      );
  }
  return convert(group, name, reference);
}
