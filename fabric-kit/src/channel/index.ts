/**
 * The channel configuration (Fabric's configtx): a typed description of the Veriscan channel derived
 * from the consortium table, and its protobuf encoding as configtxgen writes it, up to block 0.
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
export { describeChannel, type ChannelPlan, type ConsensusType, type OrdererPlacement } from './describe.js';
export { goDurationString } from './go-duration.js';
export { signaturePolicyEnvelope } from './policy-dsl.js';
export { verifyingMspConfig } from './msp-config.js';
export { APPLICATION_GROUP, ORDERER_GROUP, encodeChannelGroup } from './encode.js';
export {
  genesisBlock,
  genesisConfigEnvelope,
  type EnvelopeSigner,
  type GenesisOptions,
  type ProtoTimestamp,
} from './genesis.js';
export type { MaterialReader } from './material.js';
export { fileSystemMaterial } from './material-files.js';
