import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { PEER_ORGS, peerPortsOfSlot, recordAddedOrg } from '@veriscan/fabric-kit';
import { withServersForEveryOrg, type InstalledChaincode } from '../../../../network/devnet/src/cli/deploy';
import { loadConfig } from '../../../../network/devnet/src/config';
import { tempDir } from '../../fabric-kit/msp/support/material';

describe('the devnet with an institution added after genesis', () => {
  const base = 22050;
  const home = tempDir('veriscan-added-');
  const slot = PEER_ORGS.length;
  recordAddedOrg(home, { key: 'lab-9', memberRole: 'lab', slot });
  const config = loadConfig({ VERISCAN_HOME: home, VERISCAN_DEVNET_PORT_BASE: String(base) });

  it('runs a peer for the added org at the port of its slot, after the table’s peers', () => {
    expect(config.peers.map((p) => p.orgKey)).to.deep.equal([...PEER_ORGS.map((o) => o.key), 'lab-9']);
    expect(config.peers.at(-1)).to.deep.include({
      name: 'peer0.lab-9',
      port: base + peerPortsOfSlot(slot).devnetOffset,
    });
    expect(config.consortium.map((o) => o.key)).to.include('lab-9');
  });

  it('gives the added org a chaincode server of its own on a free port, leaving the other servers where they are', () => {
    const at = (port: number): string => `127.0.0.1:${port}`;
    const table = (first: number): Record<string, string> =>
      Object.fromEntries(PEER_ORGS.map((org, i) => [org.key, at(first + i)]));
    const first = config.chaincodePortBase;
    const installs: InstalledChaincode[] = [
      { name: 'alpha', info: { packageId: 'alpha:1', servers: table(first), path: '/cc/alpha' } },
      {
        name: 'beta',
        info: { packageId: 'beta:1', servers: table(first + PEER_ORGS.length), path: '/cc/beta' },
      },
    ];
    mkdirSync(config.installDir, { recursive: true });
    for (const cc of installs)
      writeFileSync(join(config.installDir, `${cc.name}.json`), JSON.stringify(cc.info));
    const [alpha] = installs;
    if (alpha === undefined) throw new TypeError('no install');
    const logged: string[] = [];
    const extended = withServersForEveryOrg(config, alpha, (m) => logged.push(m));
    const next = at(first + 2 * PEER_ORGS.length);
    expect(extended.info.servers).to.deep.equal({ ...table(first), 'lab-9': next });
    const stored: unknown = JSON.parse(readFileSync(join(config.installDir, 'alpha.json'), 'utf8'));
    expect(stored).to.deep.include({ servers: { ...table(first), 'lab-9': next } });
    expect(logged).to.deep.equal([`chaincode alpha: servers for lab-9 at ${next}`]);
    // Already complete: nothing is written again.
    expect(withServersForEveryOrg(config, extended, (m) => logged.push(m))).to.equal(extended);
    expect(logged).to.have.length(1);
  });
});
