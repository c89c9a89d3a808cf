import { expect } from 'chai';
import { parse } from 'yaml';
import {
  CONSORTIUM,
  ORDERER_ORG,
  PEER_ORGS,
  cryptoLayout,
  orgDomain,
  orgEndorsementRule,
  orgVeriscanEndorsementRule,
  peerHost,
} from '@veriscan/fabric-kit';
import { buildConfigtx, renderConfigtxYaml } from '../../../network/fabric/src/configtx';
import { TOPOLOGIES } from '../../../network/fabric/src/topology';

// cryptoLayout is path arithmetic only: no material needs to exist for these tests.
const layout = cryptoLayout('/crypto');

interface Org {
  Name: string;
  ID: string;
  MSPDir: string;
  Policies: Record<string, { Type: string; Rule: string }>;
  AnchorPeers?: { Host: string; Port: number }[];
  OrdererEndpoints?: string[];
}

function orgsOf(doc: Record<string, unknown>): Org[] {
  return doc.Organizations as Org[];
}

function profile(doc: Record<string, unknown>, name: string): Record<string, Record<string, unknown>> {
  return (doc.Profiles as Record<string, Record<string, Record<string, unknown>>>)[name] ?? {};
}

describe('configtx.yaml generated from the consortium table', () => {
  it('defines every org of the table with its MSP id, configtx name and MSP folder', () => {
    const orgs = orgsOf(buildConfigtx({ layout, mode: 'native' }));
    expect(orgs.map((o) => [o.ID, o.Name])).to.deep.equal(CONSORTIUM.map((o) => [o.mspId, o.orgName]));
    for (const table of CONSORTIUM) {
      const kind = table.kind === 'peer' ? 'peerOrganizations' : 'ordererOrganizations';
      expect(orgs.find((o) => o.ID === table.mspId)?.MSPDir).to.equal(
        `/crypto/${kind}/${orgDomain(table)}/msp`,
      );
    }
  });

  it("gives each peer org Fabric's standard signature policies, the table's endorsement rules and its anchor peer", () => {
    const orgs = orgsOf(buildConfigtx({ layout, mode: 'compose' }));
    for (const table of PEER_ORGS) {
      const org = orgs.find((o) => o.ID === table.mspId);
      expect(org?.Policies.Endorsement).to.deep.equal({ Type: 'Signature', Rule: orgEndorsementRule(table) });
      expect(org?.Policies.VeriscanEndorsement).to.deep.equal({
        Type: 'Signature',
        Rule: orgVeriscanEndorsementRule(table),
      });
      expect(org?.Policies.VeriscanEndorsement?.Rule).to.match(
        table.endorses ? /^OR\('[^']+\.peer'\)$/ : /^OutOf\(2,\s*'[^']+\.peer'\)$/,
      );
      expect(org?.Policies.Writers?.Rule).to.equal(`OR('${table.mspId}.admin', '${table.mspId}.client')`);
      expect(org?.AnchorPeers).to.deep.equal([{ Host: peerHost(table), Port: table.ports.fabricPeer }]);
    }
    const orderer = orgs.find((o) => o.ID === ORDERER_ORG.mspId);
    expect(orderer?.Policies.Readers?.Rule).to.equal(`OR('${ORDERER_ORG.mspId}.member')`);
  });

  it('has one profile per topology with as many consenters as orderers', () => {
    const doc = buildConfigtx({ layout, mode: 'native' });
    expect(Object.keys(doc.Profiles as object).sort()).to.deep.equal(
      Object.values(TOPOLOGIES)
        .map((t) => t.profile)
        .sort(),
    );
    for (const topology of Object.values(TOPOLOGIES)) {
      const orderer = profile(doc, topology.profile).Orderer ?? {};
      if (topology.consensus === 'bft') {
        const mapping = orderer.ConsenterMapping as { ID: number; MSPID: string; Host: string }[];
        expect(orderer.OrdererType).to.equal('BFT');
        expect(mapping.map((c) => c.ID)).to.deep.equal([1, 2, 3, 4].slice(0, topology.orderers));
        expect(new Set(mapping.map((c) => c.MSPID))).to.deep.equal(new Set([ORDERER_ORG.mspId]));
        expect(mapping.every((c) => c.Host === '127.0.0.1')).to.equal(true);
      } else {
        const raft = orderer.EtcdRaft as { Consenters: unknown[] };
        expect(orderer.OrdererType).to.equal('etcdraft');
        expect(raft.Consenters).to.have.length(topology.orderers);
      }
      const app = profile(doc, topology.profile).Application as { Organizations: Org[] };
      expect(app.Organizations.map((o) => o.ID)).to.deep.equal(PEER_ORGS.map((o) => o.mspId));
    }
  });

  it('renders YAML that reads back as the same document', () => {
    const input = { layout, mode: 'compose' } as const;
    expect(parse(renderConfigtxYaml(input))).to.deep.equal(buildConfigtx(input));
  });
});
