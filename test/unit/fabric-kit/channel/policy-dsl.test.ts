import { expect } from 'chai';
import { common, msp } from '@hyperledger/fabric-protos';
import { FabricKitError, signaturePolicyEnvelope } from '@veriscan/fabric-kit';

type Rule = number | { n: number; rules: Rule[] };

/** signed_by as its index, n_out_of as { n, rules }. */
function ruleOf(policy: common.SignaturePolicy | undefined): Rule {
  if (policy === undefined) throw new TypeError('no rule');
  const gate = policy.getNOutOf();
  if (gate === undefined) return policy.getSignedBy();
  return { n: gate.getN(), rules: gate.getRulesList().map(ruleOf) };
}

function principals(envelope: common.SignaturePolicyEnvelope): string[] {
  const roles = ['member', 'admin', 'client', 'peer', 'orderer'];
  return envelope.getIdentitiesList().map((p) => {
    expect(p.getPrincipalClassification()).to.equal(msp.MSPPrincipal.Classification.ROLE);
    const role = msp.MSPRole.deserializeBinary(p.getPrincipal_asU8());
    return `${role.getMspIdentifier()}.${roles[role.getRole()] ?? '?'}`;
  });
}

function refusal(policy: string): FabricKitError {
  try {
    signaturePolicyEnvelope(policy);
  } catch (error) {
    if (error instanceof FabricKitError) return error;
    throw error;
  }
  throw new TypeError(`${policy} was accepted`);
}

describe('signature policies from the DSL, as policydsl.FromString converts them', () => {
  it('turns OR into 1-out-of-n over one principal per argument, numbered in order', () => {
    const envelope = signaturePolicyEnvelope("OR('AlphaMSP.admin', 'AlphaMSP.peer', 'AlphaMSP.client')");
    expect(envelope.getVersion()).to.equal(0);
    expect(ruleOf(envelope.getRule())).to.deep.equal({ n: 1, rules: [0, 1, 2] });
    expect(principals(envelope)).to.deep.equal(['AlphaMSP.admin', 'AlphaMSP.peer', 'AlphaMSP.client']);
  });

  it('turns AND into n-out-of-n and keeps repeated principals (Fabric does not deduplicate)', () => {
    const envelope = signaturePolicyEnvelope('and(\'A.peer\', "A.peer")');
    expect(ruleOf(envelope.getRule())).to.deep.equal({ n: 2, rules: [0, 1] });
    expect(principals(envelope)).to.deep.equal(['A.peer', 'A.peer']);
  });

  it('accepts OutOf(n + 1, …), the unsatisfiable policy of an org whose peer never endorses', () => {
    const envelope = signaturePolicyEnvelope("OutOf(2,'WatchMSP.peer')");
    expect(ruleOf(envelope.getRule())).to.deep.equal({ n: 2, rules: [0] });
    expect(principals(envelope)).to.deep.equal(['WatchMSP.peer']);
  });

  it("numbers a gate's nested gates' principals before its own, as Fabric's evaluator appends them", () => {
    const envelope = signaturePolicyEnvelope("AND('C.peer', OR('A.peer', 'B.peer'), OUTOF('1', 'D.member'))");
    expect(principals(envelope)).to.deep.equal(['A.peer', 'B.peer', 'D.member', 'C.peer']);
    expect(ruleOf(envelope.getRule())).to.deep.equal({
      n: 3,
      rules: [3, { n: 1, rules: [0, 1] }, { n: 1, rules: [2] }],
    });
  });

  it('reads a dotted MSP id greedily, as the principal regex does', () => {
    expect(principals(signaturePolicyEnvelope("OR('Org.One.orderer')"))).to.deep.equal(['Org.One.orderer']);
  });

  it('refuses what policydsl refuses, with MALFORMED_CONFIG', () => {
    for (const policy of [
      "OutOf(3, 'A.peer')",
      "OR('A.boss')",
      "XOR('A.peer')",
      "OR('A.peer'",
      "OR('A.peer') OR('B.peer')",
      'OR()',
      "OutOf(-1, 'A.peer')",
    ]) {
      expect(refusal(policy).code, policy).to.equal('MALFORMED_CONFIG');
    }
  });
});
