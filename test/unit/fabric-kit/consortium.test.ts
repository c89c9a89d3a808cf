import { expect } from 'chai';
import {
  CONSORTIUM,
  DEFAULT_ADMIN,
  DEMO_MEMBERS,
  ENDORSEMENT_POLICY,
  ENDORSING_MSPS,
  JOBS_OF_ROLE,
  LIFECYCLE_POLICY,
  ORDERER_ORG,
  PEER_ORGS,
  READ_ONLY_MSPS,
  majorityEndorsementOf,
  orgEndorsementRule,
  orgVeriscanEndorsementRule,
  orgsOfRole,
  peerHost,
  peerOrgByKey,
  peerPortsOfSlot,
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

  it('makes every institution its own org: two hospitals, two labs and a regulator', () => {
    expect(PEER_ORGS.map((o) => `${o.key}:${o.memberRole}`)).to.deep.equal([
      'hospital-a:hospital',
      'hospital-b:hospital',
      'lab-1:lab',
      'lab-2:lab',
      'regulator-1:regulator',
    ]);
    expect(orgsOfRole('hospital').map((o) => o.key)).to.deep.equal(['hospital-a', 'hospital-b']);
    for (const org of PEER_ORGS) {
      const role = org.memberRole;
      expect(
        org.users.map((u) => u.job),
        org.key,
      ).to.deep.equal(JOBS_OF_ROLE[role]);
    }
    expect(DEMO_MEMBERS.map((m) => m.memberId)).to.deep.equal(PEER_ORGS.map((o) => o.key));
    expect(DEFAULT_ADMIN).to.equal('hospital-a-admin');
    expect(peerHost(peerOrgByKey('lab-1'))).to.equal('peer0.lab-1.veriscan.local');
  });

  it('places an org added later on the next free ports', () => {
    const next = peerPortsOfSlot(PEER_ORGS.length);
    for (const org of PEER_ORGS) {
      expect(next.fabricPeer).to.not.equal(org.ports.fabricPeer);
      expect(next.devnetOffset).to.not.equal(org.ports.devnetOffset);
    }
  });

  it("resolves the channel's MAJORITY Endorsement: 3 of the 4 endorsing orgs, the regulator never", () => {
    expect(READ_ONLY_MSPS).to.deep.equal(orgsOfRole('regulator').map((o) => o.mspId));
    expect(ENDORSING_MSPS).to.have.length(4);
    const regulator = orgsOfRole('regulator')[0];
    if (regulator === undefined) throw new Error('no regulator');
    expect(orgVeriscanEndorsementRule(regulator)).to.equal(`OutOf(2,'${regulator.mspId}.peer')`);
    // Its own Endorsement policy stays its peer: it guards the org's lifecycle approvals.
    expect(orgEndorsementRule(regulator)).to.equal(`OR('${regulator.mspId}.peer')`);
    expect(ENDORSEMENT_POLICY).to.equal(
      `OutOf(3,${ENDORSING_MSPS.map((m) => `'${m}.peer'`).join(',')},OutOf(2,'${regulator.mspId}.peer'))`,
    );
    expect(LIFECYCLE_POLICY).to.equal(`OutOf(3,${PEER_ORGS.map((o) => `'${o.mspId}.peer'`).join(',')})`);
    // A sixth org raises the majority to 4 of 6.
    expect(majorityEndorsementOf([...PEER_ORGS, { mspId: 'HospitalCMSP', endorses: true }])).to.match(
      /^OutOf\(4,/,
    );
  });
});
