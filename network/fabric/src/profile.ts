/**
 * The native network's connection profile (.veriscan/network.json, format and builder:
 * fabric-kit/src/profile.ts) that apps, tests and benchmarks read instead of hard-coding ports or paths.
 * Absolute paths only.
 */
import { buildNetworkProfile, peerHost, type NetworkProfile } from '@veriscan/fabric-kit';
import { CHAINCODE, CHANNEL, launcherCryptoLayout, runningPeerOrgs, type LauncherPaths } from './topology';

/** The profile for the native network: each org's peer on 127.0.0.1, identities from the shared crypto. */
export function fabricProfile(paths: LauncherPaths): NetworkProfile {
  return buildNetworkProfile({
    network: 'fabric',
    channel: CHANNEL,
    chaincodes: [CHAINCODE.name],
    crypto: launcherCryptoLayout(paths),
    peers: runningPeerOrgs(paths).map((org) => ({
      name: org.peerName,
      mspId: org.mspId,
      endpoint: `127.0.0.1:${org.peerPort}`,
      hostAlias: peerHost(org),
    })),
  });
}
