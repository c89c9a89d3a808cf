/**
 * The native network's shape: orgs, nodes, ports and where the launcher's files live, derived from the
 * one consortium table (fabric-kit/src/consortium.ts) and fabric-kit's state paths. Ports sit above
 * the devnet's so both networks can run side by side.
 */
import { join, resolve } from 'node:path';
import {
  CHAINCODE_NAME,
  CHANNEL_ID,
  ENDORSEMENT_POLICY_REF,
  FABRIC_ORDERER_PORTS,
  ORDERER_ORG,
  PEER_ORGS as CONSORTIUM_PEER_ORGS,
  allPeerOrgs,
  networkCryptoLayout,
  type CryptoLayout,
  type PeerOrgSpec,
  ordererHost,
  orgDomain,
  peerName,
  veriscanPaths,
} from '@veriscan/fabric-kit';

/** The one application channel. */
export const CHANNEL = CHANNEL_ID;

/** The chaincode definition every org approves; bump `sequence` whenever any field or a package changes. */
export const CHAINCODE = Object.freeze({
  name: CHAINCODE_NAME,
  label: `${CHAINCODE_NAME}_1.0`,
  version: '1.0',
  sequence: 1,
  // The channel's MAJORITY Endorsement: covers an org admitted later without a new definition; the
  // regulator's own Endorsement policy is unsatisfiable, so its peer never counts towards a write.
  channelConfigPolicy: ENDORSEMENT_POLICY_REF,
});

export const ORDERER_DOMAIN = orgDomain(ORDERER_ORG);
export const ORDERER_MSP_ID = ORDERER_ORG.mspId;

/** A peer org as the launcher uses it: one peer, its ports, its chaincode server. */
export interface FabricPeerOrg {
  /** e.g. `hospital-a`. */
  readonly key: string;
  /** configtx.yaml's organisation name, e.g. `HospitalA`. */
  readonly orgName: string;
  readonly mspId: string;
  /** Endorser, Deliver and the Gateway. */
  readonly peerPort: number;
  /** Operations (/healthz, /metrics). */
  readonly opsPort: number;
  /** Where the org's own chaincode server listens. */
  readonly chaincodePort: number;
  /** Identity names of the org's application users. */
  readonly users: readonly string[];
  /** e.g. `hospital.veriscan.local`. */
  readonly domain: string;
  /** The peer's short name, e.g. `peer0.hospital-a` (process, log and profile name). */
  readonly peerName: string;
  /** Whether its peer counts towards Veriscan writes (the regulator's never does). */
  readonly endorses: boolean;
}

/**
 * Peer orgs, one peer each. Each org runs its own chaincode server, as in a real consortium, so
 * `getMspID()` in the chaincode is that org's.
 */
export const PEER_ORGS: readonly FabricPeerOrg[] = Object.freeze(CONSORTIUM_PEER_ORGS.map(fabricPeerOrg));

function fabricPeerOrg(org: PeerOrgSpec): FabricPeerOrg {
  return Object.freeze({
    key: org.key,
    orgName: org.orgName,
    mspId: org.mspId,
    peerPort: org.ports.fabricPeer,
    opsPort: org.ports.fabricOperations,
    chaincodePort: org.ports.fabricChaincode,
    users: org.users.map((u) => u.name),
    domain: orgDomain(org),
    peerName: peerName(org),
    endorses: org.endorses,
  });
}

/**
 * The peer orgs of the running network: the table's (those in the genesis block) followed by the
 * institutions added since (`allPeerOrgs`), each with its own peer and chaincode server.
 */
export function runningPeerOrgs(paths: Pick<LauncherPaths, 'veriscan'>): readonly FabricPeerOrg[] {
  return allPeerOrgs(paths.veriscan).map(fabricPeerOrg);
}

/** The crypto layout of every org of the running network. */
export function launcherCryptoLayout(paths: Pick<LauncherPaths, 'veriscan' | 'crypto'>): CryptoLayout {
  return networkCryptoLayout(paths.veriscan, paths.crypto);
}

/** A consensus choice. */
export interface Topology {
  readonly consensus: 'raft' | 'bft';
  readonly orderers: number;
  /** The configtx.yaml profile that writes its genesis block. */
  readonly profile: string;
}

/** Consensus choices: Raft with 1 or 3 orderers, or SmartBFT with 4 (tolerates one faulty orderer). */
export const TOPOLOGIES = Object.freeze({
  'raft-1': Object.freeze({ consensus: 'raft', orderers: 1, profile: 'VeriscanRaft1' }),
  'raft-3': Object.freeze({ consensus: 'raft', orderers: 3, profile: 'VeriscanRaft3' }),
  'bft-4': Object.freeze({ consensus: 'bft', orderers: 4, profile: 'VeriscanBFT4' }),
} satisfies Record<string, Topology>);

/** `raft-1`, `raft-3` or `bft-4`. */
export type TopologyKey = keyof typeof TOPOLOGIES;

/** A topology with its key. */
export type ChosenTopology = Topology & { readonly key: TopologyKey };

export function isTopologyKey(value: unknown): value is TopologyKey {
  return typeof value === 'string' && Object.hasOwn(TOPOLOGIES, value);
}

/** One orderer of a topology. */
export interface OrdererNode {
  readonly index: number;
  /** e.g. `orderer1` (process, log and data folder name). */
  readonly name: string;
  /** e.g. `orderer1.orderer.veriscan.local`. */
  readonly host: string;
  /** Broadcast, Deliver and cluster traffic. */
  readonly port: number;
  /** osnadmin (channel participation API). */
  readonly adminPort: number;
  /** Operations (/healthz, /metrics). */
  readonly opsPort: number;
}

/**
 * The orderers of a topology: orderer<i> listens on 17050 + 100·i (Broadcast, Deliver and cluster traffic),
 * its osnadmin API on 17053 + 100·i, operations (/healthz, /metrics) on 19443 + i.
 */
export function ordererNodes(count: number): OrdererNode[] {
  return Array.from({ length: count }, (_, index) => ({
    index,
    name: `orderer${index}`,
    host: ordererHost(index),
    port: FABRIC_ORDERER_PORTS.base + FABRIC_ORDERER_PORTS.step * index,
    adminPort:
      FABRIC_ORDERER_PORTS.base + FABRIC_ORDERER_PORTS.step * index + FABRIC_ORDERER_PORTS.adminOffset,
    opsPort: FABRIC_ORDERER_PORTS.operationsBase + index,
  }));
}

/** Every path the launcher reads or writes. */
export interface LauncherPaths {
  /** The repository root (the chaincode is built and served from there). */
  readonly root: string;
  /** `VERISCAN_HOME`, or `<repo>/.veriscan`. */
  readonly veriscan: string;
  /** The shared crypto material. */
  readonly crypto: string;
  /** The connection profile `network.json`. */
  readonly profile: string;
  /** `.veriscan/fabric`: everything this launcher writes. */
  readonly state: string;
  readonly stateFile: string;
  readonly logs: string;
  readonly pids: string;
  /** Ledgers, WAL and snapshots, one folder per node. */
  readonly data: string;
  /** The generated configtx.yaml. */
  readonly renderedConfig: string;
  readonly channelBlock: string;
  readonly packages: string;
  /** `network/fabric/config`: core.yaml and orderer.yaml. */
  readonly configDir: string;
  /** `network/fabric/builders/ccaas`: the external builder for chaincode-as-a-service. */
  readonly builderDir: string;
  readonly chaincodeDir: string;
}

// dist/topology.js and src/topology.ts both sit one level below the package folder.
const PACKAGE_DIR = resolve(__dirname, '..');

/**
 * The launcher's paths. `VERISCAN_HOME` moves the state folder (default `<repo>/.veriscan`), as it does
 * for the devnet, so both networks share the crypto material there.
 */
export function launcherPaths(env: NodeJS.ProcessEnv = process.env): LauncherPaths {
  const { repoRoot, stateDir, cryptoDir, profileFile } = veriscanPaths(env);
  const state = join(stateDir, 'fabric');
  return {
    root: repoRoot,
    veriscan: stateDir,
    crypto: cryptoDir,
    profile: profileFile,
    state,
    stateFile: join(state, 'state.json'),
    logs: join(state, 'logs'),
    pids: join(state, 'pids'),
    data: join(state, 'data'),
    renderedConfig: join(state, 'config'),
    channelBlock: join(state, 'channel', `${CHANNEL}.block`),
    packages: join(state, 'packages'),
    configDir: join(PACKAGE_DIR, 'config'),
    builderDir: join(PACKAGE_DIR, 'builders', 'ccaas'),
    chaincodeDir: join(repoRoot, 'chaincode'),
  };
}

/**
 * The environment variable docker-compose reads an org's chaincode package id from, e.g.
 * `HOSPITAL_A_CHAINCODE_ID`: only letters, digits and `_`, since compose (like a shell) reads
 * `${HOSPITAL-A_…}` as `HOSPITAL` with a default.
 */
export function chaincodeIdVariable(org: Pick<FabricPeerOrg, 'key'>): string {
  return `${org.key.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_CHAINCODE_ID`;
}
