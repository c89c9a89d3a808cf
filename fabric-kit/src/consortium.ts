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

/** The kinds of institution a peer org can be; its on-chain member record carries the same word. */
export const MEMBER_ROLES = ['hospital', 'lab', 'regulator'] as const;
/** An institution's kind: the `role` of its member record on the ledger. */
export type MemberRole = (typeof MEMBER_ROLES)[number];

/**
 * The `veriscan.job` certificate attribute: what a user does inside its institution. The chaincode
 * takes the institution (and its role) from the caller's MSP id and the ledger's member record, and
 * only the job from the certificate: `admin` votes and manages the institution's record,
 * `clinician` submits a hospital's scans, `operator` runs a lab's service, `auditor` reads for a
 * regulator. docs/consortium.md holds the full matrix.
 */
export const JOBS = ['admin', 'clinician', 'operator', 'auditor'] as const;
/** A user's job inside its institution. */
export type Job = (typeof JOBS)[number];

/** The jobs an institution of each kind issues to its application users (its admins hold `admin`). */
export const JOBS_OF_ROLE: Readonly<Record<MemberRole, readonly Exclude<Job, 'admin'>[]>> = {
  hospital: ['clinician'],
  lab: ['operator'],
  regulator: ['auditor'],
};

/** The NodeOU roles of Fabric's MSP (msp/mspimpl.go `hasOURoleInternal`), one per certificate. */
export const NODE_OU_ROLES = ['client', 'peer', 'admin', 'orderer'] as const;
/** A NodeOU role: the OU that classifies a certificate inside its MSP. */
export type NodeOuRole = (typeof NODE_OU_ROLES)[number];

/** An application user to enrol in a peer org (the org admin, `<key>-admin`, is always enrolled too). */
export interface UserSpec {
  /** The identity's name in the connection profile and its `hf.EnrollmentID`, e.g. `hospital-a`. */
  readonly name: string;
  readonly job: Exclude<Job, 'admin'>;
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
  /** Short key, also the institution's member id on the ledger, e.g. `hospital-a`; the domain is `<key>.veriscan.local`. */
  readonly key: string;
  readonly mspId: string;
  /** The organisation's `Name` in a channel configuration (configtx.yaml), e.g. `HospitalA`. */
  readonly orgName: string;
  readonly kind: 'orderer' | 'peer';
  /** The institution's kind, proposed for its member record at genesis (peer orgs only). */
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
 * Ports of the peer org in slot `slot` (0-based, table order; an org added later takes the next
 * slot): devnet peers 500 apart from base + 1, real-Fabric peers 100 apart from 18051.
 */
export function peerPortsOfSlot(slot: number): PeerPorts {
  return {
    devnetOffset: 1 + 500 * slot,
    fabricPeer: 18051 + 100 * slot,
    fabricOperations: 19450 + slot,
    fabricChaincode: 19960 + slot,
  };
}

/** The application user's job of each institution kind. */
const APP_JOB: Readonly<Record<MemberRole, Exclude<Job, 'admin'>>> = {
  hospital: 'clinician',
  lab: 'operator',
  regulator: 'auditor',
};

/**
 * The org of an institution that joins after genesis (`veriscan consortium add-org`): key
 * `hospital-c` gives MSP id `HospitalCMSP` and org name `HospitalC`; `slot` places its ports.
 * @throws RangeError for a key that is not a lowercase slug starting with a letter.
 */
export function institutionSpec(key: string, memberRole: MemberRole, slot: number): PeerOrgSpec {
  if (!/^[a-z][a-z0-9-]{0,30}[a-z0-9]$/.test(key))
    throw new RangeError(`org key ${key} is not a lowercase slug`);
  const orgName = key
    .split('-')
    .map((part) => `${part.charAt(0).toUpperCase()}${part.slice(1)}`)
    .join('');
  return {
    key,
    mspId: `${orgName}MSP`,
    orgName,
    kind: 'peer',
    memberRole,
    endorses: memberRole !== 'regulator',
    nodeCount: 1,
    users: [{ name: key, job: APP_JOB[memberRole] }],
    ports: peerPortsOfSlot(slot),
  };
}

/**
 * The consortium: the ordering service's org and one org per institution, each with its own CA,
 * TLS CA, peer, admin and users. The orderer org has four orderers so the same material serves a
 * 3-node Raft or a 4-node BFT network on real Fabric; the devnet itself runs `orderer0` only.
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
  institutionSpec('hospital-a', 'hospital', 0),
  institutionSpec('hospital-b', 'hospital', 1),
  institutionSpec('lab-1', 'lab', 2),
  institutionSpec('lab-2', 'lab', 3),
  institutionSpec('regulator-1', 'regulator', 4),
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

/** The identity name of an org's admin user, e.g. `hospital-a-admin`. */
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

/** The peer orgs whose institutions are of kind `role`, in table order. */
export function orgsOfRole(role: MemberRole): readonly PeerOrgSpec[] {
  return PEER_ORGS.filter((o) => o.memberRole === role);
}

/** The peer org with this key (= the institution's member id), e.g. `lab-1`. */
export function peerOrgByKey(key: string): PeerOrgSpec {
  const org = PEER_ORGS.find((o) => o.key === key);
  if (org === undefined) throw new RangeError(`no org ${key} in the consortium`);
  return org;
}

/** The peer org with this MSP id, or undefined. */
export function peerOrgByMspId(mspId: string): PeerOrgSpec | undefined {
  return PEER_ORGS.find((o) => o.mspId === mspId);
}

/** MSP ids of the orgs whose peers endorse writes. */
export const ENDORSING_MSPS: readonly string[] = PEER_ORGS.filter((o) => o.endorses).map((o) => o.mspId);

/** MSP ids of the orgs whose peers commit but never endorse. */
export const READ_ONLY_MSPS: readonly string[] = PEER_ORGS.filter((o) => !o.endorses).map((o) => o.mspId);

/**
 * The admin identity tooling uses for channel-wide chores (deploying chaincode, the genesis
 * proposal): the first endorsing institution's admin. Nothing on the ledger gives it more power than
 * any other admin.
 */
export const DEFAULT_ADMIN: string = adminMemberId(firstEndorsingOrg());

function firstEndorsingOrg(): PeerOrgSpec {
  const org = PEER_ORGS.find((o) => o.endorses);
  // A table invariant, checked by the unit tests.
  if (org === undefined) throw new RangeError('the consortium needs an endorsing org');
  return org;
}

/**
 * The name of the channel policy that decides Veriscan writes: each application org defines a
 * sub-policy of this name and the Application group `MAJORITY VeriscanEndorsement` over them. It is
 * not Fabric's `Endorsement`, because an org's own `Endorsement` policy also guards its lifecycle
 * approvals (core/chaincode/lifecycle `ImplicitCollectionEndorsementPolicyAsBytes`), and the
 * regulator's peer must approve the chaincode to run it for queries.
 */
export const VERISCAN_ENDORSEMENT = 'VeriscanEndorsement';

/** The channel policy the Veriscan chaincode's definition references. */
export const ENDORSEMENT_POLICY_REF = `/Channel/Application/${VERISCAN_ENDORSEMENT}`;

/** An org's own `Endorsement` policy in the channel configuration (its lifecycle approvals too): its peer. */
export function orgEndorsementRule(org: Pick<OrgSpec, 'mspId'>): string {
  return `OR('${org.mspId}.peer')`;
}

/**
 * An org's `VeriscanEndorsement` policy: its peer, or, for an org that never endorses writes,
 * `OutOf(2, '<msp>.peer')` — Fabric's policy DSL permits t = n + 1 (common/policydsl/policyparser.go),
 * which is never satisfied yet still converts to a signature policy, so discovery can plan with the
 * channel's MAJORITY while that org's peer never counts.
 */
export function orgVeriscanEndorsementRule(org: Pick<OrgSpec, 'mspId' | 'endorses'>): string {
  return org.endorses ? `OR('${org.mspId}.peer')` : `OutOf(2,'${org.mspId}.peer')`;
}

/**
 * `MAJORITY VeriscanEndorsement` over `orgs` written as the signature policy Fabric converts it to
 * (common/policies/convert.go): `OutOf(⌊n/2⌋+1, <each org's rule>)`. With the demo's five
 * institutions: three of the four endorsing orgs' peers.
 */
export function majorityEndorsementOf(orgs: readonly Pick<OrgSpec, 'mspId' | 'endorses'>[]): string {
  const rules = orgs.map((o) => (o.endorses ? `'${o.mspId}.peer'` : orgVeriscanEndorsementRule(o)));
  return `OutOf(${Math.floor(orgs.length / 2) + 1},${rules.join(',')})`;
}

/**
 * The Veriscan chaincode's endorsement policy as a signature policy: {@link ENDORSEMENT_POLICY_REF}
 * resolved over the table's orgs. Real Fabric commits the reference itself, so an org admitted by a
 * channel configuration update is covered at once; the devnet evaluates this resolved form.
 */
export const ENDORSEMENT_POLICY = majorityEndorsementOf(PEER_ORGS);

/**
 * The devnet's `_lifecycle` policy: the channel's `LifecycleEndorsement` (`MAJORITY Endorsement`)
 * resolved over the table's orgs, every org's peer counting.
 */
export const LIFECYCLE_POLICY = `OutOf(${Math.floor(PEER_ORGS.length / 2) + 1},${PEER_ORGS.map((o) => `'${o.mspId}.peer'`).join(',')})`;

/** The demo institutions, proposed as the founding members at genesis, in table order. */
export const DEMO_MEMBERS: readonly {
  readonly memberId: string;
  readonly mspId: string;
  readonly role: MemberRole;
}[] = PEER_ORGS.map((org) => ({ memberId: org.key, mspId: org.mspId, role: org.memberRole }));

/**
 * Each hospital's and regulator's gateway (gateway-app) serves its users on 7300 + its org slot by
 * default (hospital-a 7300, hospital-b 7301, regulator-1 7304), and a hospital serves other
 * institutions (its scan exchange, HTTPS) on 7400 + slot: its blob endpoint is `https://…:7400/blobs`.
 */
export const GATEWAY_PORT_BASE = 7300;
export const GATEWAY_EXCHANGE_PORT_BASE = 7400;

function slotOf(org: Pick<OrgSpec, 'key'>): number {
  const slot = PEER_ORGS.findIndex((o) => o.key === org.key);
  return slot < 0 ? 0 : slot;
}

/** The whole demo system (`npm start`) runs each lab's API on 7200 + its org slot (lab-1 7202, lab-2 7203). */
export const LAB_API_PORT_BASE = 7200;

/** The demo port of a lab's API. */
export function labApiPort(org: Pick<OrgSpec, 'key'>): number {
  return LAB_API_PORT_BASE + slotOf(org);
}

/** The default user-facing gateway port of a peer org. */
export function gatewayPort(org: Pick<OrgSpec, 'key'>): number {
  return GATEWAY_PORT_BASE + slotOf(org);
}

/** The default port of a hospital gateway's scan exchange (HTTPS, for labs and regulators). */
export function gatewayExchangePort(org: Pick<OrgSpec, 'key'>): number {
  return GATEWAY_EXCHANGE_PORT_BASE + slotOf(org);
}

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
