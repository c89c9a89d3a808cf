/**
 * A channel's configuration as data: what configtxgen reads from one configtx.yaml profile
 * (internal/configtxgen/genesisconfig `Profile`) with every default configtxgen would fill in made
 * explicit, and every value it writes on its own (hashing algorithm, mod policies) named. Files are
 * referred to by path, as in configtx.yaml: the description is pure data, so it can be rendered to
 * YAML without the crypto material existing, and the encoder reads the files when it builds block 0.
 */

/** A signature policy in Fabric's DSL, e.g. `OR('Lab1MSP.admin', 'Lab1MSP.client')`. */
export interface SignaturePolicyDescription {
  readonly type: 'Signature';
  readonly rule: string;
}

/** The rules of an implicit meta policy (common.ImplicitMetaPolicy.Rule). */
export type ImplicitMetaRule = 'ANY' | 'ALL' | 'MAJORITY';

/** A policy over the same-named policies of the sub-groups, e.g. `MAJORITY Admins`. */
export interface ImplicitMetaPolicyDescription {
  readonly type: 'ImplicitMeta';
  readonly rule: ImplicitMetaRule;
  readonly subPolicy: string;
}

export type PolicyDescription = SignaturePolicyDescription | ImplicitMetaPolicyDescription;

/** Policies by name (`Readers`, `Writers`, `Admins`, …). */
export type PolicyMap = Readonly<Record<string, PolicyDescription>>;

/** host and port, as an anchor peer or a consenter is named. */
export interface Endpoint {
  readonly host: string;
  readonly port: number;
}

/** What every org definition has (genesisconfig `Organization`). */
export interface OrgDescription {
  /** The org's group name in the channel configuration (configtx.yaml `Name`). */
  readonly name: string;
  readonly mspId: string;
  /** The verifying MSP folder (cacerts, tlscacerts, config.yaml, …). */
  readonly mspDir: string;
  readonly policies: PolicyMap;
  /** The mod_policy of the org's group and of everything in it. */
  readonly modPolicy: string;
}

/** An application org: its MSP, policies and anchor peers. */
export interface ApplicationOrgDescription extends OrgDescription {
  readonly anchorPeers: readonly Endpoint[];
}

/** An orderer org: its MSP, policies and the endpoints clients reach its orderers at (`host:port`). */
export interface OrdererOrgDescription extends OrgDescription {
  readonly endpoints: readonly string[];
}

/** orderer.BatchSize. */
export interface BatchSizeDescription {
  readonly maxMessageCount: number;
  readonly absoluteMaxBytes: number;
  readonly preferredMaxBytes: number;
}

/** A Raft consenter (orderer.etcdraft.Consenter), its certificates as PEM files. */
export interface RaftConsenterDescription extends Endpoint {
  readonly clientTlsCertFile: string;
  readonly serverTlsCertFile: string;
}

/** orderer.etcdraft.Options. */
export interface RaftOptionsDescription {
  /** A Go duration, kept as written (configtxgen copies the string). */
  readonly tickInterval: string;
  readonly electionTick: number;
  readonly heartbeatTick: number;
  readonly maxInflightBlocks: number;
  readonly snapshotIntervalSize: number;
}

/** A BFT consenter (common.Consenter of the `Orderers` value), its certificates as PEM files. */
export interface BftConsenterDescription extends Endpoint {
  readonly id: number;
  readonly mspId: string;
  /** The orderer's signing certificate. */
  readonly identityFile: string;
  readonly clientTlsCertFile: string;
  readonly serverTlsCertFile: string;
}

/** orderer.smartbft.Options, the fields configtx.yaml sets (the others stay zero, as configtxgen leaves them). */
export interface SmartBftOptionsDescription {
  readonly requestBatchMaxCount: number;
  readonly requestBatchMaxBytes: number;
  readonly requestBatchMaxInterval: string;
  readonly incomingMessageBufferSize: number;
  readonly requestPoolSize: number;
  readonly requestForwardTimeout: string;
  readonly requestComplainTimeout: string;
  readonly requestAutoRemoveTimeout: string;
  readonly viewChangeResendInterval: string;
  readonly viewChangeTimeout: string;
  readonly leaderHeartbeatTimeout: string;
  readonly leaderHeartbeatCount: number;
  readonly collectTimeout: string;
  readonly syncOnStart: boolean;
  readonly speedUpViewChange: boolean;
}

/** The consensus type and its metadata. */
export type ConsensusDescription =
  | {
      readonly type: 'etcdraft';
      readonly consenters: readonly RaftConsenterDescription[];
      readonly options: RaftOptionsDescription;
    }
  | {
      readonly type: 'BFT';
      readonly consenters: readonly BftConsenterDescription[];
      readonly options: SmartBftOptionsDescription;
    };

/** The `Orderer` group (genesisconfig `Orderer`). */
export interface OrdererDescription {
  readonly policies: PolicyMap;
  /** Milliseconds; written as Go's `time.Duration.String()`, as configtxgen does. */
  readonly batchTimeoutMs: number;
  readonly batchSize: BatchSizeDescription;
  /** orderer.ChannelRestrictions.max_count (0: no limit). */
  readonly maxChannels: number;
  readonly capabilities: readonly string[];
  readonly consensus: ConsensusDescription;
  /** Global orderer addresses (the channel's `OrdererAddresses`): empty with V3_0, which forbids them. */
  readonly addresses: readonly string[];
  readonly organizations: readonly OrdererOrgDescription[];
  readonly modPolicy: string;
}

/** The `Application` group (genesisconfig `Application`). */
export interface ApplicationDescription {
  readonly policies: PolicyMap;
  /** API resource → policy reference, e.g. `qscc/GetChainInfo` → `/Channel/Application/Readers`. */
  readonly acls: Readonly<Record<string, string>>;
  readonly capabilities: readonly string[];
  readonly organizations: readonly ApplicationOrgDescription[];
  readonly modPolicy: string;
}

/** The channel group: block 0's whole configuration tree (genesisconfig `Profile` + the values configtxgen adds). */
export interface ChannelDescription {
  readonly channelId: string;
  readonly policies: PolicyMap;
  readonly capabilities: readonly string[];
  /** common.HashingAlgorithm (not settable in configtx.yaml: channelconfig's default). */
  readonly hashingAlgorithm: string;
  /** common.BlockDataHashingStructure.width (channelconfig's default, math.MaxUint32). */
  readonly blockDataHashingWidth: number;
  readonly orderer: OrdererDescription;
  readonly application: ApplicationDescription;
  readonly modPolicy: string;
  /** The mod_policy of the channel's `OrdererAddresses` value, when there is one. */
  readonly ordererAddressesModPolicy: string;
}
