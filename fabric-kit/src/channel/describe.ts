/**
 * The Veriscan channel's description, derived from the consortium table and the crypto layout: one
 * application org per peer org of the table, the orderer org with the orderers that order the channel,
 * Veriscan's policies and settings (./defaults.ts). Where the nodes are reached is the caller's: the
 * devnet and real Fabric (native or docker-compose) place the same orgs at different addresses.
 */
import {
  CONSORTIUM,
  VERISCAN_ENDORSEMENT,
  orgEndorsementRule,
  orgVeriscanEndorsementRule,
  type OrgSpec,
  type PeerOrgSpec,
} from '../consortium.js';
import { FabricKitError } from '../errors';
import { orgByMspId, type CryptoLayout } from '../msp/layout.js';
import {
  ADMINS_MOD_POLICY,
  APPLICATION_ACLS,
  APPLICATION_CAPABILITIES,
  APPLICATION_POLICIES,
  BATCH_SIZE,
  BATCH_TIMEOUT_MS,
  BLOCK_DATA_HASHING_WIDTH,
  CHANNEL_CAPABILITIES,
  HASHING_ALGORITHM,
  MAX_CHANNELS,
  ORDERER_ADMINS_POLICY,
  ORDERER_CAPABILITIES,
  ORDERER_POLICIES,
  RAFT_OPTIONS,
  SMART_BFT_OPTIONS,
  STANDARD_POLICIES,
  signaturePolicy,
} from './defaults.js';
import type {
  ApplicationOrgDescription,
  BatchSizeDescription,
  ChannelDescription,
  ConsensusDescription,
  Endpoint,
  OrdererOrgDescription,
  PolicyMap,
} from './description.js';

/** One orderer of the channel: `orderer<index>` of the orderer org, and where it is reached. */
export interface OrdererPlacement extends Endpoint {
  readonly index: number;
}

/** Which consensus orders the channel. */
export type ConsensusType = ConsensusDescription['type'];

/** What {@link describeChannel} needs besides the table. */
export interface ChannelPlan {
  readonly channelId: string;
  /** Where the orgs' MSP folders and the orderers' certificates are. */
  readonly layout: CryptoLayout;
  readonly consensus: ConsensusType;
  /** The channel's orderers (its consenters and its org's endpoints), in order. */
  readonly orderers: readonly OrdererPlacement[];
  /** Where a peer org's anchor peer (its `peer0`) is reached. */
  readonly anchorPeer: (org: PeerOrgSpec) => Endpoint;
  /** Batching, when the network overrides Veriscan's (the devnet's own configuration). */
  readonly batch?: Readonly<{ timeoutMs?: number; size?: Partial<BatchSizeDescription> }>;
  /** The orgs; defaults to the consortium table. */
  readonly consortium?: readonly OrgSpec[];
}

const orOf = (mspId: string, roles: readonly string[]): string =>
  `OR(${roles.map((role) => `'${mspId}.${role}'`).join(', ')})`;

/**
 * A peer org's policies: its members read, its admins and clients write, its admins administer, its
 * peer endorses (lifecycle approvals included), and its VeriscanEndorsement is the table's
 * (unsatisfiable for an org whose peer never endorses Veriscan writes).
 */
function applicationOrgPolicies(org: Pick<OrgSpec, 'mspId' | 'endorses'>): PolicyMap {
  return {
    Readers: signaturePolicy(orOf(org.mspId, ['admin', 'peer', 'client'])),
    Writers: signaturePolicy(orOf(org.mspId, ['admin', 'client'])),
    Admins: signaturePolicy(orOf(org.mspId, ['admin'])),
    Endorsement: signaturePolicy(orgEndorsementRule(org)),
    [VERISCAN_ENDORSEMENT]: signaturePolicy(orgVeriscanEndorsementRule(org)),
  };
}

/**
 * One application org of the channel as Veriscan defines it: its MSP folder, the table's policies for
 * it, `Admins` as mod_policy, and its anchor peers. Also what a configuration update adds for an
 * institution that joins after genesis (fabric-samples addOrg3 writes the same group with configtxgen
 * `-printOrg`).
 */
export function describeApplicationOrg(
  org: Pick<OrgSpec, 'orgName' | 'mspId' | 'endorses'>,
  placement: Readonly<{ mspDir: string; anchorPeers: readonly Endpoint[] }>,
): ApplicationOrgDescription {
  return {
    name: org.orgName,
    mspId: org.mspId,
    mspDir: placement.mspDir,
    policies: applicationOrgPolicies(org),
    modPolicy: ADMINS_MOD_POLICY,
    anchorPeers: [...placement.anchorPeers],
  };
}

/** The orderer org's policies: any member reads and writes, its admins administer. */
function ordererOrgPolicies(org: OrgSpec): PolicyMap {
  return {
    Readers: signaturePolicy(orOf(org.mspId, ['member'])),
    Writers: signaturePolicy(orOf(org.mspId, ['member'])),
    Admins: signaturePolicy(orOf(org.mspId, ['admin'])),
  };
}

function consensusOf(plan: ChannelPlan, ordererOrg: OrgSpec): ConsensusDescription {
  const material = orgByMspId(plan.layout, ordererOrg.mspId);
  const nodes = plan.orderers.map((placement) => {
    const node = material.orderers[placement.index];
    if (node === undefined)
      throw new FabricKitError('UNKNOWN_NAME', `the crypto layout has no orderer${placement.index}`);
    return { placement, node };
  });
  if (plan.consensus === 'etcdraft') {
    return {
      type: 'etcdraft',
      consenters: nodes.map(({ placement, node }) => ({
        host: placement.host,
        port: placement.port,
        clientTlsCertFile: node.tlsCertFile,
        serverTlsCertFile: node.tlsCertFile,
      })),
      options: RAFT_OPTIONS,
    };
  }
  return {
    type: 'BFT',
    // ConsenterMapping ids are 1-based: orderer<i> is consenter i+1 (what the audit checks expect).
    consenters: nodes.map(({ placement, node }) => ({
      id: placement.index + 1,
      host: placement.host,
      port: placement.port,
      mspId: ordererOrg.mspId,
      identityFile: node.signCertFile,
      clientTlsCertFile: node.tlsCertFile,
      serverTlsCertFile: node.tlsCertFile,
    })),
    options: SMART_BFT_OPTIONS,
  };
}

/** The table's notion of a peer org (consortium.ts `PEER_ORGS`): kind, ports and member role set. */
function isPeerOrg(org: OrgSpec): org is PeerOrgSpec {
  return org.kind === 'peer' && org.ports !== null && org.memberRole !== null;
}

function onlyOrdererOrg(consortium: readonly OrgSpec[]): OrgSpec {
  const orderers = consortium.filter((org) => org.kind === 'orderer');
  const [org] = orderers;
  if (org === undefined || orderers.length !== 1)
    throw new FabricKitError('MALFORMED_CONFIG', 'a channel needs exactly one orderer org');
  return org;
}

/**
 * The channel `plan.channelId` of the consortium, ordered by `plan.orderers`.
 * @throws FabricKitError `UNKNOWN_NAME` when the layout lacks an org or orderer the plan names;
 *   `MALFORMED_CONFIG` when the consortium has no single orderer org or there are no orderers.
 */
export function describeChannel(plan: ChannelPlan): ChannelDescription {
  const consortium = plan.consortium ?? CONSORTIUM;
  const ordererOrgSpec = onlyOrdererOrg(consortium);
  if (plan.orderers.length === 0)
    throw new FabricKitError('MALFORMED_CONFIG', 'a channel needs at least one orderer');
  const ordererOrg: OrdererOrgDescription = {
    name: ordererOrgSpec.orgName,
    mspId: ordererOrgSpec.mspId,
    mspDir: orgByMspId(plan.layout, ordererOrgSpec.mspId).mspDir,
    policies: ordererOrgPolicies(ordererOrgSpec),
    modPolicy: ADMINS_MOD_POLICY,
    endpoints: plan.orderers.map((o) => `${o.host}:${o.port}`),
  };
  const applicationOrgs = consortium.filter(isPeerOrg).map((org) =>
    // In the genesis block, so discovery can hand this org's peer to every gateway from the first block.
    describeApplicationOrg(org, {
      mspDir: orgByMspId(plan.layout, org.mspId).mspDir,
      anchorPeers: [plan.anchorPeer(org)],
    }),
  );
  return {
    channelId: plan.channelId,
    policies: STANDARD_POLICIES,
    capabilities: CHANNEL_CAPABILITIES,
    hashingAlgorithm: HASHING_ALGORITHM,
    blockDataHashingWidth: BLOCK_DATA_HASHING_WIDTH,
    orderer: {
      policies: ORDERER_POLICIES,
      batchTimeoutMs: plan.batch?.timeoutMs ?? BATCH_TIMEOUT_MS,
      batchSize: {
        maxMessageCount: plan.batch?.size?.maxMessageCount ?? BATCH_SIZE.maxMessageCount,
        absoluteMaxBytes: plan.batch?.size?.absoluteMaxBytes ?? BATCH_SIZE.absoluteMaxBytes,
        preferredMaxBytes: plan.batch?.size?.preferredMaxBytes ?? BATCH_SIZE.preferredMaxBytes,
      },
      maxChannels: MAX_CHANNELS,
      capabilities: ORDERER_CAPABILITIES,
      consensus: consensusOf(plan, ordererOrgSpec),
      addresses: [],
      organizations: [ordererOrg],
      modPolicy: ADMINS_MOD_POLICY,
    },
    application: {
      policies: APPLICATION_POLICIES,
      acls: APPLICATION_ACLS,
      capabilities: APPLICATION_CAPABILITIES,
      organizations: applicationOrgs,
      modPolicy: ADMINS_MOD_POLICY,
    },
    modPolicy: ADMINS_MOD_POLICY,
    ordererAddressesModPolicy: ORDERER_ADMINS_POLICY,
  };
}
