/**
 * The channel definition configtxgen reads (configtx.yaml), generated from the consortium table
 * instead of kept as a template that restates MSP ids, org names, hosts and ports: organisations and
 * their signature policies, the application defaults, the orderer defaults and one profile per
 * topology (Raft with 1 or 3 orderers, SmartBFT with 4). The values follow Fabric v3.1's
 * sampleconfig/configtx.yaml, trimmed; comments say where Veriscan departs from it.
 */
import { stringify } from 'yaml';
import { ORDERER_ORG, type CryptoLayout } from '@veriscan/fabric-kit';
import { ordererMaterial, ordererOrgMaterial, peerOrgMaterial } from './crypto';
import { ORDERER_MSP_ID, ordererNodes, PEER_ORGS, TOPOLOGIES, type OrdererNode } from './topology';

/** Where the genesis block's nodes are reached: this host, or docker-compose's DNS names. */
export type HostMode = 'native' | 'compose';

/** The host name a node is reached at in `mode`. */
function hostIn(mode: HostMode, dnsName: string): string {
  return mode === 'compose' ? dnsName : '127.0.0.1';
}

const signature = (rule: string): { Type: 'Signature'; Rule: string } => ({ Type: 'Signature', Rule: rule });
const implicitMeta = (rule: string): { Type: 'ImplicitMeta'; Rule: string } => ({
  Type: 'ImplicitMeta',
  Rule: rule,
});
const orOf = (mspId: string, roles: readonly string[]): string =>
  `OR(${roles.map((role) => `'${mspId}.${role}'`).join(', ')})`;

/** The standard channel-level policies: any reader, any writer, a majority of admins. */
const STANDARD_POLICIES = {
  Readers: implicitMeta('ANY Readers'),
  Writers: implicitMeta('ANY Writers'),
  Admins: implicitMeta('MAJORITY Admins'),
};

// V3_0 is required by SmartBFT and fine for Raft on v3 orderers and peers.
const CHANNEL_CAPABILITIES = { V3_0: true };
const ORDERER_CAPABILITIES = { V2_0: true };
const APPLICATION_CAPABILITIES = { V2_5: true };

const APPLICATION_ACLS = {
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
const BATCH = {
  BatchTimeout: '100ms',
  BatchSize: { MaxMessageCount: 500, AbsoluteMaxBytes: '10 MB', PreferredMaxBytes: '2 MB' },
};

// A lost Raft leader is replaced after ElectionTick x TickInterval = 5s.
const RAFT_OPTIONS = {
  TickInterval: '500ms',
  ElectionTick: 10,
  HeartbeatTick: 1,
  MaxInflightBlocks: 5,
  SnapshotIntervalSize: '16 MB',
};

// SmartBFT ignores BatchTimeout; RequestBatchMaxInterval is its time knob. The timeouts are shortened
// from the samples' minutes so a lost leader is replaced in seconds on one machine.
const SMART_BFT_OPTIONS = {
  RequestBatchMaxCount: 500,
  RequestBatchMaxBytes: 10485760,
  RequestBatchMaxInterval: '100ms',
  IncomingMessageBufferSize: 200,
  RequestPoolSize: 100000,
  RequestForwardTimeout: '2s',
  RequestComplainTimeout: '8s',
  RequestAutoRemoveTimeout: '3m0s',
  ViewChangeResendInterval: '2s',
  ViewChangeTimeout: '10s',
  LeaderHeartbeatTimeout: '10s',
  LeaderHeartbeatCount: 10,
  CollectTimeout: '1s',
  SyncOnStart: false,
  SpeedUpViewChange: false,
};

/** The parts configtx.yaml needs, resolved. */
export type ConfigtxInput = Readonly<{
  layout: CryptoLayout;
  mode: HostMode;
}>;

/**
 * configtx.yaml as a document: every org of the consortium table with its MSP folder and policies,
 * and the profiles `VeriscanRaft1`, `VeriscanRaft3` and `VeriscanBFT4`.
 * @throws FabricNetworkError `INCOMPLETE_CRYPTO` when an orderer's material is missing from the layout.
 */
export function buildConfigtx(input: ConfigtxInput): Record<string, unknown> {
  const { layout, mode } = input;
  const orderers = ordererNodes(4);
  const endpoint = (node: OrdererNode): string => `${hostIn(mode, node.host)}:${node.port}`;
  const tlsCert = (node: OrdererNode): string => ordererMaterial(layout, node).tlsCertFile;

  const ordererOrg = {
    Name: ORDERER_ORG.orgName,
    ID: ORDERER_MSP_ID,
    MSPDir: ordererOrgMaterial(layout).mspDir,
    Policies: {
      Readers: signature(orOf(ORDERER_MSP_ID, ['member'])),
      Writers: signature(orOf(ORDERER_MSP_ID, ['member'])),
      Admins: signature(orOf(ORDERER_MSP_ID, ['admin'])),
    },
    OrdererEndpoints: orderers.slice(0, 1).map(endpoint),
  };
  const peerOrgs = PEER_ORGS.map((org) => ({
    Name: org.orgName,
    ID: org.mspId,
    MSPDir: peerOrgMaterial(layout, org).mspDir,
    Policies: {
      Readers: signature(orOf(org.mspId, ['admin', 'peer', 'client'])),
      Writers: signature(orOf(org.mspId, ['admin', 'client'])),
      Admins: signature(orOf(org.mspId, ['admin'])),
      Endorsement: signature(orOf(org.mspId, ['peer'])),
    },
    // In the genesis block, so discovery can hand this org's peer to every gateway from the first block.
    AnchorPeers: [{ Host: hostIn(mode, `peer0.${org.domain}`), Port: org.peerPort }],
  }));

  const application = {
    ACLs: APPLICATION_ACLS,
    Organizations: peerOrgs,
    Policies: {
      // Chaincode definitions need a majority of the orgs; the veriscan chaincode itself is committed
      // with its own signature policy (the consortium table's ENDORSEMENT_POLICY).
      LifecycleEndorsement: implicitMeta('MAJORITY Endorsement'),
      Endorsement: implicitMeta('MAJORITY Endorsement'),
      ...STANDARD_POLICIES,
    },
    Capabilities: APPLICATION_CAPABILITIES,
  };
  const ordererDefaults = {
    ...BATCH,
    MaxChannels: 0,
    Policies: { ...STANDARD_POLICIES, BlockValidation: implicitMeta('ANY Writers') },
    Capabilities: ORDERER_CAPABILITIES,
  };
  const raft = (count: number): Record<string, unknown> => ({
    OrdererType: 'etcdraft',
    ...ordererDefaults,
    EtcdRaft: {
      Consenters: orderers.slice(0, count).map((node) => ({
        Host: hostIn(mode, node.host),
        Port: node.port,
        ClientTLSCert: tlsCert(node),
        ServerTLSCert: tlsCert(node),
      })),
      Options: RAFT_OPTIONS,
    },
    Organizations: [{ ...ordererOrg, OrdererEndpoints: orderers.slice(0, count).map(endpoint) }],
  });
  const bft = (count: number): Record<string, unknown> => ({
    OrdererType: 'BFT',
    ...ordererDefaults,
    SmartBFT: SMART_BFT_OPTIONS,
    // ConsenterMapping ids are 1-based: orderer<i> is consenter i+1 (what the audit checks expect).
    ConsenterMapping: orderers.slice(0, count).map((node) => ({
      ID: node.index + 1,
      Host: hostIn(mode, node.host),
      Port: node.port,
      MSPID: ORDERER_MSP_ID,
      Identity: ordererMaterial(layout, node).signCertFile,
      ClientTLSCert: tlsCert(node),
      ServerTLSCert: tlsCert(node),
    })),
    Organizations: [{ ...ordererOrg, OrdererEndpoints: orderers.slice(0, count).map(endpoint) }],
  });
  const profile = (orderer: Record<string, unknown>): Record<string, unknown> => ({
    Policies: STANDARD_POLICIES,
    Capabilities: CHANNEL_CAPABILITIES,
    Orderer: orderer,
    Application: application,
  });
  const profiles: Record<string, Record<string, unknown>> = {};
  for (const topology of Object.values(TOPOLOGIES)) {
    profiles[topology.profile] =
      topology.consensus === 'bft' ? profile(bft(topology.orderers)) : profile(raft(topology.orderers));
  }
  return { Organizations: [ordererOrg, ...peerOrgs], Profiles: profiles };
}

/** configtx.yaml's text for {@link buildConfigtx}'s document. */
export function renderConfigtxYaml(input: ConfigtxInput): string {
  return `# Generated by network/fabric/src/configtx.ts from the consortium table; do not edit.\n${stringify(
    buildConfigtx(input),
    { aliasDuplicateObjects: false, lineWidth: 0 },
  )}`;
}
