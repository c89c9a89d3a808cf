import { expect } from 'chai';

import {
  PolicyError,
  parseSignaturePolicy,
  requiredOrgs,
} from '../../../../network/devnet/src/policy/index.js';

const orgs = (policy: string, options?: Parameters<typeof requiredOrgs>[1]): readonly string[] =>
  requiredOrgs(parseSignaturePolicy(policy), options);

describe('orgs whose peers must endorse', () => {
  it('needs both orgs for the Veriscan policy', () => {
    expect(orgs("AND('HospitalMSP.peer','LabMSP.peer')")).to.deep.equal(['HospitalMSP', 'LabMSP']);
  });

  it('needs one org for OR, preferring the given org', () => {
    expect(orgs("OR('HospitalMSP.peer','LabMSP.peer')")).to.deep.equal(['HospitalMSP']);
    expect(orgs("OR('HospitalMSP.peer','LabMSP.peer')", { preferOrg: 'LabMSP' })).to.deep.equal(['LabMSP']);
    expect(orgs("OR('HospitalMSP.peer','LabMSP.peer')", { preferOrg: 'RegulatorMSP' })).to.deep.equal([
      'HospitalMSP',
    ]);
  });

  it('finds the smallest set for OutOf and nested gates', () => {
    expect(orgs("OutOf(2, 'A.peer', 'B.peer', 'C.peer')", { preferOrg: 'C' })).to.deep.equal(['A', 'C']);
    expect(orgs("OR(AND('A.peer', 'B.peer', 'C.peer'), AND('D.member', 'E.peer'))")).to.deep.equal([
      'D',
      'E',
    ]);
  });

  it('needs nobody for a policy that is always satisfied', () => {
    expect(orgs("OutOf(0, 'A.peer')")).to.deep.equal([]);
  });

  it('counts peers per org for AND(A.peer, A.peer)', () => {
    expect(() => orgs("AND('A.peer', 'A.peer')")).to.throw(PolicyError, /no set of org peers/);
    expect(orgs("AND('A.peer', 'A.peer')", { peersPerOrg: { A: 2 } })).to.deep.equal(['A']);
  });

  it('refuses a policy that peers cannot satisfy', () => {
    expect(() => orgs("AND('A.admin')")).to.throw(PolicyError, /no set of org peers/);
    expect(() => orgs("AND('A.peer', 'B.client')")).to.throw(PolicyError);
  });
});
