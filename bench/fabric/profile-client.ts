/**
 * Opens Gateway connections from the connection profile (.veriscan/network.json), so the measurement and
 * probe scripts run unchanged against whichever network wrote the profile (devnet or real Fabric).
 */
import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { connect, signers, type Contract, type Gateway } from '@hyperledger/fabric-gateway';
import { readNetworkProfile, type NetworkProfile } from '@veriscan/fabric-kit';

/** One identity connected through one peer's gateway. */
export interface Session {
  readonly gateway: Gateway;
  readonly contract: Contract;
  /** Closes the gateway, then the gRPC client. */
  close(): void;
}

/** Reads `.veriscan/network.json` from the repository root (or VERISCAN_PROFILE). */
export function loadProfile(): NetworkProfile {
  const file = process.env.VERISCAN_PROFILE ?? join(__dirname, '..', '..', '.veriscan', 'network.json');
  return readNetworkProfile(file);
}

/**
 * Connects `identityName` through `peerName` (default: the identity's own peer). Deadlines follow
 * FABRIC-NATIVE.md §5; keepalive stays above the peers' 60 s minimum to avoid GOAWAY too_many_pings.
 * @throws Error when the profile lacks the identity or the peer.
 */
export function openSession(profile: NetworkProfile, identityName: string, peerName?: string): Session {
  const identity = profile.identities[identityName];
  if (identity === undefined) throw new Error(`profile has no identity ${identityName}`);
  const peer = profile.peers[peerName ?? identity.peer];
  if (peer === undefined) throw new Error(`profile has no peer ${peerName ?? identity.peer}`);
  const client = new grpc.Client(peer.endpoint, grpc.credentials.createSsl(readFileSync(peer.tlsCaFile)), {
    'grpc.ssl_target_name_override': peer.hostAlias,
    'grpc.keepalive_time_ms': 120_000,
    'grpc.keepalive_timeout_ms': 20_000,
  });
  const gateway = connect({
    client,
    identity: { mspId: identity.mspId, credentials: readFileSync(identity.certFile) },
    signer: signers.newPrivateKeySigner(createPrivateKey(readFileSync(identity.keyFile))),
    evaluateOptions: () => ({ deadline: Date.now() + 5_000 }),
    endorseOptions: () => ({ deadline: Date.now() + 15_000 }),
    submitOptions: () => ({ deadline: Date.now() + 5_000 }),
    commitStatusOptions: () => ({ deadline: Date.now() + 60_000 }),
  });
  const chaincode = profile.chaincodes.veriscan?.name ?? 'veriscan';
  const contract = gateway.getNetwork(profile.channel).getContract(chaincode);
  return {
    gateway,
    contract,
    close: () => {
      gateway.close();
      client.close();
    },
  };
}

/** A run-unique prefix so repeated runs never read keys an earlier run wrote. */
export function runId(): string {
  return `${Date.now().toString(36)}-${process.pid.toString(36)}`;
}
