/**
 * Decodes a config block into a plain tree with every opaque byte field that Fabric defines a message
 * for decoded too (config values by key, policies by type, MSP configs, consensus metadata, block
 * metadata), map entries sorted by key, and bytes as base64: two blocks with the same configuration
 * give deep-equal trees whatever protobuf library or map order wrote them. `differences` lists the
 * paths where two trees differ.
 */
import { common, msp, orderer, peer } from '@hyperledger/fabric-protos';

export type Tree = null | boolean | number | string | readonly Tree[] | { readonly [key: string]: Tree };

const base64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');

/** jspb's toObject output, with `…Map` pair lists turned into key-sorted objects. */
function normalise(value: unknown): Tree {
  if (value === null || value === undefined) return null;
  if (typeof value === 'boolean' || typeof value === 'number' || typeof value === 'string') return value;
  if (value instanceof Uint8Array) return base64(value);
  if (Array.isArray(value)) return value.map(normalise);
  if (typeof value === 'object') {
    const out: Record<string, Tree> = {};
    for (const [key, inner] of Object.entries(value)) {
      if (key.endsWith('Map') && Array.isArray(inner)) {
        const pairs: [string, Tree][] = inner.map((pair: unknown) => {
          if (!Array.isArray(pair) || typeof pair[0] !== 'string')
            throw new TypeError(`bad map entry in ${key}`);
          return [pair[0], normalise(pair[1])];
        });
        out[key] = Object.fromEntries(pairs.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
      } else {
        out[key] = normalise(inner);
      }
    }
    return out;
  }
  throw new TypeError(`cannot normalise ${typeof value}`);
}

function principal(p: msp.MSPPrincipal): Tree {
  const bytes = p.getPrincipal_asU8();
  const classification = p.getPrincipalClassification();
  const decoded =
    classification === msp.MSPPrincipal.Classification.ROLE
      ? normalise(msp.MSPRole.deserializeBinary(bytes).toObject())
      : classification === msp.MSPPrincipal.Classification.IDENTITY
        ? normalise(msp.SerializedIdentity.deserializeBinary(bytes).toObject())
        : base64(bytes);
  return { classification, principal: decoded };
}

function policy(p: common.Policy | undefined): Tree {
  if (p === undefined) return null;
  const bytes = p.getValue_asU8();
  switch (p.getType()) {
    case common.Policy.PolicyType.SIGNATURE: {
      const envelope = common.SignaturePolicyEnvelope.deserializeBinary(bytes);
      return {
        type: 'SIGNATURE',
        version: envelope.getVersion(),
        rule: normalise(envelope.getRule()?.toObject()),
        identities: envelope.getIdentitiesList().map(principal),
      };
    }
    case common.Policy.PolicyType.IMPLICIT_META:
      return {
        type: 'IMPLICIT_META',
        meta: normalise(common.ImplicitMetaPolicy.deserializeBinary(bytes).toObject()),
      };
    default:
      return { type: p.getType(), value: base64(bytes) };
  }
}

function mspConfig(bytes: Uint8Array): Tree {
  const config = msp.MSPConfig.deserializeBinary(bytes);
  return {
    type: config.getType(),
    config: normalise(msp.FabricMSPConfig.deserializeBinary(config.getConfig_asU8()).toObject()),
  };
}

function consensusType(bytes: Uint8Array): Tree {
  const value = orderer.ConsensusType.deserializeBinary(bytes);
  const metadata = value.getMetadata_asU8();
  const decoded =
    value.getType() === 'etcdraft'
      ? normalise(orderer.etcdraft.ConfigMetadata.deserializeBinary(metadata).toObject())
      : value.getType() === 'BFT'
        ? normalise(orderer.smartbft.Options.deserializeBinary(metadata).toObject())
        : base64(metadata);
  return { type: value.getType(), state: value.getState(), metadata: decoded };
}

/** Config value decoders by key (common/channelconfig). */
const VALUES: Readonly<Record<string, (bytes: Uint8Array) => Tree>> = {
  HashingAlgorithm: (b) => normalise(common.HashingAlgorithm.deserializeBinary(b).toObject()),
  BlockDataHashingStructure: (b) =>
    normalise(common.BlockDataHashingStructure.deserializeBinary(b).toObject()),
  OrdererAddresses: (b) => normalise(common.OrdererAddresses.deserializeBinary(b).toObject()),
  Endpoints: (b) => normalise(common.OrdererAddresses.deserializeBinary(b).toObject()),
  Consortium: (b) => normalise(common.Consortium.deserializeBinary(b).toObject()),
  Capabilities: (b) => normalise(common.Capabilities.deserializeBinary(b).toObject()),
  Orderers: (b) => normalise(common.Orderers.deserializeBinary(b).toObject()),
  BatchSize: (b) => normalise(orderer.BatchSize.deserializeBinary(b).toObject()),
  BatchTimeout: (b) => normalise(orderer.BatchTimeout.deserializeBinary(b).toObject()),
  ChannelRestrictions: (b) => normalise(orderer.ChannelRestrictions.deserializeBinary(b).toObject()),
  ConsensusType: consensusType,
  MSP: mspConfig,
  AnchorPeers: (b) => normalise(peer.AnchorPeers.deserializeBinary(b).toObject()),
  ACLs: (b) => normalise(peer.ACLs.deserializeBinary(b).toObject()),
};

function sortedEntries<T>(map: { forEach(callback: (value: T, key: string) => void): void }): [string, T][] {
  const entries: [string, T][] = [];
  map.forEach((value, key) => entries.push([key, value]));
  return entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** A config group with every value and policy decoded. */
export function groupTree(group: common.ConfigGroup): Tree {
  return {
    version: group.getVersion(),
    modPolicy: group.getModPolicy(),
    groups: Object.fromEntries(sortedEntries(group.getGroupsMap()).map(([k, g]) => [k, groupTree(g)])),
    values: Object.fromEntries(
      sortedEntries(group.getValuesMap()).map(([key, v]) => {
        const decode = VALUES[key];
        const bytes = v.getValue_asU8();
        return [
          key,
          {
            version: v.getVersion(),
            modPolicy: v.getModPolicy(),
            value: decode ? decode(bytes) : `unknown:${base64(bytes)}`,
          },
        ];
      }),
    ),
    policies: Object.fromEntries(
      sortedEntries(group.getPoliciesMap()).map(([key, p]) => [
        key,
        { version: p.getVersion(), modPolicy: p.getModPolicy(), policy: policy(p.getPolicy()) },
      ]),
    ),
  };
}

function metadataEntry(index: number, bytes: Uint8Array): Tree {
  if (index !== common.BlockMetadataIndex.SIGNATURES && index !== common.BlockMetadataIndex.LAST_CONFIG)
    return base64(bytes);
  const metadata = common.Metadata.deserializeBinary(bytes);
  const value = metadata.getValue_asU8();
  return {
    value:
      index === common.BlockMetadataIndex.SIGNATURES
        ? normalise(common.OrdererBlockMetadata.deserializeBinary(value).toObject())
        : normalise(common.LastConfig.deserializeBinary(value).toObject()),
    signatures: metadata.getSignaturesList().length,
  };
}

/** The whole config block, decoded. */
export function blockTree(bytes: Uint8Array): Tree {
  const block = common.Block.deserializeBinary(bytes);
  const header = block.getHeader();
  const envelopes = block.getData()?.getDataList_asU8() ?? [];
  return {
    header: {
      number: header?.getNumber() ?? null,
      previousHash: base64(header?.getPreviousHash_asU8() ?? new Uint8Array()),
      dataHash: base64(header?.getDataHash_asU8() ?? new Uint8Array()),
    },
    data: envelopes.map((envelopeBytes) => {
      const envelope = common.Envelope.deserializeBinary(envelopeBytes);
      const payload = common.Payload.deserializeBinary(envelope.getPayload_asU8());
      const configEnvelope = common.ConfigEnvelope.deserializeBinary(payload.getData_asU8());
      const config = configEnvelope.getConfig();
      const channelGroup = config?.getChannelGroup();
      return {
        signature: base64(envelope.getSignature_asU8()),
        channelHeader: normalise(
          common.ChannelHeader.deserializeBinary(
            payload.getHeader()?.getChannelHeader_asU8() ?? new Uint8Array(),
          ).toObject(),
        ),
        signatureHeader: normalise(
          common.SignatureHeader.deserializeBinary(
            payload.getHeader()?.getSignatureHeader_asU8() ?? new Uint8Array(),
          ).toObject(),
        ),
        config: {
          sequence: config?.getSequence() ?? null,
          channelGroup: channelGroup === undefined ? null : groupTree(channelGroup),
        },
        lastUpdate: configEnvelope.hasLastUpdate() ? 'present' : null,
      };
    }),
    metadata: (block.getMetadata()?.getMetadataList_asU8() ?? []).map((entry, i) => metadataEntry(i, entry)),
  };
}

/** Whether `value` is a list (Array.isArray does not narrow a readonly array). */
export function isList(value: Tree | undefined): value is readonly Tree[] {
  return Array.isArray(value);
}

/** Whether `value` is a record. */
export function isRecord(value: Tree | undefined): value is { readonly [key: string]: Tree } {
  return typeof value === 'object' && value !== null && !isList(value);
}

/** Paths (`a.b[2].c`) where `a` and `b` differ, with both values. */
export function differences(a: Tree, b: Tree, path = ''): string[] {
  if (isList(a) && isList(b)) {
    const out: string[] = [];
    if (a.length !== b.length) out.push(`${path}: ${a.length} entries ≠ ${b.length}`);
    for (let i = 0; i < Math.min(a.length, b.length); i++)
      out.push(...differences(a[i] ?? null, b[i] ?? null, `${path}[${i}]`));
    return out;
  }
  if (isRecord(a) && isRecord(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    return keys.flatMap((key) =>
      differences(a[key] ?? null, b[key] ?? null, path === '' ? key : `${path}.${key}`),
    );
  }
  if (a === b) return [];
  const show = (v: Tree): string => {
    const text = JSON.stringify(v);
    return text.length > 120 ? `${text.slice(0, 117)}...` : text;
  };
  return [`${path}: ${show(a)} ≠ ${show(b)}`];
}
