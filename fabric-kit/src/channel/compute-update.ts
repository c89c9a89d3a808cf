/**
 * The configuration update that turns one channel configuration into another, as `configtxlator
 * compute_update` computes it (internal/configtxlator/update/update.go `Compute`): for every group
 * that changed, the read set names its version and every unchanged member (version only), and the
 * write set bumps its version and carries the changed and added members whole; removed members are
 * left out of the write set. Unchanged groups appear nowhere.
 */
import { common } from '@hyperledger/fabric-protos';
import { FabricKitError } from '../errors';

interface MapUpdate<T> {
  readonly readSet: Map<string, T>;
  readonly writeSet: Map<string, T>;
  readonly sameSet: Map<string, T>;
  /** Whether a member was added or removed (not merely changed). */
  readonly membersUpdated: boolean;
}

const bytesEqual = (a: Uint8Array, b: Uint8Array): boolean => Buffer.from(a).equals(Buffer.from(b));

/** How one kind of leaf member (policy or value) is compared and written. */
interface LeafKind<T> {
  same(before: T, after: T): boolean;
  /** The member at `version`: with `after`'s content and mod_policy, or version only. */
  make(version: number, after?: T): T;
}

const POLICY: LeafKind<common.ConfigPolicy> = {
  same: (before, after) =>
    before.getModPolicy() === after.getModPolicy() &&
    bytesEqual(
      before.getPolicy()?.serializeBinary() ?? new Uint8Array(),
      after.getPolicy()?.serializeBinary() ?? new Uint8Array(),
    ),
  make: (version, after) => {
    const policy = new common.ConfigPolicy();
    policy.setVersion(version);
    if (after !== undefined) {
      policy.setModPolicy(after.getModPolicy());
      policy.setPolicy(after.getPolicy());
    }
    return policy;
  },
};

const VALUE: LeafKind<common.ConfigValue> = {
  same: (before, after) =>
    before.getModPolicy() === after.getModPolicy() &&
    bytesEqual(before.getValue_asU8(), after.getValue_asU8()),
  make: (version, after) => {
    const value = new common.ConfigValue();
    value.setVersion(version);
    if (after !== undefined) {
      value.setModPolicy(after.getModPolicy());
      value.setValue(after.getValue_asU8());
    }
    return value;
  },
};

/** update.go `computePoliciesMapUpdate` / `computeValuesMapUpdate` (their read sets stay empty). */
function leavesUpdate<T extends { getVersion(): number }>(
  kind: LeafKind<T>,
  original: ReadonlyMap<string, T>,
  updated: ReadonlyMap<string, T>,
): MapUpdate<T> {
  const writeSet = new Map<string, T>();
  const sameSet = new Map<string, T>();
  let membersUpdated = false;
  for (const [name, before] of original) {
    const after = updated.get(name);
    if (after === undefined) membersUpdated = true;
    else if (kind.same(before, after)) sameSet.set(name, kind.make(before.getVersion()));
    else writeSet.set(name, kind.make(before.getVersion() + 1, after));
  }
  for (const [name, after] of updated) {
    if (original.has(name)) continue;
    membersUpdated = true;
    writeSet.set(name, kind.make(0, after));
  }
  return { readSet: new Map(), writeSet, sameSet, membersUpdated };
}

/** update.go `computeGroupsMapUpdate`. */
function groupsUpdate(
  original: ReadonlyMap<string, common.ConfigGroup>,
  updated: ReadonlyMap<string, common.ConfigGroup>,
): MapUpdate<common.ConfigGroup> {
  const readSet = new Map<string, common.ConfigGroup>();
  const writeSet = new Map<string, common.ConfigGroup>();
  const sameSet = new Map<string, common.ConfigGroup>();
  let membersUpdated = false;
  for (const [name, before] of original) {
    const after = updated.get(name);
    if (after === undefined) {
      membersUpdated = true;
      continue;
    }
    const group = groupUpdate(before, after);
    if (!group.updated) {
      sameSet.set(name, group.readSet);
      continue;
    }
    readSet.set(name, group.readSet);
    writeSet.set(name, group.writeSet);
  }
  for (const [name, after] of updated) {
    if (original.has(name)) continue;
    membersUpdated = true;
    // A new group is written whole, every member at version 0.
    const written = groupUpdate(new common.ConfigGroup(), after).writeSet;
    written.setVersion(0);
    written.setModPolicy(after.getModPolicy());
    writeSet.set(name, written);
  }
  return { readSet, writeSet, sameSet, membersUpdated };
}

function entries<T>(map: { forEach(callback: (value: T, key: string) => void): void }): Map<string, T> {
  const result = new Map<string, T>();
  map.forEach((value, key) => result.set(key, value));
  return result;
}

function fill<T>(target: { set(key: string, value: T): unknown }, source: ReadonlyMap<string, T>): void {
  for (const [key, value] of source) target.set(key, value);
}

function groupOf(
  version: number,
  members: Readonly<{
    policies: ReadonlyMap<string, common.ConfigPolicy>;
    values: ReadonlyMap<string, common.ConfigValue>;
    groups: ReadonlyMap<string, common.ConfigGroup>;
  }>,
  modPolicy = '',
): common.ConfigGroup {
  const group = new common.ConfigGroup();
  group.setVersion(version);
  group.setModPolicy(modPolicy);
  fill(group.getPoliciesMap(), members.policies);
  fill(group.getValuesMap(), members.values);
  fill(group.getGroupsMap(), members.groups);
  return group;
}

/** update.go `computeGroupUpdate`. */
function groupUpdate(
  original: common.ConfigGroup,
  updated: common.ConfigGroup,
): { readSet: common.ConfigGroup; writeSet: common.ConfigGroup; updated: boolean } {
  const policies = leavesUpdate(
    POLICY,
    entries(original.getPoliciesMap()),
    entries(updated.getPoliciesMap()),
  );
  const values = leavesUpdate(VALUE, entries(original.getValuesMap()), entries(updated.getValuesMap()));
  const groups = groupsUpdate(entries(original.getGroupsMap()), entries(updated.getGroupsMap()));
  const version = original.getVersion();
  const membership =
    policies.membersUpdated ||
    values.membersUpdated ||
    groups.membersUpdated ||
    original.getModPolicy() !== updated.getModPolicy();
  if (!membership) {
    const changed = [policies, values, groups].some((u) => u.readSet.size > 0 || u.writeSet.size > 0);
    const empty = { policies: new Map(), values: new Map(), groups: new Map() };
    if (!changed)
      return { readSet: groupOf(version, empty), writeSet: groupOf(version, empty), updated: false };
    // Only members changed: the group itself keeps its version, so its mod_policy is not needed.
    return {
      readSet: groupOf(version, {
        policies: policies.readSet,
        values: values.readSet,
        groups: groups.readSet,
      }),
      writeSet: groupOf(version, {
        policies: policies.writeSet,
        values: values.writeSet,
        groups: groups.writeSet,
      }),
      updated: true,
    };
  }
  // The membership changed: the group's version is bumped, and its unchanged members are named in
  // both sets so the new group keeps them.
  const read = {
    policies: new Map([...policies.readSet, ...policies.sameSet]),
    values: new Map([...values.readSet, ...values.sameSet]),
    groups: new Map([...groups.readSet, ...groups.sameSet]),
  };
  const write = {
    policies: new Map([...policies.writeSet, ...policies.sameSet]),
    values: new Map([...values.writeSet, ...values.sameSet]),
    groups: new Map([...groups.writeSet, ...groups.sameSet]),
  };
  return {
    readSet: groupOf(version, read),
    writeSet: groupOf(version + 1, write, updated.getModPolicy()),
    updated: true,
  };
}

/**
 * The `ConfigUpdate` for channel `channelId` from `original` to `updated` (configtxlator
 * `compute_update --channel_id`).
 * @throws FabricKitError `MALFORMED_CONFIG` when a configuration has no channel group or the two do not differ.
 */
export function computeConfigUpdate(
  channelId: string,
  original: common.Config,
  updated: common.Config,
): common.ConfigUpdate {
  const before = original.getChannelGroup();
  const after = updated.getChannelGroup();
  if (before === undefined)
    throw new FabricKitError('MALFORMED_CONFIG', 'no channel group included for original config');
  if (after === undefined)
    throw new FabricKitError('MALFORMED_CONFIG', 'no channel group included for updated config');
  const { readSet, writeSet, updated: changed } = groupUpdate(before, after);
  if (!changed)
    throw new FabricKitError(
      'MALFORMED_CONFIG',
      'no differences detected between original and updated config',
    );
  const update = new common.ConfigUpdate();
  update.setChannelId(channelId);
  update.setReadSet(readSet);
  update.setWriteSet(writeSet);
  return update;
}
