import { expect } from 'chai';

import {
  PolicyError,
  decodeSignaturePolicy,
  encodeSignaturePolicy,
  formatSignaturePolicy,
  parseSignaturePolicy,
} from '../../../../network/devnet/src/policy/index.js';

function syntaxError(source: string): string {
  try {
    parseSignaturePolicy(source);
  } catch (error) {
    if (error instanceof PolicyError && error.code === 'POLICY_SYNTAX') return error.message;
    throw error;
  }
  return expect.fail(`expected ${source} to be refused`);
}

describe('signature policy DSL', () => {
  it("parses AND('HospitalMSP.peer','LabMSP.peer') into a 2-out-of-2 over two principals", () => {
    expect(parseSignaturePolicy("AND('HospitalMSP.peer','LabMSP.peer')")).to.deep.equal({
      identities: [
        { mspId: 'HospitalMSP', role: 'peer' },
        { mspId: 'LabMSP', role: 'peer' },
      ],
      rule: {
        kind: 'n-out-of',
        n: 2,
        rules: [
          { kind: 'signed-by', index: 0 },
          { kind: 'signed-by', index: 1 },
        ],
      },
    });
  });

  it('accepts the gate spellings Fabric accepts and double-quoted principals', () => {
    for (const gate of ['OR', 'Or', 'or'])
      expect(parseSignaturePolicy(`${gate}("A.member", 'B.admin')`).rule).to.deep.include({ n: 1 });
    for (const gate of ['OutOf', 'outof', 'OUTOF'])
      expect(parseSignaturePolicy(`${gate}(2, 'A.client', 'B.orderer', 'C.peer')`).rule).to.deep.include({
        n: 2,
      });
    expect(parseSignaturePolicy("OutOf('1', 'A.member', 'B.member')").rule).to.deep.include({ n: 1 });
  });

  it('numbers principals in the order Fabric does: nested gates first', () => {
    // common/policydsl/policyparser_test.go: OR('A.member', AND('B.member', 'C.member'))
    // gives identities [B, C, A] and Or(SignedBy(2), And(SignedBy(0), SignedBy(1))).
    const policy = parseSignaturePolicy("OR('A.member', AND('B.member', 'C.member'))");
    expect(policy.identities.map((p) => p.mspId)).to.deep.equal(['B', 'C', 'A']);
    expect(policy.rule).to.deep.equal({
      kind: 'n-out-of',
      n: 1,
      rules: [
        { kind: 'signed-by', index: 2 },
        {
          kind: 'n-out-of',
          n: 2,
          rules: [
            { kind: 'signed-by', index: 0 },
            { kind: 'signed-by', index: 1 },
          ],
        },
      ],
    });
  });

  it('keeps dots and dashes in MSP ids, splitting at the last dot', () => {
    const policy = parseSignaturePolicy("OR('MSP.member', 'MSP.WITH.DOTS.member', 'MSP-WITH-DASHES.member')");
    expect(policy.identities.map((p) => p.mspId)).to.deep.equal(['MSP', 'MSP.WITH.DOTS', 'MSP-WITH-DASHES']);
  });

  it('allows thresholds from 0 to n + 1 and refuses larger or negative ones', () => {
    expect(parseSignaturePolicy("OutOf(0, 'A.member', 'B.member')").rule).to.deep.include({ n: 0 });
    expect(parseSignaturePolicy("OutOf(3, 'A.member', 'B.member')").rule).to.deep.include({ n: 3 });
    expect(syntaxError("OutOf(4, 'A.member', 'B.member')")).to.contain(
      'invalid t-out-of-n predicate, t 4, n 2',
    );
    expect(syntaxError("OutOf(-1, 'A.member', 'B.member')")).to.match(/unexpected character '-'/);
  });

  it('refuses malformed policies', () => {
    expect(syntaxError('')).to.match(/unexpected end/);
    expect(syntaxError("OR('A.member', Bmember)")).to.match(/unrecognized token 'Bmember'|expected '\('/);
    expect(syntaxError("OR('A.member', 'Bmember')")).to.contain('error parsing principal Bmember');
    expect(syntaxError("OR('A.superuser')")).to.contain('error parsing principal A.superuser');
    expect(syntaxError('OutOf(1)')).to.match(/expected ','/);
    expect(syntaxError('OutOf(1, 2)')).to.match(/unexpected '2'/);
    expect(syntaxError('AND()')).to.match(/unexpected '\)'/);
    expect(syntaxError("'A.member'")).to.match(/expected AND, OR or OutOf/);
    expect(syntaxError("aNd('A.member')")).to.contain("unrecognized token 'aNd'");
    expect(syntaxError("AND('A.member') extra")).to.match(/unexpected 'extra'/);
    expect(syntaxError("AND('A.member'")).to.match(/unexpected end/);
  });

  it('round-trips through the SignaturePolicyEnvelope protobuf', () => {
    const policy = parseSignaturePolicy(
      "OutOf(2, 'A.peer', OR('B.admin', 'C.client'), 'D.orderer', 'E.member')",
    );
    expect(decodeSignaturePolicy(encodeSignaturePolicy(policy))).to.deep.equal(policy);
  });

  it('refuses an envelope whose rule points at a missing principal', () => {
    const policy = parseSignaturePolicy("AND('A.peer')");
    const broken = { identities: [], rule: policy.rule };
    expect(() => decodeSignaturePolicy(encodeSignaturePolicy(broken))).to.throw(
      PolicyError,
      /identity index out of range/,
    );
  });

  it('formats a policy back into the DSL', () => {
    expect(formatSignaturePolicy(parseSignaturePolicy("OR('A.member', AND('B.peer', 'C.peer'))"))).to.equal(
      "OR('A.member', AND('B.peer', 'C.peer'))",
    );
    expect(formatSignaturePolicy(parseSignaturePolicy("OutOf(2, 'A.peer', 'B.peer', 'C.peer')"))).to.equal(
      "OutOf(2, 'A.peer', 'B.peer', 'C.peer')",
    );
  });
});
