/**
 * The channel configuration (Fabric's configtx): a typed description of the Veriscan channel derived
 * from the consortium table, its protobuf encoding as configtxgen writes it, up to block 0, and the
 * configuration updates a client computes, signs and submits afterwards.
 */
export type {
  ApplicationDescription,
  ApplicationOrgDescription,
  BatchSizeDescription,
  BftConsenterDescription,
  ChannelDescription,
  ConsensusDescription,
  Endpoint,
  ImplicitMetaPolicyDescription,
  ImplicitMetaRule,
  OrdererDescription,
  OrdererOrgDescription,
  OrgDescription,
  PolicyDescription,
  PolicyMap,
  RaftConsenterDescription,
  RaftOptionsDescription,
  SignaturePolicyDescription,
  SmartBftOptionsDescription,
} from './description.js';
export {
  describeApplicationOrg,
  describeChannel,
  type ChannelPlan,
  type ConsensusType,
  type OrdererPlacement,
} from './describe.js';
export { goDurationString, parseGoDuration } from './go-duration.js';
export { signaturePolicyEnvelope } from './policy-dsl.js';
export { verifyingMspConfig } from './msp-config.js';
export { APPLICATION_GROUP, ORDERER_GROUP, encodeApplicationOrgGroup, encodeChannelGroup } from './encode.js';
export { computeConfigUpdate } from './compute-update.js';
export { configUpdateEnvelope, configUpdateTransaction, signConfigUpdate } from './config-update.js';
export {
  genesisBlock,
  genesisConfigEnvelope,
  type EnvelopeSigner,
  type GenesisOptions,
  type ProtoTimestamp,
} from './genesis.js';
export type { MaterialReader } from './material.js';
export { fileSystemMaterial } from './material-files.js';
export {
  applicationOrgNames,
  configOfBlock,
  findBlock,
  lastConfigIndexOf,
  profileSigner,
  readChannelConfig,
  submitConfigUpdate,
  withApplicationOrg,
} from './config-client.js';
