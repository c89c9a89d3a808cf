import { expect } from 'chai';

import {
  evaluateIdentities,
  parseSignaturePolicy,
  type PolicyIdentity,
} from '../../../../network/devnet/src/policy/index.js';

const peer = (mspId: string): PolicyIdentity => ({ mspId, role: 'peer' });
const client = (mspId: string): PolicyIdentity => ({ mspId, role: 'client' });
const admin = (mspId: string): PolicyIdentity => ({ mspId, role: 'admin' });

function satisfied(policy: string, identities: readonly PolicyIdentity[]): boolean {
  return evaluateIdentities(parseSignaturePolicy(policy), identities);
}

describe('signature policy evaluation (cauthdsl semantics)', () => {
  const endorsement = "AND('HospitalMSP.peer','LabMSP.peer')";

  it('satisfies AND when each principal has its own identity, in any order', () => {
    expect(satisfied(endorsement, [peer('HospitalMSP'), peer('LabMSP')])).to.be.true;
    expect(satisfied(endorsement, [peer('LabMSP'), peer('HospitalMSP')])).to.be.true;
  });

  it('fails AND when one org is missing', () => {
    expect(satisfied(endorsement, [peer('HospitalMSP')])).to.be.false;
    expect(satisfied(endorsement, [peer('HospitalMSP'), peer('RegulatorMSP')])).to.be.false;
    expect(satisfied(endorsement, [])).to.be.false;
  });

  it('does not let the same peer satisfy AND(A.peer, A.peer) twice', () => {
    expect(satisfied("AND('HospitalMSP.peer','HospitalMSP.peer')", [peer('HospitalMSP')])).to.be.false;
    expect(
      satisfied("AND('HospitalMSP.peer','HospitalMSP.peer')", [peer('HospitalMSP'), peer('HospitalMSP')]),
    ).to.be.true;
  });

  it('matches roles by NodeOU: a client or admin is not a peer, but every role is a member', () => {
    expect(satisfied("OR('LabMSP.peer')", [client('LabMSP'), admin('LabMSP')])).to.be.false;
    expect(satisfied("OR('LabMSP.member')", [client('LabMSP')])).to.be.true;
    expect(satisfied("OR('LabMSP.admin')", [admin('LabMSP')])).to.be.true;
    expect(satisfied("OR('LabMSP.admin')", [admin('HospitalMSP')])).to.be.false;
  });

  it('counts OutOf thresholds', () => {
    const twoOfThree = "OutOf(2, 'HospitalMSP.peer', 'LabMSP.peer', 'RegulatorMSP.peer')";
    expect(satisfied(twoOfThree, [peer('RegulatorMSP')])).to.be.false;
    expect(satisfied(twoOfThree, [peer('RegulatorMSP'), peer('LabMSP')])).to.be.true;
    expect(satisfied("OutOf(0, 'A.peer')", [])).to.be.true;
    expect(satisfied("OutOf(2, 'A.peer')", [peer('A'), peer('A')])).to.be.false;
  });

  it('evaluates nested gates, each identity used once across the whole tree', () => {
    const policy = "OR(AND('A.member', 'B.member'), AND('A.peer', 'C.peer'))";
    expect(satisfied(policy, [peer('A'), peer('C')])).to.be.true;
    expect(satisfied(policy, [peer('A'), client('B')])).to.be.true;
    expect(satisfied("AND('A.member', OR('A.peer', 'B.peer'))", [peer('A')])).to.be.false;
    expect(satisfied("AND('A.member', OR('A.peer', 'B.peer'))", [peer('A'), peer('B')])).to.be.true;
  });

  it('assigns identities greedily as Fabric does, failing where a smarter assignment would succeed', () => {
    // A.member takes the first A identity (the peer); A.peer then finds only the client. Fabric fails too.
    expect(satisfied("AND('A.member', 'A.peer')", [peer('A'), client('A')])).to.be.false;
    expect(satisfied("AND('A.member', 'A.peer')", [client('A'), peer('A')])).to.be.true;
  });

  it('keeps the used marks of a failed sub-rule from leaking into the next one', () => {
    // The first AND takes A's peer, then fails on B; its marks are discarded, so OR's second branch can use A.
    expect(satisfied("OR(AND('A.peer', 'B.peer'), 'A.peer')", [peer('A')])).to.be.true;
  });
});
