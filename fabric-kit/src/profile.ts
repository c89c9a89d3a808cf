/**
 * The connection profile every network writes to `.veriscan/network.json` and everything above the
 * network (apps, CLI, tests, benchmarks) reads: no hard-coded ports or paths anywhere else. Both
 * networks build it with {@link buildNetworkProfile} from the crypto layout and their peers' endpoints
 * and write it with {@link writeNetworkProfile}.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { FabricKitError } from './errors';
import type { CryptoLayout } from './msp/layout.js';

export interface PeerProfile {
  /** MSP id of the owning org, e.g. `HospitalAMSP`. */
  readonly mspId: string;
  /** host:port of the peer's gRPC endpoint (Gateway, Endorser, Deliver). */
  readonly endpoint: string;
  /** TLS server name to expect (the cert's DNS SAN), e.g. `peer0.hospital-a.veriscan.local`. */
  readonly hostAlias: string;
  /** PEM file of the org's TLS CA, to trust the peer. */
  readonly tlsCaFile: string;
}

export interface IdentityProfile {
  readonly mspId: string;
  /** PEM certificate (signcerts). */
  readonly certFile: string;
  /** PKCS#8 PEM private key (keystore). */
  readonly keyFile: string;
  /** Name of the peer in `peers` this identity connects to (its own org's peer). */
  readonly peer: string;
}

export interface NetworkProfile {
  /** Which network wrote the profile. */
  readonly network: 'devnet' | 'fabric';
  readonly channel: string;
  /** Chaincode names deployed on the channel, e.g. `{ veriscan: { name: 'veriscan' } }`. */
  readonly chaincodes: Readonly<Record<string, { readonly name: string }>>;
  /** Peers by name, e.g. `peer0.hospital-a`. */
  readonly peers: Readonly<Record<string, PeerProfile>>;
  /** Demo identities by name: `hospital-a`, `hospital-b`, `lab-1`, `lab-2`, `regulator-1`, `hospital-a-admin`, ... */
  readonly identities: Readonly<Record<string, IdentityProfile>>;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function str(obj: Record<string, unknown>, field: string, where: string): string {
  const value = obj[field];
  if (typeof value !== 'string' || value.length === 0)
    throw new FabricKitError('INVALID_PROFILE', `${where}.${field} must be a non-empty string`);
  return value;
}

function recordOf<T>(value: unknown, where: string, parse: (v: unknown, w: string) => T): Record<string, T> {
  if (!isRecord(value)) throw new FabricKitError('INVALID_PROFILE', `${where} must be an object`);
  const out: Record<string, T> = {};
  for (const [name, entry] of Object.entries(value)) out[name] = parse(entry, `${where}.${name}`);
  return out;
}

/** Validates a parsed `network.json`. @throws Error naming the first bad field. */
export function parseNetworkProfile(value: unknown): NetworkProfile {
  if (!isRecord(value)) throw new FabricKitError('INVALID_PROFILE', 'network profile must be an object');
  const network = value.network;
  if (network !== 'devnet' && network !== 'fabric')
    throw new FabricKitError('INVALID_PROFILE', 'network must be "devnet" or "fabric"');
  return {
    network,
    channel: str(value, 'channel', 'profile'),
    chaincodes: recordOf(value.chaincodes, 'chaincodes', (v, w) => {
      if (!isRecord(v)) throw new FabricKitError('INVALID_PROFILE', `${w} must be an object`);
      return { name: str(v, 'name', w) };
    }),
    peers: recordOf(value.peers, 'peers', (v, w) => {
      if (!isRecord(v)) throw new FabricKitError('INVALID_PROFILE', `${w} must be an object`);
      return {
        mspId: str(v, 'mspId', w),
        endpoint: str(v, 'endpoint', w),
        hostAlias: str(v, 'hostAlias', w),
        tlsCaFile: str(v, 'tlsCaFile', w),
      };
    }),
    identities: recordOf(value.identities, 'identities', (v, w) => {
      if (!isRecord(v)) throw new FabricKitError('INVALID_PROFILE', `${w} must be an object`);
      return {
        mspId: str(v, 'mspId', w),
        certFile: str(v, 'certFile', w),
        keyFile: str(v, 'keyFile', w),
        peer: str(v, 'peer', w),
      };
    }),
  };
}

/** Reads and validates a connection profile file. */
export function readNetworkProfile(file: string): NetworkProfile {
  const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
  return parseNetworkProfile(parsed);
}

/** Where a network's peer listens, as the network itself knows it. */
export interface PeerEndpoint {
  /** The peer's name in the profile, e.g. `peer0.hospital-a`. */
  readonly name: string;
  /** MSP id of the owning org; its crypto material supplies the TLS CA and the identities. */
  readonly mspId: string;
  /** host:port of the peer's gRPC endpoint. */
  readonly endpoint: string;
  /** TLS server name the peer's certificate carries, e.g. `peer0.hospital-a.veriscan.local`. */
  readonly hostAlias: string;
}

/** What {@link buildNetworkProfile} builds a profile from. */
export type NetworkProfileSource = Readonly<{
  network: NetworkProfile['network'];
  channel: string;
  /** Chaincode names deployed on the channel. */
  chaincodes: readonly string[];
  /** The generated crypto material (`cryptoLayout(cryptoDir)`). */
  crypto: CryptoLayout;
  /** Every peer apps may connect to; each org's users connect to its org's peer. */
  peers: readonly PeerEndpoint[];
}>;

/**
 * The profile of a running network: each peer with its org's TLS CA, and every user of each peer's org
 * (admin first, then the application users) as an identity that connects to that peer.
 * @throws FabricKitError `UNKNOWN_NAME` when a peer's MSP id has no crypto material.
 */
export function buildNetworkProfile(source: NetworkProfileSource): NetworkProfile {
  const peers: Record<string, PeerProfile> = {};
  const identities: Record<string, IdentityProfile> = {};
  for (const peer of source.peers) {
    const org = source.crypto.orgs.find((o) => o.mspId === peer.mspId);
    if (org === undefined)
      throw new FabricKitError(
        'UNKNOWN_NAME',
        `no crypto material for ${peer.mspId} in ${source.crypto.rootDir}`,
      );
    peers[peer.name] = {
      mspId: peer.mspId,
      endpoint: peer.endpoint,
      hostAlias: peer.hostAlias,
      tlsCaFile: org.tlsCaCertFile,
    };
    for (const user of org.users) {
      identities[user.member] = {
        mspId: org.mspId,
        certFile: user.signCertFile,
        keyFile: user.keyFile,
        peer: peer.name,
      };
    }
  }
  return {
    network: source.network,
    channel: source.channel,
    chaincodes: Object.fromEntries(source.chaincodes.map((name) => [name, { name }])),
    peers,
    identities,
  };
}

/** Writes `profile` to `file` atomically (through a temporary file and a rename: readers never see half). */
export function writeNetworkProfile(file: string, profile: NetworkProfile): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(profile, null, 2)}\n`);
  renameSync(tmp, file);
}

/**
 * Removes `file` if `network` wrote it, so one network's `down` leaves the other's profile alone.
 * @returns true when it removed the file.
 */
export function removeNetworkProfileIfWrittenBy(file: string, network: NetworkProfile['network']): boolean {
  if (!existsSync(file)) return false;
  try {
    const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
    if (!isRecord(parsed) || parsed.network !== network) return false;
  } catch {
    return false;
  }
  rmSync(file, { force: true });
  return true;
}
