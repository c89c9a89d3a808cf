/**
 * The Veriscan consortium as typed data: organisations, MSP ids, domains, nodes, demo users,
 * endorsement policies, the port plan of both networks and the chaincode's role mapping.
 *
 * This is the one place an MSP id or a policy string is written. The crypto generator (Fabric
 * cryptogen's `crypto-config.yaml`, cmd/cryptogen/main.go `OrgSpec`), the devnet's configuration,
 * the real-Fabric topology, the set-up script and the chaincode's role check all derive from it.
 *
 * Pure data and pure functions, no I/O and no imports: the chaincode bundles this module
 * (`@veriscan/fabric-kit/consortium`) and must install with no network access.
 */

/** The TLD under which every org domain lives. */
export const CONSORTIUM_DOMAIN = 'veriscan.local';

/** The one application channel. */
export const CHANNEL_ID = 'veriscan';

/** The Veriscan chaincode's name on the channel. */
export const CHAINCODE_NAME = 'veriscan';

/** The `veriscan.role` attribute values carried by user certificates. */
export const VERISCAN_ROLES = ['hospital', 'lab', 'regulator', 'admin'] as const;
/** A Veriscan role, as read by the chaincode from the `veriscan.role` attribute. */
export type VeriscanRole = (typeof VERISCAN_ROLES)[number];
/** The role of an institution's members (every role but `admin`). */
export type MemberRole = Exclude<VeriscanRole, 'admin'>;

/** The NodeOU roles of Fabric's MSP (msp/mspimpl.go `hasOURoleInternal`), one per certificate. */
export const NODE_OU_ROLES = ['client', 'peer', 'admin', 'orderer'] as const;
/** A NodeOU role: the OU that classifies a certificate inside its MSP. */
export type NodeOuRole = (typeof NODE_OU_ROLES)[number];

/** An application user to enrol in a peer org. */
export interface UserSpec {
  /** The member id, also the `hf.EnrollmentID` and `veriscan.member` attributes, e.g. `hospital-a`. */
  readonly member: string;
  readonly role: VeriscanRole;
}

/** Where a peer org's nodes listen. */
export interface PeerPorts {
  /** Devnet peer port = the devnet's port base + this offset. */
  readonly devnetOffset: number;
  /** Real Fabric: the peer's gRPC port (Endorser, Deliver, Gateway). */
  readonly fabricPeer: number;
  /** Real Fabric: the peer's operations port (/healthz, /metrics). */
  readonly fabricOperations: number;
  /** Real Fabric: the org's own chaincode server. */
  readonly fabricChaincode: number;
}

/** One organisation of the consortium. */
export interface OrgSpec {
  /** Short key, e.g. `hospital`; the domain is `<key>.veriscan.local`. */
  readonly key: string;
  readonly mspId: string;
  /** The organisation's `Name` in a channel configuration (configtx.yaml), e.g. `HospitalOrg`. */
  readonly orgName: string;
  readonly kind: 'orderer' | 'peer';
  /** The role of the org's members in the chaincode (peer orgs only). */
  readonly memberRole: MemberRole | null;
  /** Whether the org's peer endorses writes (the regulator's peer commits but never endorses). */
  readonly endorses: boolean;
  /** Number of nodes (peers or orderers), named `peer0`… or `orderer0`…. */
  readonly nodeCount: number;
  /** Application users besides the org admin (peer orgs only). */
  readonly users: readonly UserSpec[];
  /** Peer orgs only. */
  readonly ports: PeerPorts | null;
}

/**
 * The consortium. The orderer org has four orderers so the same material serves a 3-node Raft or a
 * 4-node BFT network on real Fabric; the devnet itself runs `orderer0` only.
 */
export const CONSORTIUM: readonly OrgSpec[] = [
  {
    key: 'orderer',
    mspId: 'OrdererMSP',
    orgName: 'OrdererOrg',
    kind: 'orderer',
    memberRole: null,
    endorses: false,
    nodeCount: 4,
    users: [],
    ports: null,
  },
  {
    key: 'hospital',
    mspId: 'HospitalMSP',
    orgName: 'HospitalOrg',
    kind: 'peer',
    memberRole: 'hospital',
    endorses: true,
    nodeCount: 1,
    users: [
      { member: 'hospital-a', role: 'hospital' },
      { member: 'hospital-b', role: 'hospital' },
    ],
    ports: { devnetOffset: 1, fabricPeer: 17051, fabricOperations: 19450, fabricChaincode: 19997 },
  },
  {
    key: 'lab',
    mspId: 'LabMSP',
    orgName: 'LabOrg',
    kind: 'peer',
    memberRole: 'lab',
    endorses: true,
    nodeCount: 1,
    users: [
      { member: 'lab-1', role: 'lab' },
      { member: 'lab-2', role: 'lab' },
    ],
    ports: { devnetOffset: 1001, fabricPeer: 18051, fabricOperations: 19451, fabricChaincode: 19998 },
  },
  {
    key: 'regulator',
    mspId: 'RegulatorMSP',
    orgName: 'RegulatorOrg',
    kind: 'peer',
    memberRole: 'regulator',
    endorses: false,
    nodeCount: 1,
    users: [{ member: 'regulator-1', role: 'regulator' }],
    ports: { devnetOffset: 2001, fabricPeer: 19051, fabricOperations: 19452, fabricChaincode: 19999 },
  },
];

/** A peer org: one whose `ports` and `memberRole` are set. */
export type PeerOrgSpec = OrgSpec & {
  readonly kind: 'peer';
  readonly ports: PeerPorts;
  readonly memberRole: MemberRole;
};

function isPeerOrg(org: OrgSpec): org is PeerOrgSpec {
  return org.kind === 'peer' && org.ports !== null && org.memberRole !== null;
}

/** The peer orgs in table order. */
export const PEER_ORGS: readonly PeerOrgSpec[] = CONSORTIUM.filter(isPeerOrg);

function onlyOrdererOrg(): OrgSpec {
  const orderers = CONSORTIUM.filter((org) => org.kind === 'orderer');
  const [org] = orderers;
  // A table invariant, checked by the unit tests: reaching this is a programming error.
  if (org === undefined || orderers.length !== 1)
    throw new RangeError('the consortium needs one orderer org');
  return org;
}

/** The ordering service's org. */
export const ORDERER_ORG: OrgSpec = onlyOrdererOrg();

/** `<key>.veriscan.local`, the org's domain and the `O=` of its certificates. */
export function orgDomain(org: Pick<OrgSpec, 'key'>): string {
  return `${org.key}.${CONSORTIUM_DOMAIN}`;
}

/** The member id of an org's admin user, e.g. `hospital-admin`. */
export function adminMemberId(org: Pick<OrgSpec, 'key'>): string {
  return `${org.key}-admin`;
}

/** `peer<i>.<key>.veriscan.local`: a peer's host name, its certificate CN and TLS server name. */
export function peerHost(org: Pick<OrgSpec, 'key'>, index = 0): string {
  return `peer${index}.${orgDomain(org)}`;
}

/** `orderer<i>.orderer.veriscan.local`: an orderer's host name. */
export function ordererHost(index: number): string {
  return `orderer${index}.${orgDomain(ORDERER_ORG)}`;
}

/** `peer0.<key>`: a peer's short name in the connection profile, pid files and folders. */
export function peerName(org: Pick<OrgSpec, 'key'>, index = 0): string {
  return `peer${index}.${org.key}`;
}

/** The peer org whose members have `role`, e.g. the org of every hospital. */
export function orgOfRole(role: MemberRole): PeerOrgSpec {
  const org = PEER_ORGS.find((o) => o.memberRole === role);
  if (org === undefined) throw new RangeError(`no org in the consortium has ${role} members`);
  return org;
}

/** The peer org with this MSP id, or undefined. */
export function peerOrgByMspId(mspId: string): PeerOrgSpec | undefined {
  return PEER_ORGS.find((o) => o.mspId === mspId);
}

/** The admin identity's name of the org whose members have `role`, e.g. `hospital-admin`. */
export function adminOfRole(role: MemberRole): string {
  return adminMemberId(orgOfRole(role));
}

/** MSP ids of the orgs whose peers endorse writes. */
export const ENDORSING_MSPS: readonly string[] = PEER_ORGS.filter((o) => o.endorses).map((o) => o.mspId);

/** MSP ids of the orgs that may read but never write (their admins included). */
export const READ_ONLY_MSPS: readonly string[] = PEER_ORGS.filter((o) => !o.endorses).map((o) => o.mspId);

/**
 * The Veriscan chaincode's endorsement policy: a peer of every endorsing org. The regulator reads
 * but never endorses, so its peer must not count towards a write.
 */
export const ENDORSEMENT_POLICY = `AND(${ENDORSING_MSPS.map((msp) => `'${msp}.peer'`).join(',')})`;

/**
 * The devnet's `_lifecycle` endorsement policy, Fabric's default `MAJORITY Endorsement` over the
 * application orgs written as the equivalent signature policy.
 */
export const LIFECYCLE_POLICY = `OutOf(${Math.floor(PEER_ORGS.length / 2) + 1},${PEER_ORGS.map((o) => `'${o.mspId}.peer'`).join(',')})`;

/**
 * Which MSPs a `veriscan.role` attribute is valid from: a `lab` attribute on a hospital org's
 * certificate is not a lab. Admins come from any peer org.
 */
export const ROLE_MSPS: Readonly<Record<VeriscanRole, readonly string[]>> = {
  hospital: PEER_ORGS.filter((o) => o.memberRole === 'hospital').map((o) => o.mspId),
  lab: PEER_ORGS.filter((o) => o.memberRole === 'lab').map((o) => o.mspId),
  regulator: PEER_ORGS.filter((o) => o.memberRole === 'regulator').map((o) => o.mspId),
  admin: PEER_ORGS.map((o) => o.mspId),
};

/** The demo members (every application user of a peer org), in table order. */
export const DEMO_MEMBERS: readonly { readonly memberId: string; readonly role: MemberRole }[] =
  PEER_ORGS.flatMap((org) =>
    org.users.flatMap((u) => (u.role === 'admin' ? [] : [{ memberId: u.member, role: u.role }])),
  );

/** Real Fabric: orderer<i> listens on 17050 + 100·i, osnadmin on +3, operations on 19443 + i. */
export const FABRIC_ORDERER_PORTS = {
  base: 17050,
  step: 100,
  adminOffset: 3,
  operationsBase: 19443,
} as const;

/** The devnet's port plan, relative to its base (default 7050). */
export const DEVNET_PORTS = {
  defaultBase: 7050,
  /** The orderer listens on the base itself. */
  ordererOffset: 0,
  /** Chaincode servers take ports from base + this offset up. */
  chaincodeOffset: 2949,
} as const;
