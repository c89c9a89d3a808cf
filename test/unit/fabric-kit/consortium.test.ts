import { expect } from 'chai';
import {
  CONSORTIUM,
  DEMO_MEMBERS,
  ENDORSEMENT_POLICY,
  ENDORSING_MSPS,
  LIFECYCLE_POLICY,
  ORDERER_ORG,
  PEER_ORGS,
  READ_ONLY_MSPS,
  ROLE_MSPS,
  adminOfRole,
  orgOfRole,
  peerHost,
} from '../../../fabric-kit/src/consortium';

describe('the consortium table', () => {
  it('has one orderer org and unique keys, MSP ids and ports', () => {
    expect(CONSORTIUM.filter((o) => o.kind === 'orderer')).to.deep.equal([ORDERER_ORG]);
    const unique = (values: readonly unknown[]): boolean => new Set(values).size === values.length;
    expect(unique(CONSORTIUM.map((o) => o.key))).to.equal(true);
    expect(unique(CONSORTIUM.map((o) => o.mspId))).to.equal(true);
    const ports = PEER_ORGS.flatMap((o) => [
      o.ports.fabricPeer,
      o.ports.fabricOperations,
      o.ports.fabricChaincode,
    ]);
    expect(unique(ports)).to.equal(true);
    expect(unique(PEER_ORGS.map((o) => o.ports.devnetOffset))).to.equal(true);
  });

  it('derives the endorsement policy from the orgs that endorse, leaving the read-only regulator out', () => {
    expect(ENDORSING_MSPS).to.have.length.greaterThan(0);
    expect(ENDORSEMENT_POLICY).to.equal(`AND(${ENDORSING_MSPS.map((m) => `'${m}.peer'`).join(',')})`);
    expect(READ_ONLY_MSPS).to.deep.equal([orgOfRole('regulator').mspId]);
    expect(ENDORSEMENT_POLICY).not.to.include(orgOfRole('regulator').mspId);
    expect(LIFECYCLE_POLICY).to.match(/^OutOf\(\d+,/);
  });

  it('maps each role to the MSPs its certificates may come from, admins to every peer org', () => {
    for (const role of ['hospital', 'lab', 'regulator'] as const) {
      expect(ROLE_MSPS[role]).to.deep.equal([orgOfRole(role).mspId]);
    }
    expect(ROLE_MSPS.admin).to.deep.equal(PEER_ORGS.map((o) => o.mspId));
  });

  it('names demo members, admins and hosts the way the crypto layout does', () => {
    expect(DEMO_MEMBERS.map((m) => m.memberId)).to.include.members(['hospital-a', 'lab-1', 'regulator-1']);
    expect(adminOfRole('lab')).to.equal(`${orgOfRole('lab').key}-admin`);
    expect(peerHost(orgOfRole('hospital'))).to.equal(`peer0.${orgOfRole('hospital').key}.veriscan.local`);
  });
});
