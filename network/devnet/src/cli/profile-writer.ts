/** Writes `.veriscan/network.json` for the devnet from its config and crypto layout. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { DevnetConfig } from '../config';
import type { CryptoLayout, IdentityProfile, NetworkProfile, PeerProfile } from '@veriscan/fabric-kit';
import { DevnetError } from '../errors';

export function buildProfile(
  config: DevnetConfig,
  layout: CryptoLayout,
  chaincodes: readonly string[],
): NetworkProfile {
  const peers: Record<string, PeerProfile> = {};
  const identities: Record<string, IdentityProfile> = {};
  for (const p of config.peers) {
    const org = layout.orgs.find((o) => o.key === p.orgKey);
    if (org === undefined) throw new DevnetError('FAILED_PRECONDITION', `no crypto material for ${p.orgKey}`);
    peers[p.name] = {
      mspId: p.mspId,
      endpoint: `127.0.0.1:${p.port}`,
      hostAlias: p.host,
      tlsCaFile: org.tlsCaCertFile,
    };
    for (const user of org.users) {
      identities[user.member] = {
        mspId: org.mspId,
        certFile: user.signCertFile,
        keyFile: user.keyFile,
        peer: p.name,
      };
    }
  }
  return {
    network: 'devnet',
    channel: config.channelId,
    chaincodes: Object.fromEntries(chaincodes.map((name) => [name, { name }])),
    peers,
    identities,
  };
}

export function writeProfile(file: string, profile: NetworkProfile): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(profile, null, 2)}\n`);
}
