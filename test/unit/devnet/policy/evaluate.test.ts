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
  const endorsement = "AND('Org1MSP.peer','Org2MSP.peer')";

  it('satisfies AND when each principal has its own identity, in any order', () => {
    expect(satisfied(endorsement, [peer('Org1MSP'), peer('Org2MSP')])).to.be.true;
    expect(satisfied(endorsement, [peer('Org2MSP'), peer('Org1MSP')])).to.be.true;
  });

  it('fails AND when one org is missing', () => {
    expect(satisfied(endorsement, [peer('Org1MSP')])).to.be.false;
    expect(satisfied(endorsement, [peer('Org1MSP'), peer('Org3MSP')])).to.be.false;
    expect(satisfied(endorsement, [])).to.be.false;
  });

  it('does not let the same peer satisfy AND(A.peer, A.peer) twice', () => {
    expect(satisfied("AND('Org1MSP.peer','Org1MSP.peer')", [peer('Org1MSP')])).to.be.false;
    expect(satisfied("AND('Org1MSP.peer','Org1MSP.peer')", [peer('Org1MSP'), peer('Org1MSP')])).to.be.true;
  });

  it('matches roles by NodeOU: a client or admin is not a peer, but every role is a member', () => {
    expect(satisfied("OR('Org2MSP.peer')", [client('Org2MSP'), admin('Org2MSP')])).to.be.false;
    expect(satisfied("OR('Org2MSP.member')", [client('Org2MSP')])).to.be.true;
    expect(satisfied("OR('Org2MSP.admin')", [admin('Org2MSP')])).to.be.true;
    expect(satisfied("OR('Org2MSP.admin')", [admin('Org1MSP')])).to.be.false;
  });

  it('counts OutOf thresholds', () => {
    const twoOfThree = "OutOf(2, 'Org1MSP.peer', 'Org2MSP.peer', 'Org3MSP.peer')";
    expect(satisfied(twoOfThree, [peer('Org3MSP')])).to.be.false;
    expect(satisfied(twoOfThree, [peer('Org3MSP'), peer('Org2MSP')])).to.be.true;
    expect(satisfied("OutOf(0, 'A.peer')", [])).to.be.true;
    expect(satisfied("OutOf(2, 'A.peer')", [peer('A'), peer('A')])).to.be.false;
  });

  it('never satisfies OutOf(n + 1, …), not even with more identities than principals', () => {
    expect(satisfied("OutOf(2, 'R.peer')", [peer('R')])).to.be.false;
    expect(satisfied("OutOf(2, 'R.peer')", [peer('R'), peer('R'), peer('R')])).to.be.false;
    expect(satisfied("OutOf(3, 'A.member', 'B.member')", [peer('A'), peer('B'), client('A')])).to.be.false;
  });

  it("needs three of the four endorsing orgs for the consortium's MAJORITY; the regulator's part never counts", () => {
    const majority =
      "OutOf(3,'HospitalAMSP.peer','HospitalBMSP.peer','Lab1MSP.peer','Lab2MSP.peer',OutOf(2,'Regulator1MSP.peer'))";
    const [ha, hb, l1, l2, r] = ['HospitalAMSP', 'HospitalBMSP', 'Lab1MSP', 'Lab2MSP', 'Regulator1MSP'].map(
      peer,
    );
    if (ha === undefined || hb === undefined || l1 === undefined || l2 === undefined || r === undefined)
      throw new Error('unreachable');
    expect(satisfied(majority, [ha, hb, l1])).to.be.true;
    expect(satisfied(majority, [l2, hb, l1])).to.be.true;
    expect(satisfied(majority, [ha, hb, l1, l2, r])).to.be.true;
    expect(satisfied(majority, [ha, l2])).to.be.false;
    expect(satisfied(majority, [ha, l2, r])).to.be.false;
    expect(satisfied(majority, [r, ha, r, l2])).to.be.false;
    expect(satisfied(majority, [ha, hb, client('Lab1MSP')])).to.be.false;
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
