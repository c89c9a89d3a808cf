/**
 * A configuration tree as a flat map from fully qualified path to element, and back
 * (common/configtx/configmap.go `mapConfig`, `configMapToConfig`; compare.go `comparable`): the form in
 * which configtx compares versions and overlays an update onto the current configuration. Keys read
 * `[Group]  /Channel/Application`, `[Value]  /Channel/Orderer/BatchSize`, `[Policy] /Channel/Admins`.
 */
import { common } from '@hyperledger/fabric-protos';
import { DevnetError } from '../errors';

const GROUP_PREFIX = '[Group]  ';
const VALUE_PREFIX = '[Value]  ';
const POLICY_PREFIX = '[Policy] ';
const SEPARATOR = '/';
const MAX_ID_LENGTH = 249;
const CONFIG_ID = /^[a-zA-Z0-9.-]+$/;

/** configmap.go's upgrade of v1.0 channels, applied whenever the orderer group has capabilities. */
const ORDERER_CAPABILITIES_KEY = `${VALUE_PREFIX}/Channel/Orderer/Capabilities`;
const UPGRADED_MOD_POLICY = 'Admins';

interface Located {
  /** The element's own name. */
  readonly key: string;
  /** The names of the groups above it, from the root. */
  readonly path: readonly string[];
}

/** One element of a configuration tree. */
export type ConfigElement = Located &
  (
    | { readonly kind: 'group'; readonly group: common.ConfigGroup }
    | { readonly kind: 'value'; readonly value: common.ConfigValue }
    | { readonly kind: 'policy'; readonly policy: common.ConfigPolicy }
  );

/** The tree by fully qualified path. */
export type ConfigMap = ReadonlyMap<string, ConfigElement>;

function entity(element: ConfigElement): common.ConfigGroup | common.ConfigValue | common.ConfigPolicy {
  switch (element.kind) {
    case 'group':
      return element.group;
    case 'value':
      return element.value;
    case 'policy':
      return element.policy;
  }
}

/** The element's version. */
export function versionOf(element: ConfigElement): number {
  return entity(element).getVersion();
}

/** The element's mod_policy. */
export function modPolicyOf(element: ConfigElement): string {
  return entity(element).getModPolicy();
}

/** configtx.go `validateConfigID`: ASCII letters, digits, dots and dashes; not `.` or `..`; 1–249 bytes. */
export function configIdError(id: string): string | undefined {
  if (id.length === 0) return 'config ID illegal, cannot be empty';
  if (Buffer.byteLength(id) > MAX_ID_LENGTH)
    return `config ID illegal, cannot be longer than ${MAX_ID_LENGTH}`;
  if (id === '.' || id === '..') return `name '${id}' for config ID is not allowed`;
  if (!CONFIG_ID.test(id)) return `config ID '${id}' contains illegal characters`;
  return undefined;
}

const PREFIX: Readonly<Record<ConfigElement['kind'], string>> = {
  group: GROUP_PREFIX,
  value: VALUE_PREFIX,
  policy: POLICY_PREFIX,
};

function add(result: Map<string, ConfigElement>, element: ConfigElement): void {
  const prefix = PREFIX[element.kind];
  const invalid = configIdError(element.key);
  if (invalid !== undefined)
    throw new DevnetError('CONFIG_REFUSED', `illegal characters in key: ${prefix}: ${invalid}`);
  result.set(`${prefix}${SEPARATOR}${[...element.path, element.key].join(SEPARATOR)}`, element);
}

function recurse(
  result: Map<string, ConfigElement>,
  path: readonly string[],
  group: common.ConfigGroup,
): void {
  const key = path[path.length - 1] ?? '';
  add(result, { kind: 'group', key, path: path.slice(0, -1), group });
  group.getGroupsMap().forEach((child: common.ConfigGroup, name: string) => {
    recurse(result, [...path, name], child);
  });
  group.getValuesMap().forEach((value: common.ConfigValue, name: string) => {
    add(result, { kind: 'value', key: name, path, value });
  });
  group.getPoliciesMap().forEach((policy: common.ConfigPolicy, name: string) => {
    add(result, { kind: 'policy', key: name, path, policy });
  });
}

/**
 * The tree under `group`, the root named `rootKey` (`Channel`); empty when there is no group.
 * @throws DevnetError `CONFIG_REFUSED` for a key configtx refuses.
 */
export function mapConfig(
  group: common.ConfigGroup | undefined,
  rootKey: string,
): Map<string, ConfigElement> {
  const result = new Map<string, ConfigElement>();
  if (group !== undefined) recurse(result, [rootKey], group);
  return result;
}

const clone = <T extends { serializeBinary(): Uint8Array }>(
  message: T,
  decode: (bytes: Uint8Array) => T,
): T => decode(message.serializeBinary());

function keysOf(map: { forEach(callback: (value: unknown, key: string) => void): void }): string[] {
  const keys: string[] = [];
  map.forEach((_, key) => keys.push(key));
  return keys;
}

function rebuild(path: string, map: ConfigMap, upgrade: boolean): common.ConfigGroup {
  const groupPath = `${GROUP_PREFIX}${path}`;
  const element = map.get(groupPath);
  if (element === undefined) throw new DevnetError('CONFIG_REFUSED', `missing group at path: ${groupPath}`);
  if (element.kind !== 'group')
    throw new DevnetError('CONFIG_REFUSED', `ConfigGroup not found at group path: ${groupPath}`);
  // The group as the map holds it (the update's, when the update changed it) names its members;
  // each member is then taken from the map, where the update's version overlays the current one.
  const group = clone(element.group, (b) => common.ConfigGroup.deserializeBinary(b));
  const groups = group.getGroupsMap();
  for (const name of keysOf(groups)) groups.set(name, rebuild(`${path}${SEPARATOR}${name}`, map, upgrade));
  const values = group.getValuesMap();
  for (const name of keysOf(values)) {
    const valuePath = `${VALUE_PREFIX}${path}${SEPARATOR}${name}`;
    const value = map.get(valuePath);
    if (value === undefined) throw new DevnetError('CONFIG_REFUSED', `missing value at path: ${valuePath}`);
    if (value.kind !== 'value')
      throw new DevnetError('CONFIG_REFUSED', `ConfigValue not found at value path: ${valuePath}`);
    values.set(
      name,
      clone(value.value, (b) => common.ConfigValue.deserializeBinary(b)),
    );
  }
  const policies = group.getPoliciesMap();
  for (const name of keysOf(policies)) {
    const policyPath = `${POLICY_PREFIX}${path}${SEPARATOR}${name}`;
    const policy = map.get(policyPath);
    if (policy === undefined)
      throw new DevnetError('CONFIG_REFUSED', `missing policy at path: ${policyPath}`);
    if (policy.kind !== 'policy')
      throw new DevnetError('CONFIG_REFUSED', `ConfigPolicy not found at policy path: ${policyPath}`);
    policies.set(
      name,
      clone(policy.policy, (b) => common.ConfigPolicy.deserializeBinary(b)),
    );
  }
  if (upgrade) {
    // Channels made by Fabric v1.0 could leave mod_policy unset, which no update could then change.
    if (group.getModPolicy() === '') group.setModPolicy(UPGRADED_MOD_POLICY);
    values.forEach((value: common.ConfigValue) => {
      if (value.getModPolicy() === '') value.setModPolicy(UPGRADED_MOD_POLICY);
    });
    policies.forEach((policy: common.ConfigPolicy) => {
      if (policy.getModPolicy() === '') policy.setModPolicy(UPGRADED_MOD_POLICY);
    });
  }
  return group;
}

/**
 * The tree a map describes, from its root `rootKey` (configmap.go `configMapToConfig`).
 * @throws DevnetError `CONFIG_REFUSED` when a member a group names is missing from the map.
 */
export function configMapToGroup(map: ConfigMap, rootKey: string): common.ConfigGroup {
  return rebuild(`${SEPARATOR}${rootKey}`, map, map.has(ORDERER_CAPABILITIES_KEY));
}
