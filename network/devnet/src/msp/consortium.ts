/**
 * Who is in the Veriscan consortium: organisations, MSP ids, domains, nodes and demo users.
 *
 * This is the devnet's equivalent of the `crypto-config.yaml` that Fabric's cryptogen reads
 * (cmd/cryptogen/main.go `OrgSpec`), kept as typed data so that the material generator, the
 * layout description and the network wiring all derive from one table.
 */

/** The TLD under which every org domain lives. */
export const CONSORTIUM_DOMAIN = 'veriscan.local';

/** The `veriscan.role` attribute values carried by user certificates. */
export const VERISCAN_ROLES = ['hospital', 'lab', 'regulator', 'admin'] as const;
/** A Veriscan role, as read by the chaincode from the `veriscan.role` attribute. */
export type VeriscanRole = (typeof VERISCAN_ROLES)[number];

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

/** One organisation of the consortium. */
export interface OrgSpec {
  /** Short key, e.g. `hospital`; the domain is `<key>.veriscan.local`. */
  readonly key: string;
  readonly mspId: string;
  readonly kind: 'orderer' | 'peer';
  /** Number of nodes (peers or orderers), named `peer0`… or `orderer0`…. */
  readonly nodeCount: number;
  /** Application users besides the org admin (peer orgs only). */
  readonly users: readonly UserSpec[];
}

/**
 * The consortium. The orderer org has four orderers so the same material serves a 3-node Raft or a
 * 4-node BFT network on real Fabric; the devnet itself runs `orderer0` only.
 */
export const CONSORTIUM: readonly OrgSpec[] = [
  { key: 'orderer', mspId: 'OrdererMSP', kind: 'orderer', nodeCount: 4, users: [] },
  {
    key: 'hospital',
    mspId: 'HospitalMSP',
    kind: 'peer',
    nodeCount: 1,
    users: [
      { member: 'hospital-a', role: 'hospital' },
      { member: 'hospital-b', role: 'hospital' },
    ],
  },
  {
    key: 'lab',
    mspId: 'LabMSP',
    kind: 'peer',
    nodeCount: 1,
    users: [
      { member: 'lab-1', role: 'lab' },
      { member: 'lab-2', role: 'lab' },
    ],
  },
  {
    key: 'regulator',
    mspId: 'RegulatorMSP',
    kind: 'peer',
    nodeCount: 1,
    users: [{ member: 'regulator-1', role: 'regulator' }],
  },
];

/** `<key>.veriscan.local`, the org's domain and the `O=` of its certificates. */
export function orgDomain(org: Pick<OrgSpec, 'key'>): string {
  return `${org.key}.${CONSORTIUM_DOMAIN}`;
}

/** The member id of an org's admin user, e.g. `hospital-admin`. */
export function adminMemberId(org: Pick<OrgSpec, 'key'>): string {
  return `${org.key}-admin`;
}
