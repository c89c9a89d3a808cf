/**
 * Veriscan's channel settings that are not per org: capabilities, ACLs, batching, Raft and SmartBFT
 * options, and the values configtxgen writes on its own. They follow Fabric v3.1's
 * sampleconfig/configtx.yaml, trimmed; comments say where Veriscan departs from it. One home for
 * both networks: network/fabric renders them into configtx.yaml, the devnet encodes them into block 0.
 */
import type {
  BatchSizeDescription,
  PolicyDescription,
  RaftOptionsDescription,
  SmartBftOptionsDescription,
} from './description.js';
import { VERISCAN_ENDORSEMENT } from '../consortium.js';

/** channelconfig `AdminsPolicyKey`: configtxgen's mod_policy for every group, value and policy it writes. */
export const ADMINS_MOD_POLICY = 'Admins';

/** encoder.go `ordererAdminsPolicyName`: the mod_policy of the channel's global `OrdererAddresses`. */
export const ORDERER_ADMINS_POLICY = '/Channel/Orderer/Admins';

/** channelconfig `defaultHashingAlgorithm` (bccsp.SHA256). */
export const HASHING_ALGORITHM = 'SHA256';

/** channelconfig `defaultBlockDataHashingStructureWidth` (math.MaxUint32). */
export const BLOCK_DATA_HASHING_WIDTH = 0xffffffff;

const MiB = 1024 * 1024;

/** A signature policy in Fabric's DSL. */
export function signaturePolicy(rule: string): PolicyDescription {
  return { type: 'Signature', rule };
}

/** An implicit meta policy, e.g. `implicitMeta('MAJORITY', 'Admins')`. */
export function implicitMeta(rule: 'ANY' | 'ALL' | 'MAJORITY', subPolicy: string): PolicyDescription {
  return { type: 'ImplicitMeta', rule, subPolicy };
}

/** The standard group policies: any reader, any writer, a majority of admins. */
export const STANDARD_POLICIES = {
  Readers: implicitMeta('ANY', 'Readers'),
  Writers: implicitMeta('ANY', 'Writers'),
  Admins: implicitMeta('MAJORITY', 'Admins'),
} as const;

/** The orderer group's policies: the standard ones and who may sign blocks (replaced for BFT by configtxgen). */
export const ORDERER_POLICIES = { ...STANDARD_POLICIES, BlockValidation: implicitMeta('ANY', 'Writers') };

/**
 * The application group's policies. Chaincode definitions need a majority of the orgs' Endorsement
 * policies (every org's peer); Veriscan writes a majority of their VeriscanEndorsement policies, of
 * which an org that never endorses has an unsatisfiable one, so it counts towards the majority's
 * size but can never make it.
 */
export const APPLICATION_POLICIES = {
  LifecycleEndorsement: implicitMeta('MAJORITY', 'Endorsement'),
  Endorsement: implicitMeta('MAJORITY', 'Endorsement'),
  [VERISCAN_ENDORSEMENT]: implicitMeta('MAJORITY', VERISCAN_ENDORSEMENT),
  ...STANDARD_POLICIES,
};

// V3_0 is required by SmartBFT and fine for Raft on v3 orderers and peers.
export const CHANNEL_CAPABILITIES: readonly string[] = ['V3_0'];
export const ORDERER_CAPABILITIES: readonly string[] = ['V2_0'];
export const APPLICATION_CAPABILITIES: readonly string[] = ['V2_5'];

/** Who may call which system chaincode function or receive which events. */
export const APPLICATION_ACLS: Readonly<Record<string, string>> = {
  '_lifecycle/CheckCommitReadiness': '/Channel/Application/Writers',
  '_lifecycle/CommitChaincodeDefinition': '/Channel/Application/Writers',
  '_lifecycle/QueryChaincodeDefinition': '/Channel/Application/Writers',
  '_lifecycle/QueryChaincodeDefinitions': '/Channel/Application/Writers',
  'lscc/ChaincodeExists': '/Channel/Application/Readers',
  'lscc/GetDeploymentSpec': '/Channel/Application/Readers',
  'lscc/GetChaincodeData': '/Channel/Application/Readers',
  'lscc/GetInstantiatedChaincodes': '/Channel/Application/Readers',
  'qscc/GetChainInfo': '/Channel/Application/Readers',
  'qscc/GetBlockByNumber': '/Channel/Application/Readers',
  'qscc/GetBlockByHash': '/Channel/Application/Readers',
  'qscc/GetTransactionByID': '/Channel/Application/Readers',
  'qscc/GetBlockByTxID': '/Channel/Application/Readers',
  'cscc/GetConfigBlock': '/Channel/Application/Readers',
  'cscc/GetChannelConfig': '/Channel/Application/Readers',
  // Evaluating is a proposal too: regulators need Writers to query; the chaincode refuses their writes.
  'peer/Propose': '/Channel/Application/Writers',
  'peer/ChaincodeToChaincode': '/Channel/Application/Writers',
  'event/Block': '/Channel/Application/Readers',
  'event/FilteredBlock': '/Channel/Application/Readers',
};

// Raft cuts a block after BatchTimeout at low load: 100ms keeps submit-to-commit near the devnet's.
export const BATCH_TIMEOUT_MS = 100;
export const BATCH_SIZE: BatchSizeDescription = {
  maxMessageCount: 500,
  absoluteMaxBytes: 10 * MiB,
  preferredMaxBytes: 2 * MiB,
};

/** orderer.ChannelRestrictions.max_count: no limit. */
export const MAX_CHANNELS = 0;

// A lost Raft leader is replaced after ElectionTick x TickInterval = 5s.
export const RAFT_OPTIONS: RaftOptionsDescription = {
  tickInterval: '500ms',
  electionTick: 10,
  heartbeatTick: 1,
  maxInflightBlocks: 5,
  snapshotIntervalSize: 16 * MiB,
};

// SmartBFT ignores BatchTimeout; RequestBatchMaxInterval is its time knob. The timeouts are shortened
// from the samples' minutes so a lost leader is replaced in seconds on one machine.
export const SMART_BFT_OPTIONS: SmartBftOptionsDescription = {
  requestBatchMaxCount: 500,
  requestBatchMaxBytes: 10 * MiB,
  requestBatchMaxInterval: '100ms',
  incomingMessageBufferSize: 200,
  requestPoolSize: 100000,
  requestForwardTimeout: '2s',
  requestComplainTimeout: '8s',
  requestAutoRemoveTimeout: '3m0s',
  viewChangeResendInterval: '2s',
  viewChangeTimeout: '10s',
  leaderHeartbeatTimeout: '10s',
  leaderHeartbeatCount: 10,
  collectTimeout: '1s',
  syncOnStart: false,
  speedUpViewChange: false,
};
