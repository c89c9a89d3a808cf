/**
 * The channel definition configtxgen reads (configtx.yaml), rendered from fabric-kit's channel
 * description (`describeChannel`: the consortium table's orgs and policies, Veriscan's channel
 * settings) instead of kept as a template that restates them: the same description the devnet encodes
 * into its block 0. One profile per topology (Raft with 1 or 3 orderers, SmartBFT with 4); this file
 * only places the nodes (this host or docker-compose's DNS names) and spells the description in
 * configtxgen's keys (internal/configtxgen/genesisconfig).
 */
import { stringify } from 'yaml';
import {
  CHANNEL_ID,
  describeChannel,
  goDurationString,
  peerHost,
  type ApplicationOrgDescription,
  type ChannelDescription,
  type CryptoLayout,
  type OrdererOrgDescription,
  type OrgDescription,
  type PolicyMap,
} from '@veriscan/fabric-kit';
import { ordererNodes, TOPOLOGIES, type Topology } from './topology';

/** Where the genesis block's nodes are reached: this host, or docker-compose's DNS names. */
export type HostMode = 'native' | 'compose';

/** The host name a node is reached at in `mode`. */
function hostIn(mode: HostMode, dnsName: string): string {
  return mode === 'compose' ? dnsName : '127.0.0.1';
}

/** The parts configtx.yaml needs, resolved. */
export type ConfigtxInput = Readonly<{
  layout: CryptoLayout;
  mode: HostMode;
}>;

/**
 * The channel as `topology` runs it: its orderers as consenters and endpoints, each peer org's
 * `peer0` as anchor peer, at the hosts of `mode`.
 * @throws FabricKitError `UNKNOWN_NAME` when the layout lacks an org or orderer of the table.
 */
export function channelDescription(
  input: ConfigtxInput & Readonly<{ topology: Pick<Topology, 'consensus' | 'orderers'> }>,
): ChannelDescription {
  const { layout, mode, topology } = input;
  return describeChannel({
    channelId: CHANNEL_ID,
    layout,
    consensus: topology.consensus === 'bft' ? 'BFT' : 'etcdraft',
    orderers: ordererNodes(topology.orderers).map((node) => ({
      index: node.index,
      host: hostIn(mode, node.host),
      port: node.port,
    })),
    anchorPeer: (org) => ({ host: hostIn(mode, peerHost(org)), port: org.ports.fabricPeer }),
  });
}

type YamlPolicies = Record<string, { Type: string; Rule: string }>;

function policies(map: PolicyMap): YamlPolicies {
  const out: YamlPolicies = {};
  for (const [name, policy] of Object.entries(map)) {
    out[name] =
      policy.type === 'Signature'
        ? { Type: 'Signature', Rule: policy.rule }
        : { Type: 'ImplicitMeta', Rule: `${policy.rule} ${policy.subPolicy}` };
  }
  return out;
}

/** configtxgen's `map[string]bool`: only capabilities set to true reach the block. */
function capabilities(names: readonly string[]): Record<string, boolean> {
  return Object.fromEntries(names.map((name) => [name, true]));
}

function org(description: OrgDescription): Record<string, unknown> {
  return {
    Name: description.name,
    ID: description.mspId,
    MSPDir: description.mspDir,
    Policies: policies(description.policies),
  };
}

function ordererOrg(description: OrdererOrgDescription): Record<string, unknown> {
  return { ...org(description), OrdererEndpoints: [...description.endpoints] };
}

function applicationOrg(description: ApplicationOrgDescription): Record<string, unknown> {
  return {
    ...org(description),
    AnchorPeers: description.anchorPeers.map((p) => ({ Host: p.host, Port: p.port })),
  };
}

function consensus(description: ChannelDescription): Record<string, unknown> {
  const { consensus: c } = description.orderer;
  if (c.type === 'etcdraft') {
    const o = c.options;
    return {
      OrdererType: 'etcdraft',
      EtcdRaft: {
        Consenters: c.consenters.map((node) => ({
          Host: node.host,
          Port: node.port,
          ClientTLSCert: node.clientTlsCertFile,
          ServerTLSCert: node.serverTlsCertFile,
        })),
        Options: {
          TickInterval: o.tickInterval,
          ElectionTick: o.electionTick,
          HeartbeatTick: o.heartbeatTick,
          MaxInflightBlocks: o.maxInflightBlocks,
          SnapshotIntervalSize: o.snapshotIntervalSize,
        },
      },
    };
  }
  const o = c.options;
  return {
    OrdererType: 'BFT',
    SmartBFT: {
      RequestBatchMaxCount: o.requestBatchMaxCount,
      RequestBatchMaxBytes: o.requestBatchMaxBytes,
      RequestBatchMaxInterval: o.requestBatchMaxInterval,
      IncomingMessageBufferSize: o.incomingMessageBufferSize,
      RequestPoolSize: o.requestPoolSize,
      RequestForwardTimeout: o.requestForwardTimeout,
      RequestComplainTimeout: o.requestComplainTimeout,
      RequestAutoRemoveTimeout: o.requestAutoRemoveTimeout,
      ViewChangeResendInterval: o.viewChangeResendInterval,
      ViewChangeTimeout: o.viewChangeTimeout,
      LeaderHeartbeatTimeout: o.leaderHeartbeatTimeout,
      LeaderHeartbeatCount: o.leaderHeartbeatCount,
      CollectTimeout: o.collectTimeout,
      SyncOnStart: o.syncOnStart,
      SpeedUpViewChange: o.speedUpViewChange,
    },
    ConsenterMapping: c.consenters.map((node) => ({
      ID: node.id,
      Host: node.host,
      Port: node.port,
      MSPID: node.mspId,
      Identity: node.identityFile,
      ClientTLSCert: node.clientTlsCertFile,
      ServerTLSCert: node.serverTlsCertFile,
    })),
  };
}

/** One configtx.yaml profile: everything configtxgen needs to write `description`'s block 0. */
export function profileOf(description: ChannelDescription): Record<string, unknown> {
  const { orderer, application } = description;
  return {
    Policies: policies(description.policies),
    Capabilities: capabilities(description.capabilities),
    Orderer: {
      ...consensus(description),
      ...(orderer.addresses.length > 0 ? { Addresses: [...orderer.addresses] } : {}),
      BatchTimeout: goDurationString(orderer.batchTimeoutMs),
      BatchSize: {
        MaxMessageCount: orderer.batchSize.maxMessageCount,
        AbsoluteMaxBytes: orderer.batchSize.absoluteMaxBytes,
        PreferredMaxBytes: orderer.batchSize.preferredMaxBytes,
      },
      MaxChannels: orderer.maxChannels,
      Policies: policies(orderer.policies),
      Capabilities: capabilities(orderer.capabilities),
      Organizations: orderer.organizations.map(ordererOrg),
    },
    Application: {
      ACLs: { ...application.acls },
      Organizations: application.organizations.map(applicationOrg),
      Policies: policies(application.policies),
      Capabilities: capabilities(application.capabilities),
    },
  };
}

/**
 * configtx.yaml as a document: every org of the consortium table with its MSP folder and policies,
 * and the profiles `VeriscanRaft1`, `VeriscanRaft3` and `VeriscanBFT4`.
 * @throws FabricKitError `UNKNOWN_NAME` when the layout lacks an org or orderer of the table.
 */
export function buildConfigtx(input: ConfigtxInput): Record<string, unknown> {
  const profiles: Record<string, Record<string, unknown>> = {};
  for (const topology of Object.values(TOPOLOGIES))
    profiles[topology.profile] = profileOf(channelDescription({ ...input, topology }));
  // The top-level definitions are for reference (profiles embed their own): orderer0's endpoint only.
  const { orderer, application } = channelDescription({ ...input, topology: TOPOLOGIES['raft-1'] });
  return {
    Organizations: [
      ...orderer.organizations.map(ordererOrg),
      ...application.organizations.map(applicationOrg),
    ],
    Profiles: profiles,
  };
}

/** configtx.yaml's text for {@link buildConfigtx}'s document. */
export function renderConfigtxYaml(input: ConfigtxInput): string {
  return `# Generated by network/fabric/src/configtx.ts from the consortium table; do not edit.\n${stringify(
    buildConfigtx(input),
    { aliasDuplicateObjects: false, lineWidth: 0 },
  )}`;
}
