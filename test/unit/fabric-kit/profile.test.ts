import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { expect } from 'chai';

import {
  FabricKitError,
  PEER_ORGS,
  adminMemberId,
  buildNetworkProfile,
  cryptoLayout,
  parseNetworkProfile,
  peerHost,
  peerName,
  readNetworkProfile,
  removeNetworkProfileIfWrittenBy,
  writeNetworkProfile,
  type NetworkProfile,
} from '../../../fabric-kit/src/index';

const crypto = cryptoLayout('/state/crypto');
const peers = PEER_ORGS.map((org, i) => ({
  name: peerName(org),
  mspId: org.mspId,
  endpoint: `127.0.0.1:${17051 + 1000 * i}`,
  hostAlias: peerHost(org),
}));

function profileOf(network: NetworkProfile['network']): NetworkProfile {
  return buildNetworkProfile({ network, channel: 'veriscan', chaincodes: ['veriscan'], crypto, peers });
}

describe('fabric-kit connection profile builder', () => {
  it("builds each peer with its org's TLS CA and every user of its org as an identity on that peer", () => {
    const profile = profileOf('fabric');
    expect(parseNetworkProfile(JSON.parse(JSON.stringify(profile)))).to.deep.equal(profile);
    expect(profile.chaincodes).to.deep.equal({ veriscan: { name: 'veriscan' } });
    for (const org of PEER_ORGS) {
      const material = crypto.orgs.find((o) => o.mspId === org.mspId);
      expect(profile.peers[peerName(org)]?.tlsCaFile).to.equal(material?.tlsCaCertFile);
      expect(profile.peers[peerName(org)]?.hostAlias).to.equal(peerHost(org));
      const admin = profile.identities[adminMemberId(org)];
      expect(admin?.peer).to.equal(peerName(org));
      expect(admin?.mspId).to.equal(org.mspId);
      expect(admin?.certFile).to.match(/\/users\/Admin@[^/]+\/msp\/signcerts\/cert\.pem$/);
      for (const user of org.users) expect(profile.identities[user.name]?.peer).to.equal(peerName(org));
    }
    const members = PEER_ORGS.flatMap((org) => [adminMemberId(org), ...org.users.map((u) => u.name)]);
    expect(Object.keys(profile.identities)).to.deep.equal(members);
  });

  it('refuses a peer whose MSP has no crypto material', () => {
    expect(() =>
      buildNetworkProfile({
        network: 'devnet',
        channel: 'veriscan',
        chaincodes: [],
        crypto,
        peers: [{ name: 'peer0.nobody', mspId: 'NobodyMSP', endpoint: '127.0.0.1:1', hostAlias: 'x' }],
      }),
    )
      .to.throw(FabricKitError)
      .with.property('code', 'UNKNOWN_NAME');
  });
});

describe('fabric-kit connection profile file', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'veriscan-profile-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes the profile atomically, reads it back, and removes it only for the network that wrote it', () => {
    const file = join(dir, 'state', 'network.json');
    writeNetworkProfile(file, profileOf('fabric'));
    expect(readdirSync(join(dir, 'state'))).to.deep.equal(['network.json']);
    expect(readFileSync(file, 'utf8')).to.equal(`${JSON.stringify(profileOf('fabric'), null, 2)}\n`);
    expect(readNetworkProfile(file)).to.deep.equal(profileOf('fabric'));
    expect(removeNetworkProfileIfWrittenBy(file, 'devnet')).to.equal(false);
    expect(existsSync(file)).to.equal(true);
    expect(removeNetworkProfileIfWrittenBy(file, 'fabric')).to.equal(true);
    expect(existsSync(file)).to.equal(false);
    expect(removeNetworkProfileIfWrittenBy(file, 'fabric')).to.equal(false);
  });

  it('leaves a file that is not a profile alone', () => {
    const file = join(dir, 'network.json');
    writeFileSync(file, 'not json');
    expect(removeNetworkProfileIfWrittenBy(file, 'fabric')).to.equal(false);
    expect(existsSync(file)).to.equal(true);
  });
});
