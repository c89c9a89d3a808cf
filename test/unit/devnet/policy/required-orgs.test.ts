import { expect } from 'chai';

import { ENDORSEMENT_POLICY, ENDORSING_MSPS, PEER_ORGS, READ_ONLY_MSPS } from '@veriscan/fabric-kit';
import {
  PolicyError,
  endorsementLayouts,
  parseSignaturePolicy,
  requiredOrgs,
} from '../../../../network/devnet/src/policy/index.js';

const orgs = (policy: string, options?: Parameters<typeof requiredOrgs>[1]): readonly string[] =>
  requiredOrgs(parseSignaturePolicy(policy), options);

const MAJORITY =
  "OutOf(3,'HospitalAMSP.peer','HospitalBMSP.peer','Lab1MSP.peer','Lab2MSP.peer',OutOf(2,'Regulator1MSP.peer'))";

function unsatisfiable(policy: string): string {
  try {
    orgs(policy);
  } catch (error) {
    if (error instanceof PolicyError && error.code === 'POLICY_UNSATISFIABLE') return error.message;
    throw error;
  }
  return expect.fail(`expected ${policy} to be unsatisfiable`);
}

describe('orgs whose peers must endorse', () => {
  it('needs both orgs for AND', () => {
    expect(orgs("AND('Org1MSP.peer','Org2MSP.peer')")).to.deep.equal(['Org1MSP', 'Org2MSP']);
  });

  it('needs one org for OR, preferring the given org', () => {
    expect(orgs("OR('Org1MSP.peer','Org2MSP.peer')")).to.deep.equal(['Org1MSP']);
    expect(orgs("OR('Org1MSP.peer','Org2MSP.peer')", { preferOrg: 'Org2MSP' })).to.deep.equal(['Org2MSP']);
    expect(orgs("OR('Org1MSP.peer','Org2MSP.peer')", { preferOrg: 'Org3MSP' })).to.deep.equal(['Org1MSP']);
  });

  it('finds the smallest set for OutOf and nested gates', () => {
    expect(orgs("OutOf(2, 'A.peer', 'B.peer', 'C.peer')", { preferOrg: 'C' })).to.deep.equal(['A', 'C']);
    expect(orgs("OR(AND('A.peer', 'B.peer', 'C.peer'), AND('D.member', 'E.peer'))")).to.deep.equal([
      'D',
      'E',
    ]);
  });

  it("prefers a layout holding the gateway's org over a smaller one without it, as Fabric's gateway does", () => {
    expect(orgs("OR('A.peer', AND('B.peer', 'C.peer'))", { preferOrg: 'C' })).to.deep.equal(['B', 'C']);
    expect(orgs("OR('A.peer', AND('B.peer', 'C.peer'))", { preferOrg: 'D' })).to.deep.equal(['A']);
  });

  it('lists the minimal layouts, fewest orgs first', () => {
    expect(
      endorsementLayouts(
        parseSignaturePolicy("OR('A.peer', AND('B.peer', 'C.peer'), AND('A.peer', 'B.peer'))"),
      ),
    ).to.deep.equal([['A'], ['B', 'C']]);
  });

  it('needs nobody for a policy that is always satisfied', () => {
    expect(orgs("OutOf(0, 'A.peer')")).to.deep.equal([]);
  });

  it('counts peers per org for AND(A.peer, A.peer)', () => {
    expect(() => orgs("AND('A.peer', 'A.peer')")).to.throw(PolicyError, /no peer combination/);
    expect(orgs("AND('A.peer', 'A.peer')", { peersPerOrg: { A: 2 } })).to.deep.equal(['A']);
  });

  it('leaves out an org whose peer the gateway cannot reach (no peers: no layout holds it)', () => {
    const policy = "OutOf(2,'A.peer','B.peer','C.peer')";
    expect(orgs(policy, { preferOrg: 'A' })).to.deep.equal(['A', 'B']);
    expect(orgs(policy, { preferOrg: 'A', peersPerOrg: { B: 0 } })).to.deep.equal(['A', 'C']);
  });

  it("refuses a policy that peers cannot satisfy with discovery's reason", () => {
    expect(unsatisfiable("AND('A.admin')")).to.equal(
      'no peer combination can satisfy the endorsement policy',
    );
    expect(unsatisfiable("AND('A.peer', 'B.client')")).to.equal(
      'no peer combination can satisfy the endorsement policy',
    );
    // t = n + 1: no principal set at all (common/policies/inquire yields none).
    expect(unsatisfiable("OutOf(2, 'R.peer')")).to.equal('endorsement policy cannot be satisfied');
    expect(unsatisfiable("AND('A.peer', OutOf(2, 'R.peer'))")).to.equal(
      'endorsement policy cannot be satisfied',
    );
  });

  describe("the consortium's MAJORITY policy", () => {
    const policy = parseSignaturePolicy(MAJORITY);
    const endorsing = ['HospitalAMSP', 'HospitalBMSP', 'Lab1MSP', 'Lab2MSP'];

    it('has exactly the four layouts of three endorsing orgs, as discovery computes them', () => {
      expect(endorsementLayouts(policy)).to.deep.equal([
        ['HospitalAMSP', 'HospitalBMSP', 'Lab1MSP'],
        ['HospitalAMSP', 'HospitalBMSP', 'Lab2MSP'],
        ['HospitalAMSP', 'Lab1MSP', 'Lab2MSP'],
        ['HospitalBMSP', 'Lab1MSP', 'Lab2MSP'],
      ]);
    });

    it("plans three orgs including the gateway's own when it endorses", () => {
      for (const own of endorsing) {
        const planned = requiredOrgs(policy, { preferOrg: own });
        expect(planned).to.have.length(3).and.include(own);
      }
      expect(requiredOrgs(policy, { preferOrg: 'Lab2MSP' })).to.deep.equal([
        'HospitalAMSP',
        'HospitalBMSP',
        'Lab2MSP',
      ]);
    });

    it("never plans the regulator's peer, not even on the regulator's own gateway", () => {
      for (const preferOrg of [...endorsing, 'Regulator1MSP', undefined]) {
        const planned = requiredOrgs(policy, preferOrg === undefined ? {} : { preferOrg });
        expect(planned).to.not.include('Regulator1MSP');
      }
      expect(requiredOrgs(policy, { preferOrg: 'Regulator1MSP' })).to.deep.equal([
        'HospitalAMSP',
        'HospitalBMSP',
        'Lab1MSP',
      ]);
    });

    it("is the table's ENDORSEMENT_POLICY: layouts of endorsing orgs only, never a read-only one", () => {
      const table = parseSignaturePolicy(ENDORSEMENT_POLICY);
      const layouts = endorsementLayouts(table);
      expect(layouts).to.not.be.empty;
      for (const layout of layouts) {
        expect(layout).to.have.length(Math.floor(PEER_ORGS.length / 2) + 1);
        for (const org of layout) expect(ENDORSING_MSPS).to.include(org);
        for (const org of READ_ONLY_MSPS) expect(layout).to.not.include(org);
      }
    });
  });
});
