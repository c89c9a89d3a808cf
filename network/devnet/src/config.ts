/**
 * The devnet's one typed configuration: topology, ports, batching and where state lives. Defaults
 * here; `VERISCAN_HOME` moves the state folder (default `<repo>/.veriscan`) and
 * `VERISCAN_DEVNET_PORT_BASE` shifts every port (default 7050). The peer orgs are the consortium
 * table's followed by the institutions added to this network since (`<state>/consortium/
 * added-orgs.json`), each at the ports of its slot.
 */
import { join, resolve } from 'node:path';
import {
  CHAINCODE_NAME,
  CHANNEL_ID,
  CONSORTIUM,
  DEVNET_PORTS,
  ENDORSEMENT_POLICY_REF,
  ORDERER_ORG,
  PEER_ORGS,
  allPeerOrgs,
  cryptoLayout,
  ordererHost,
  peerHost,
  peerName,
  veriscanPaths,
  type CryptoLayout,
  type OrgSpec,
} from '@veriscan/fabric-kit';
import { DevnetError } from './errors';
import type { BatchConfig } from './orderer/block-cutter';

export interface PeerConfig {
  /** Short name used for folders, pid files and the connection profile, e.g. `peer0.hospital-a`. */
  readonly name: string;
  /** Org key in the crypto layout and the consortium table, e.g. `hospital-a`. */
  readonly orgKey: string;
  readonly mspId: string;
  readonly host: string;
  readonly port: number;
}

/** A peer org: it runs its own chaincode servers, one per deployed chaincode. */
export interface PeerOrgConfig {
  /** Org key, e.g. `lab-1`. */
  readonly key: string;
  readonly mspId: string;
}

export interface DevnetConfig {
  readonly repoRoot: string;
  readonly stateDir: string;
  readonly cryptoDir: string;
  readonly devnetDir: string;
  /** `<devnetDir>/chaincodes`: install info (package id, each org's server address) of each deployed chaincode. */
  readonly installDir: string;
  readonly profileFile: string;
  readonly channelId: string;
  readonly batch: BatchConfig;
  readonly orderer: {
    readonly name: string;
    readonly host: string;
    readonly port: number;
    readonly mspId: string;
  };
  readonly peers: readonly PeerConfig[];
  /** The peer orgs: the table's in table order, then the added ones in the order they joined. */
  readonly peerOrgs: readonly PeerOrgConfig[];
  /**
   * Every org whose crypto material the devnet reads: the table's and the added ones. An added org's
   * material sits in the same layout (`<crypto>/peerOrganizations/<key>.veriscan.local/`).
   */
  readonly consortium: readonly OrgSpec[];
  /**
   * First port for chaincode servers; each deployed chaincode takes the next free block of as many
   * consecutive ports as there are peer orgs (one server per org, in `peerOrgs` order).
   */
  readonly chaincodePortBase: number;
  /** The chaincode `npm start` deploys. */
  readonly veriscanChaincode: { readonly name: string; readonly path: string; readonly policy: string };
}

/** The crypto layout of every org the devnet knows, added ones included. */
export function devnetCryptoLayout(config: Pick<DevnetConfig, 'cryptoDir' | 'consortium'>): CryptoLayout {
  return cryptoLayout(config.cryptoDir, config.consortium);
}

export function repoRootFrom(dir: string): string {
  // dist/config.js and src/config.ts both sit three levels below the repo root (network/devnet/x).
  return resolve(dir, '..', '..', '..');
}

function portBase(env: NodeJS.ProcessEnv): number {
  const raw = env.VERISCAN_DEVNET_PORT_BASE;
  if (raw === undefined || raw === '') return DEVNET_PORTS.defaultBase;
  const n = Number.parseInt(raw, 10);
  // Chaincode servers start at base + 2949, a block of one port per peer org for each chaincode;
  // keeping every port below Linux's ephemeral range (32768+) means an
  // outgoing connection can never hold a node's port when the node starts.
  if (!Number.isInteger(n) || n < 1024 || n > 29000) {
    throw new DevnetError(
      'INVALID_CONFIG',
      'VERISCAN_DEVNET_PORT_BASE must be an integer in 1024..29000 (ports stay below the ephemeral range)',
    );
  }
  return n;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): DevnetConfig {
  const repoRoot = repoRootFrom(__dirname);
  const { stateDir, cryptoDir, profileFile } = veriscanPaths(env);
  const devnetDir = join(stateDir, 'devnet');
  const base = portBase(env);
  const peerOrgs = allPeerOrgs(stateDir);
  const added = peerOrgs.filter((org) => !PEER_ORGS.some((founder) => founder.key === org.key));
  return {
    repoRoot,
    stateDir,
    cryptoDir,
    devnetDir,
    installDir: join(devnetDir, 'chaincodes'),
    profileFile,
    channelId: CHANNEL_ID,
    batch: { batchTimeoutMs: 100, maxMessageCount: 500, preferredMaxBytes: 2 * 1024 * 1024 },
    orderer: {
      name: 'orderer0',
      host: ordererHost(0),
      port: base + DEVNET_PORTS.ordererOffset,
      mspId: ORDERER_ORG.mspId,
    },
    peers: peerOrgs.map((org) => ({
      name: peerName(org),
      orgKey: org.key,
      mspId: org.mspId,
      host: peerHost(org),
      port: base + org.ports.devnetOffset,
    })),
    peerOrgs: peerOrgs.map((org) => ({ key: org.key, mspId: org.mspId })),
    consortium: [...CONSORTIUM, ...added],
    chaincodePortBase: base + DEVNET_PORTS.chaincodeOffset,
    veriscanChaincode: {
      name: CHAINCODE_NAME,
      path: join(repoRoot, 'chaincode'),
      policy: ENDORSEMENT_POLICY_REF,
    },
  };
}
