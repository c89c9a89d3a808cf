/**
 * The channel configuration tree (`common.ConfigGroup` of the `Channel` group) for a channel
 * description, built as internal/configtxgen/encoder/encoder.go `NewChannelGroup` builds it from a
 * configtx.yaml profile: the same groups, value keys (common/channelconfig), policies and mod
 * policies, every version 0. Certificates are read through the given {@link MaterialReader}.
 */
import { common, msp, orderer, peer } from '@hyperledger/fabric-protos';
import { FabricKitError } from '../errors';
import type {
  ApplicationDescription,
  ApplicationOrgDescription,
  ChannelDescription,
  ConsensusDescription,
  OrdererDescription,
  OrdererOrgDescription,
  OrgDescription,
  PolicyDescription,
  PolicyMap,
} from './description.js';
import { goDurationString } from './go-duration.js';
import type { MaterialReader } from './material.js';
import { verifyingMspConfig } from './msp-config.js';
import { signaturePolicyEnvelope } from './policy-dsl.js';

/** Group keys (common/channelconfig). */
export const ORDERER_GROUP = 'Orderer';
export const APPLICATION_GROUP = 'Application';

/** The policies every group must define (encoder.go `AddPolicies`), and the orderer's extra one. */
const REQUIRED_POLICIES = ['Admins', 'Readers', 'Writers'] as const;
const BLOCK_VALIDATION = 'BlockValidation';

type Serializable = { serializeBinary(): Uint8Array };

function newGroup(modPolicy: string): common.ConfigGroup {
  const group = new common.ConfigGroup();
  group.setModPolicy(modPolicy);
  return group;
}

function addValue(group: common.ConfigGroup, key: string, value: Serializable, modPolicy: string): void {
  const entry = new common.ConfigValue();
  entry.setValue(value.serializeBinary());
  entry.setModPolicy(modPolicy);
  group.getValuesMap().set(key, entry);
}

function policyOf(description: PolicyDescription): common.Policy {
  const policy = new common.Policy();
  if (description.type === 'Signature') {
    policy.setType(common.Policy.PolicyType.SIGNATURE);
    policy.setValue(signaturePolicyEnvelope(description.rule).serializeBinary());
  } else {
    const meta = new common.ImplicitMetaPolicy();
    meta.setSubPolicy(description.subPolicy);
    meta.setRule(common.ImplicitMetaPolicy.Rule[description.rule]);
    policy.setType(common.Policy.PolicyType.IMPLICIT_META);
    policy.setValue(meta.serializeBinary());
  }
  return policy;
}

function setPolicy(group: common.ConfigGroup, key: string, policy: common.Policy, modPolicy: string): void {
  const entry = new common.ConfigPolicy();
  entry.setPolicy(policy);
  entry.setModPolicy(modPolicy);
  group.getPoliciesMap().set(key, entry);
}

/** encoder.go `AddPolicies`: Admins, Readers and Writers are required. */
function addPolicies(group: common.ConfigGroup, policies: PolicyMap, modPolicy: string, where: string): void {
  for (const key of REQUIRED_POLICIES) {
    if (policies[key] === undefined)
      throw new FabricKitError('MALFORMED_CONFIG', `${where}: no ${key} policy defined`);
  }
  for (const [key, policy] of Object.entries(policies)) setPolicy(group, key, policyOf(policy), modPolicy);
}

function capabilitiesValue(names: readonly string[]): common.Capabilities {
  const value = new common.Capabilities();
  for (const name of names) value.getCapabilitiesMap().set(name, new common.Capability());
  return value;
}

function addresses(list: readonly string[]): common.OrdererAddresses {
  const value = new common.OrdererAddresses();
  value.setAddressesList([...list]);
  return value;
}

function certificate(reader: MaterialReader, path: string, what: string): Uint8Array {
  const bytes = reader.readFile(path);
  if (bytes === undefined)
    throw new FabricKitError('MALFORMED_CONFIG', `cannot load ${what}: no file ${path}`);
  return bytes;
}

/** The `MSP` value and policies every org group holds (encoder.go `New*OrgGroup`). */
function orgGroup(reader: MaterialReader, org: OrgDescription): common.ConfigGroup {
  const group = newGroup(org.modPolicy);
  addPolicies(group, org.policies, org.modPolicy, `org ${org.name}`);
  addValue(group, 'MSP', verifyingMspConfig(reader, org.mspDir, org.mspId), org.modPolicy);
  return group;
}

/**
 * An application org's group (encoder.go `NewApplicationOrgGroup`): its policies, its `MSP` value read
 * from its MSP folder and its anchor peers. What block 0 holds for each org, and what a configuration
 * update writes under `Application` for an org that joins later.
 * @throws FabricKitError `MALFORMED_CONFIG` or MspError `MSP_CONFIG` as {@link encodeChannelGroup}.
 */
export function encodeApplicationOrgGroup(
  org: ApplicationOrgDescription,
  reader: MaterialReader,
): common.ConfigGroup {
  return applicationOrgGroup(reader, org);
}

function applicationOrgGroup(reader: MaterialReader, org: ApplicationOrgDescription): common.ConfigGroup {
  const group = orgGroup(reader, org);
  // configtxgen leaves the value out when there are no anchor peers.
  if (org.anchorPeers.length > 0) {
    const value = new peer.AnchorPeers();
    value.setAnchorPeersList(
      org.anchorPeers.map((endpoint) => {
        const anchor = new peer.AnchorPeer();
        anchor.setHost(endpoint.host);
        anchor.setPort(endpoint.port);
        return anchor;
      }),
    );
    addValue(group, 'AnchorPeers', value, org.modPolicy);
  }
  return group;
}

function ordererOrgGroup(
  reader: MaterialReader,
  org: OrdererOrgDescription,
  channelCapabilities: readonly string[],
): common.ConfigGroup {
  const group = orgGroup(reader, org);
  if (org.endpoints.length > 0) addValue(group, 'Endpoints', addresses(org.endpoints), org.modPolicy);
  else if (channelCapabilities.includes('V3_0'))
    throw new FabricKitError(
      'MALFORMED_CONFIG',
      `orderer endpoints for organization ${org.name} are missing and must be configured when capability V3_0 is enabled`,
    );
  return group;
}

function raftMetadata(
  reader: MaterialReader,
  consensus: Extract<ConsensusDescription, { type: 'etcdraft' }>,
): Uint8Array {
  const metadata = new orderer.etcdraft.ConfigMetadata();
  metadata.setConsentersList(
    consensus.consenters.map((c) => {
      const consenter = new orderer.etcdraft.Consenter();
      consenter.setHost(c.host);
      consenter.setPort(c.port);
      const at = `consenter ${c.host}:${c.port}`;
      consenter.setClientTlsCert(certificate(reader, c.clientTlsCertFile, `client cert for ${at}`));
      consenter.setServerTlsCert(certificate(reader, c.serverTlsCertFile, `server cert for ${at}`));
      return consenter;
    }),
  );
  const options = new orderer.etcdraft.Options();
  options.setTickInterval(consensus.options.tickInterval);
  options.setElectionTick(consensus.options.electionTick);
  options.setHeartbeatTick(consensus.options.heartbeatTick);
  options.setMaxInflightBlocks(consensus.options.maxInflightBlocks);
  options.setSnapshotIntervalSize(consensus.options.snapshotIntervalSize);
  metadata.setOptions(options);
  return metadata.serializeBinary();
}

function smartBftOptions(consensus: Extract<ConsensusDescription, { type: 'BFT' }>): Uint8Array {
  const o = consensus.options;
  const options = new orderer.smartbft.Options();
  options.setRequestBatchMaxCount(o.requestBatchMaxCount);
  options.setRequestBatchMaxBytes(o.requestBatchMaxBytes);
  options.setRequestBatchMaxInterval(o.requestBatchMaxInterval);
  options.setIncomingMessageBufferSize(o.incomingMessageBufferSize);
  options.setRequestPoolSize(o.requestPoolSize);
  options.setRequestForwardTimeout(o.requestForwardTimeout);
  options.setRequestComplainTimeout(o.requestComplainTimeout);
  options.setRequestAutoRemoveTimeout(o.requestAutoRemoveTimeout);
  options.setViewChangeResendInterval(o.viewChangeResendInterval);
  options.setViewChangeTimeout(o.viewChangeTimeout);
  options.setLeaderHeartbeatTimeout(o.leaderHeartbeatTimeout);
  options.setLeaderHeartbeatCount(o.leaderHeartbeatCount);
  options.setCollectTimeout(o.collectTimeout);
  options.setSyncOnStart(o.syncOnStart);
  options.setSpeedUpViewChange(o.speedUpViewChange);
  return options.serializeBinary();
}

function bftConsenters(
  reader: MaterialReader,
  consensus: Extract<ConsensusDescription, { type: 'BFT' }>,
): common.Consenter[] {
  return consensus.consenters.map((c) => {
    const consenter = new common.Consenter();
    const at = `consenter ${c.host}:${c.port}`;
    consenter.setId(c.id);
    consenter.setHost(c.host);
    consenter.setPort(c.port);
    consenter.setMspId(c.mspId);
    consenter.setIdentity(certificate(reader, c.identityFile, `identity for ${at}`));
    consenter.setClientTlsCert(certificate(reader, c.clientTlsCertFile, `client cert for ${at}`));
    consenter.setServerTlsCert(certificate(reader, c.serverTlsCertFile, `server cert for ${at}`));
    return consenter;
  });
}

/**
 * common/policies/bft.go `EncodeBFTBlockVerificationPolicy`: a block needs the signatures of a BFT
 * quorum of the consenters, each named by its identity.
 */
function bftBlockValidation(consenters: readonly common.Consenter[]): common.Policy {
  const n = consenters.length;
  const f = Math.floor((n - 1) / 3);
  const quorum = Math.ceil((n + f + 1) / 2);
  const envelope = new common.SignaturePolicyEnvelope();
  const gate = new common.SignaturePolicy.NOutOf();
  gate.setN(quorum);
  gate.setRulesList(
    consenters.map((_, i) => {
      const rule = new common.SignaturePolicy();
      rule.setSignedBy(i);
      return rule;
    }),
  );
  const rule = new common.SignaturePolicy();
  rule.setNOutOf(gate);
  envelope.setRule(rule);
  envelope.setIdentitiesList(
    consenters.map((c) => {
      const identity = new msp.SerializedIdentity();
      identity.setMspid(c.getMspId());
      identity.setIdBytes(c.getIdentity_asU8());
      const principal = new msp.MSPPrincipal();
      principal.setPrincipalClassification(msp.MSPPrincipal.Classification.IDENTITY);
      principal.setPrincipal(identity.serializeBinary());
      return principal;
    }),
  );
  const policy = new common.Policy();
  policy.setType(common.Policy.PolicyType.SIGNATURE);
  policy.setValue(envelope.serializeBinary());
  return policy;
}

/** encoder.go `NewOrdererGroup`. */
function ordererGroup(
  reader: MaterialReader,
  description: OrdererDescription,
  channelCapabilities: readonly string[],
): common.ConfigGroup {
  const { consensus, modPolicy } = description;
  if (consensus.type === 'BFT' && !channelCapabilities.includes('V3_0'))
    throw new FabricKitError(
      'MALFORMED_CONFIG',
      'orderer type BFT must be used with V3_0 channel capability',
    );
  if (description.addresses.length > 0 && channelCapabilities.includes('V3_0'))
    throw new FabricKitError(
      'MALFORMED_CONFIG',
      'global orderer endpoints exist, but can not be used with V3_0 capability',
    );
  const group = newGroup(modPolicy);
  const validation = description.policies[BLOCK_VALIDATION];
  if (validation === undefined)
    throw new FabricKitError('MALFORMED_CONFIG', 'orderer: no BlockValidation policy defined');
  addPolicies(group, description.policies, modPolicy, 'orderer');

  const batchSize = new orderer.BatchSize();
  batchSize.setMaxMessageCount(description.batchSize.maxMessageCount);
  batchSize.setAbsoluteMaxBytes(description.batchSize.absoluteMaxBytes);
  batchSize.setPreferredMaxBytes(description.batchSize.preferredMaxBytes);
  addValue(group, 'BatchSize', batchSize, modPolicy);
  const batchTimeout = new orderer.BatchTimeout();
  batchTimeout.setTimeout(goDurationString(description.batchTimeoutMs));
  addValue(group, 'BatchTimeout', batchTimeout, modPolicy);
  const restrictions = new orderer.ChannelRestrictions();
  restrictions.setMaxCount(description.maxChannels);
  addValue(group, 'ChannelRestrictions', restrictions, modPolicy);
  if (description.capabilities.length > 0)
    addValue(group, 'Capabilities', capabilitiesValue(description.capabilities), modPolicy);

  const consensusType = new orderer.ConsensusType();
  consensusType.setType(consensus.type);
  if (consensus.type === 'etcdraft') {
    consensusType.setMetadata(raftMetadata(reader, consensus));
  } else {
    const consenters = bftConsenters(reader, consensus);
    const orderers = new common.Orderers();
    orderers.setConsenterMappingList(consenters);
    addValue(group, 'Orderers', orderers, modPolicy);
    consensusType.setMetadata(smartBftOptions(consensus));
    // configtxgen replaces the configured BlockValidation with the consenters' quorum, keeping its mod_policy.
    setPolicy(group, BLOCK_VALIDATION, bftBlockValidation(consenters), modPolicy);
  }
  addValue(group, 'ConsensusType', consensusType, modPolicy);

  for (const org of description.organizations)
    group.getGroupsMap().set(org.name, ordererOrgGroup(reader, org, channelCapabilities));
  return group;
}

/** encoder.go `NewApplicationGroup`. */
function applicationGroup(reader: MaterialReader, description: ApplicationDescription): common.ConfigGroup {
  const { modPolicy } = description;
  const group = newGroup(modPolicy);
  addPolicies(group, description.policies, modPolicy, 'application');
  if (Object.keys(description.acls).length > 0) {
    const acls = new peer.ACLs();
    for (const [resource, policyRef] of Object.entries(description.acls)) {
      const api = new peer.APIResource();
      api.setPolicyRef(policyRef);
      acls.getAclsMap().set(resource, api);
    }
    addValue(group, 'ACLs', acls, modPolicy);
  }
  if (description.capabilities.length > 0)
    addValue(group, 'Capabilities', capabilitiesValue(description.capabilities), modPolicy);
  for (const org of description.organizations)
    group.getGroupsMap().set(org.name, applicationOrgGroup(reader, org));
  return group;
}

/**
 * The `Channel` group of `description` (encoder.go `NewChannelGroup`).
 * @throws FabricKitError `MALFORMED_CONFIG` for a policy that does not parse, a missing required
 *   policy or certificate, or settings configtxgen refuses; MspError `MSP_CONFIG` for an unusable
 *   MSP folder.
 */
export function encodeChannelGroup(
  description: ChannelDescription,
  reader: MaterialReader,
): common.ConfigGroup {
  const { modPolicy } = description;
  const group = newGroup(modPolicy);
  addPolicies(group, description.policies, modPolicy, 'channel');
  const hashing = new common.HashingAlgorithm();
  hashing.setName(description.hashingAlgorithm);
  addValue(group, 'HashingAlgorithm', hashing, modPolicy);
  const structure = new common.BlockDataHashingStructure();
  structure.setWidth(description.blockDataHashingWidth);
  addValue(group, 'BlockDataHashingStructure', structure, modPolicy);
  if (description.orderer.addresses.length > 0)
    addValue(
      group,
      'OrdererAddresses',
      addresses(description.orderer.addresses),
      description.ordererAddressesModPolicy,
    );
  if (description.capabilities.length > 0)
    addValue(group, 'Capabilities', capabilitiesValue(description.capabilities), modPolicy);
  group
    .getGroupsMap()
    .set(ORDERER_GROUP, ordererGroup(reader, description.orderer, description.capabilities));
  group.getGroupsMap().set(APPLICATION_GROUP, applicationGroup(reader, description.application));
  return group;
}
