/**
 * Validation of channel configuration updates against the current configuration
 * (common/configtx/validator.go `ProposeConfigUpdate`, `Validate`; update.go `authorizeUpdate`,
 * `verifyReadSet`, `computeDeltaSet`, `verifyDeltaSet`, `policyForItem`): every element of the read
 * set must be at the version the update names; the elements the write set changes (a version that
 * differs from the read set's) must be new at version 0 or at the current version + 1, and each
 * existing one's mod_policy must be satisfied by the update's signatures (each over
 * `signature_header ‖ config_update`, by the header's creator). The result is the current
 * configuration with the changed elements overlaid, at sequence + 1.
 *
 * Refusals carry Fabric's texts. Where Fabric walks a Go map (random order) and stops at the first
 * failure, the devnet walks the keys in sorted order, so which of several failures is reported can
 * differ from one Fabric run to the next but not from one devnet run to the next.
 */
import { common } from '@hyperledger/fabric-protos';
import type { IdentityDeserializer } from '@veriscan/fabric-kit';
import { concatBytes } from '../common/bytes';
import { DevnetError, inContext } from '../errors';
import {
  evaluateSignedDataAgainst,
  type ChannelPolicy,
  type ChannelPolicyManager,
  type SignedData,
} from '../policy';
import {
  configIdError,
  configMapToGroup,
  mapConfig,
  modPolicyOf,
  versionOf,
  type ConfigElement,
  type ConfigMap,
} from './config-map';

/** The root group's key in every configuration map. */
export const CHANNEL_ROOT = 'Channel';

/** What Go's proto.Unmarshal says about bytes that are not the message. */
const UNPARSABLE = 'proto: cannot parse invalid wire-format data';

const refused = (message: string): DevnetError => new DevnetError('CONFIG_REFUSED', message);

function decode<T>(bytes: Uint8Array, decoder: (bytes: Uint8Array) => T): T {
  try {
    return decoder(bytes);
  } catch (cause) {
    throw new DevnetError('CONFIG_REFUSED', UNPARSABLE, { cause });
  }
}

/** protoutil `EnvelopeToConfigUpdate`: the `ConfigUpdateEnvelope` of a `CONFIG_UPDATE` envelope. */
export function configUpdateEnvelopeOf(envelope: common.Envelope | undefined): common.ConfigUpdateEnvelope {
  const payload = decode(envelope?.getPayload_asU8() ?? new Uint8Array(), (b) =>
    common.Payload.deserializeBinary(b),
  );
  const header = payload.getHeader();
  if (header === undefined) throw refused('envelope must have a Header');
  const channelHeader = decode(header.getChannelHeader_asU8(), (b) =>
    common.ChannelHeader.deserializeBinary(b),
  );
  if (channelHeader.getType() !== common.HeaderType.CONFIG_UPDATE) {
    const names = Object.entries(common.HeaderType);
    const name = names.find(([, v]) => v === channelHeader.getType())?.[0] ?? String(channelHeader.getType());
    throw refused(`invalid type ${name}, expected CONFIG_UPDATE`);
  }
  try {
    return common.ConfigUpdateEnvelope.deserializeBinary(payload.getData_asU8());
  } catch (cause) {
    throw new DevnetError(
      'CONFIG_REFUSED',
      `error unmarshalling message for type CONFIG_UPDATE: ${UNPARSABLE}`,
      {
        cause,
      },
    );
  }
}

/** protoutil `ConfigUpdateEnvelopeAsSignedData`: one signed datum per signature of the update. */
export function configUpdateSignedData(envelope: common.ConfigUpdateEnvelope): SignedData[] {
  const update = envelope.getConfigUpdate_asU8();
  return envelope.getSignaturesList().map((signature) => {
    const header = signature.getSignatureHeader_asU8();
    const creator = decode(header, (b) => common.SignatureHeader.deserializeBinary(b)).getCreator_asU8();
    return { data: concatBytes(header, update), identity: creator, signature: signature.getSignature_asU8() };
  });
}

function sortedEntries(map: ConfigMap): [string, ConfigElement][] {
  return [...map.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** update.go `validateModPolicy`. */
function modPolicyError(modPolicy: string): string | undefined {
  if (modPolicy === '') return 'mod_policy not set';
  const trimmed = modPolicy.startsWith('/') ? modPolicy.slice(1) : modPolicy;
  const elements = trimmed.split('/');
  for (const [i, element] of elements.entries()) {
    const invalid = configIdError(element);
    if (invalid !== undefined) return `path element at ${i} is invalid: ${invalid}`;
  }
  return undefined;
}

/** What a {@link ConfigtxValidator} checks against. */
export interface ConfigtxValidatorOptions {
  readonly channelId: string;
  readonly config: common.Config;
  /** The current configuration's policies (the root manager, `Channel`). */
  readonly policies: ChannelPolicyManager;
  /** The current configuration's MSPs: whose signatures count. */
  readonly deserializer: IdentityDeserializer;
}

/** The configtx validator of one configuration (a new one for each sequence). */
export class ConfigtxValidator {
  readonly channelId: string;
  readonly sequence: number;
  readonly #map: ConfigMap;
  readonly #policies: ChannelPolicyManager;
  readonly #deserializer: IdentityDeserializer;

  /** @throws DevnetError `CONFIG_REFUSED` when the configuration has no channel group or an illegal key. */
  constructor(options: Readonly<ConfigtxValidatorOptions>) {
    const group = options.config.getChannelGroup();
    if (group === undefined) throw refused('nil channel group');
    this.#map = inContext('error converting config to map', () => mapConfig(group, CHANNEL_ROOT));
    this.channelId = options.channelId;
    this.sequence = options.config.getSequence();
    this.#policies = options.policies;
    this.#deserializer = options.deserializer;
  }

  /**
   * The configuration a `CONFIG_UPDATE` envelope would produce (validator.go `ProposeConfigUpdate`).
   * @throws DevnetError `CONFIG_REFUSED` with Fabric's text when the update is refused.
   */
  proposeConfigUpdate(envelope: common.Envelope): common.ConfigEnvelope {
    const update = inContext('error converting envelope to config update', () =>
      configUpdateEnvelopeOf(envelope),
    );
    const proposed = inContext('error authorizing update', () => this.#authorizeUpdate(update));
    const config = new common.Config();
    config.setSequence(this.sequence + 1);
    config.setChannelGroup(this.#toGroup(proposed));
    const result = new common.ConfigEnvelope();
    result.setConfig(config);
    result.setLastUpdate(envelope);
    return result;
  }

  /**
   * Checks that a config block's `ConfigEnvelope` is what its last update makes of the current
   * configuration (validator.go `Validate`, which a peer runs before applying a config block).
   * @throws DevnetError `CONFIG_REFUSED` with Fabric's text when it is not.
   */
  validate(envelope: common.ConfigEnvelope): void {
    const config = envelope.getConfig();
    if (config === undefined) throw refused('config envelope has nil config');
    if (config.getSequence() !== this.sequence + 1)
      throw refused(
        `config currently at sequence ${this.sequence}, cannot validate config at sequence ${config.getSequence()}`,
      );
    const proposed = this.#authorizeUpdate(configUpdateEnvelopeOf(envelope.getLastUpdate()));
    const expected = this.#toGroup(proposed).serializeBinary();
    // google-protobuf writes map entries in key order, so equal trees serialize to equal bytes.
    const actual = common.ConfigGroup.deserializeBinary(
      config.getChannelGroup()?.serializeBinary() ?? new Uint8Array(),
    ).serializeBinary();
    if (!Buffer.from(expected).equals(Buffer.from(actual)))
      throw refused('ConfigEnvelope LastUpdate did not produce the supplied config result');
  }

  #toGroup(proposed: ConfigMap): common.ConfigGroup {
    return inContext('could not turn configMap back to channelGroup', () =>
      configMapToGroup(proposed, CHANNEL_ROOT),
    );
  }

  /** update.go `authorizeUpdate`: the full proposed configuration as a map. */
  #authorizeUpdate(envelope: common.ConfigUpdateEnvelope): ConfigMap {
    const update = decode(envelope.getConfigUpdate_asU8(), (b) => common.ConfigUpdate.deserializeBinary(b));
    if (update.getChannelId() !== this.channelId)
      throw refused(
        `ConfigUpdate for channel '${update.getChannelId()}' but envelope for channel '${this.channelId}'`,
      );
    const readSet = inContext('error mapping ReadSet', () => mapConfig(update.getReadSet(), CHANNEL_ROOT));
    inContext('error validating ReadSet', () => {
      this.#verifyReadSet(readSet);
    });
    const writeSet = inContext('error mapping WriteSet', () => mapConfig(update.getWriteSet(), CHANNEL_ROOT));
    const deltaSet = computeDeltaSet(readSet, writeSet);
    const signedData = configUpdateSignedData(envelope);
    inContext('error validating DeltaSet', () => {
      this.#verifyDeltaSet(deltaSet, signedData);
    });
    const proposed = new Map([...this.#map, ...deltaSet]);
    for (const key of writeSet.keys())
      if (!proposed.has(key))
        throw refused(
          `full config did not verify: writeset contained key ${key} which did not appear in proposed config`,
        );
    return proposed;
  }

  #verifyReadSet(readSet: ConfigMap): void {
    for (const [key, element] of sortedEntries(readSet)) {
      const existing = this.#map.get(key);
      if (existing === undefined)
        throw refused(`existing config does not contain element for ${key} but was in the read set`);
      if (versionOf(existing) !== versionOf(element))
        throw refused(
          `proposed update requires that key ${key} be at version ${versionOf(element)}, but it is currently at version ${versionOf(existing)}`,
        );
    }
  }

  #verifyDeltaSet(deltaSet: ConfigMap, signedData: readonly SignedData[]): void {
    if (deltaSet.size === 0) throw refused('delta set was empty -- update would have no effect');
    for (const [key, element] of sortedEntries(deltaSet)) {
      const invalid = modPolicyError(modPolicyOf(element));
      if (invalid !== undefined) throw refused(`invalid mod_policy for element ${key}: ${invalid}`);
      const existing = this.#map.get(key);
      if (existing === undefined) {
        if (versionOf(element) !== 0)
          throw refused(
            `attempted to set key ${key} to version ${versionOf(element)}, but key does not exist`,
          );
        continue;
      }
      if (versionOf(element) !== versionOf(existing) + 1)
        throw refused(
          `attempt to set key ${key} to version ${versionOf(element)}, but key is at version ${versionOf(existing)}`,
        );
      const policy = this.#policyFor(existing);
      if (policy === undefined)
        throw refused(`unexpected missing policy ${modPolicyOf(existing)} for item ${key}`);
      const verdict = evaluateSignedDataAgainst(policy, signedData, this.#deserializer);
      if (!verdict.satisfied) throw refused(`policy for ${key} not satisfied: ${verdict.reason}`);
    }
  }

  /** update.go `policyForItem`: a relative mod_policy is looked up in the element's own group. */
  #policyFor(element: ConfigElement): ChannelPolicy | undefined {
    const modPolicy = modPolicyOf(element);
    let manager: ChannelPolicyManager | undefined = this.#policies;
    if (modPolicy.length > 0 && !modPolicy.startsWith('/') && element.path.length > 0) {
      manager = manager.manager(element.path.slice(1));
      // A group's own name is part of the path to its policies.
      if (manager !== undefined && element.kind === 'group') manager = manager.manager([element.key]);
    }
    if (manager === undefined) return undefined;
    const { policy, found } = manager.getPolicy(modPolicy);
    return found ? policy : undefined;
  }
}

/** update.go `computeDeltaSet`: the written elements whose version differs from the read set's. */
export function computeDeltaSet(readSet: ConfigMap, writeSet: ConfigMap): Map<string, ConfigElement> {
  const delta = new Map<string, ConfigElement>();
  for (const [key, element] of writeSet) {
    const read = readSet.get(key);
    if (read !== undefined && versionOf(read) === versionOf(element)) continue;
    delta.set(key, element);
  }
  return delta;
}
