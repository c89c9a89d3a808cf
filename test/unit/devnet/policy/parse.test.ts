import { expect } from 'chai';

import {
  PolicyError,
  decodeSignaturePolicy,
  encodeSignaturePolicy,
  formatSignaturePolicy,
  parseSignaturePolicy,
} from '../../../../network/devnet/src/policy/index.js';
import { ENDORSEMENT_POLICY, LIFECYCLE_POLICY, PEER_ORGS } from '@veriscan/fabric-kit';

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
  it("parses AND('Org1MSP.peer','Org2MSP.peer') into a 2-out-of-2 over two principals", () => {
    expect(parseSignaturePolicy("AND('Org1MSP.peer','Org2MSP.peer')")).to.deep.equal({
      identities: [
        { mspId: 'Org1MSP', role: 'peer' },
        { mspId: 'Org2MSP', role: 'peer' },
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

  it("allows thresholds from 0 to n + 1 and refuses larger or negative ones with Fabric's message", () => {
    expect(parseSignaturePolicy("OutOf(0, 'A.member', 'B.member')").rule).to.deep.include({ n: 0 });
    expect(parseSignaturePolicy("OutOf(3, 'A.member', 'B.member')").rule).to.deep.include({ n: 3 });
    // The texts FromString returns on Fabric v3.1.5 (common/policydsl, expr-lang's position and snippet).
    expect(syntaxError("OutOf(4, 'A.member', 'B.member')")).to.equal(
      "invalid t-out-of-n predicate, t 4, n 2 (1:1)\n | outof(ID, 4, 'A.member', 'B.member')\n | ^",
    );
    expect(syntaxError("OutOf(-1, 'A.member', 'B.member')")).to.equal(
      "invalid t-out-of-n predicate, t -1, n 2 (1:1)\n | outof(ID, -1, 'A.member', 'B.member')\n | ^",
    );
  });

  it('reports the innermost bad threshold first, pointing into the text Fabric rewrote the policy to', () => {
    expect(syntaxError("OR('A.peer',\n OutOf(4, 'B.peer'))")).to.equal(
      "invalid t-out-of-n predicate, t 4, n 1 (1:24)\n | outof(ID, 1, 'A.peer', outof(ID, 4, 'B.peer'))\n | " +
        `${'.'.repeat(23)}^`,
    );
    expect(
      syntaxError("AND('A.peer', OR('B.peer', OutOf(5,'C.peer','D.peer')), OutOf(3,'E.peer'))"),
    ).to.equal(
      'invalid t-out-of-n predicate, t 5, n 2 (1:47)\n' +
        " | outof(ID, 3, 'A.peer', outof(ID, 1, 'B.peer', outof(ID, 5, 'C.peer', 'D.peer')), outof(ID, 3, 'E.peer'))\n" +
        ` | ${'.'.repeat(46)}^`,
    );
  });

  it('parses the nested MAJORITY form, whose last part can never be met (t = n + 1)', () => {
    const policy = parseSignaturePolicy(
      "OutOf(3,'HospitalAMSP.peer','HospitalBMSP.peer','Lab1MSP.peer','Lab2MSP.peer',OutOf(2,'Regulator1MSP.peer'))",
    );
    expect(policy.identities.map((p) => p.mspId)).to.deep.equal([
      'Regulator1MSP',
      'HospitalAMSP',
      'HospitalBMSP',
      'Lab1MSP',
      'Lab2MSP',
    ]);
    expect(policy.rule).to.deep.equal({
      kind: 'n-out-of',
      n: 3,
      rules: [
        { kind: 'signed-by', index: 1 },
        { kind: 'signed-by', index: 2 },
        { kind: 'signed-by', index: 3 },
        { kind: 'signed-by', index: 4 },
        { kind: 'n-out-of', n: 2, rules: [{ kind: 'signed-by', index: 0 }] },
      ],
    });
    // policydsl.FromString of the same text on Fabric v3.1.5, marshalled (SignaturePolicyEnvelope).
    expect(Buffer.from(encodeSignaturePolicy(policy)).toString('base64')).to.equal(
      'Eh4SHAgDEgIIARICCAISAggDEgIIBBIIEgYIAhICCAAaExIRCg1SZWd1bGF0b3IxTVNQEAMaEhIQCgxIb3NwaXRhbEFNU1AQAxoSEhAKDEhvc3BpdGFsQk1TUBADGg0SCwoHTGFiMU1TUBADGg0SCwoHTGFiMk1TUBAD',
    );
  });

  it("accepts the consortium table's ENDORSEMENT_POLICY and LIFECYCLE_POLICY", () => {
    for (const source of [ENDORSEMENT_POLICY, LIFECYCLE_POLICY]) {
      const policy = parseSignaturePolicy(source);
      expect(policy.identities.map((p) => p.mspId)).to.have.members(PEER_ORGS.map((o) => o.mspId));
    }
  });

  it('accepts a trailing comma, as expr-lang does', () => {
    expect(parseSignaturePolicy("OutOf(1, 'A.peer',)")).to.deep.equal(
      parseSignaturePolicy("OutOf(1, 'A.peer')"),
    );
    expect(parseSignaturePolicy("AND('A.peer', 'B.peer',)").rule).to.deep.include({ n: 2 });
  });

  it('refuses malformed policies', () => {
    expect(syntaxError('')).to.match(/unexpected end/);
    expect(syntaxError("OR('A.member', Bmember)")).to.match(/unrecognized token 'Bmember'|expected '\('/);
    expect(syntaxError("OR('A.member', 'Bmember')")).to.contain('error parsing principal Bmember');
    expect(syntaxError("OR('A.superuser')")).to.contain('error parsing principal A.superuser');
    expect(syntaxError('OutOf(1, 2)')).to.match(/unexpected '2'/);
    expect(syntaxError("'A.member'")).to.match(/expected AND, OR or OutOf/);
    expect(syntaxError("aNd('A.member')")).to.contain("unrecognized token 'aNd'");
    expect(syntaxError("AND('A.member') extra")).to.match(/unexpected 'extra'/);
    expect(syntaxError("AND('A.member'")).to.match(/unexpected end/);
  });

  it("refuses a gate without arguments with Fabric's message", () => {
    expect(syntaxError('OutOf(1)')).to.equal(
      'expected at least two arguments to NOutOf. Given 1 (1:1)\n | OutOf(1)\n | ^',
    );
    expect(syntaxError('OutOf(1,)')).to.match(/^expected at least two arguments to NOutOf. Given 1 /);
    expect(syntaxError('OutOf()')).to.match(/^expected at least two arguments to NOutOf. Given 0 /);
    expect(syntaxError('AND()')).to.equal(
      'expected at least two arguments to NOutOf. Given 1 (1:1)\n | AND()\n | ^',
    );
    expect(syntaxError("OR('A.peer', OutOf(1))")).to.equal(
      `expected at least two arguments to NOutOf. Given 1 (1:14)\n | OR('A.peer', OutOf(1))\n | ${'.'.repeat(13)}^`,
    );
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
