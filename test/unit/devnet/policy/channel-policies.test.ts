import { expect } from 'chai';
import { common } from '@hyperledger/fabric-protos';
import {
  MspManager,
  PEER_ORGS,
  cryptoLayout,
  orgByMspId,
  signaturePolicyEnvelope,
  type CryptoLayout,
} from '@veriscan/fabric-kit';
import type { Signer } from '../../../../network/devnet/src/common/trust';
import { loadSigner } from '../../../../network/devnet/src/node/trust';
import {
  ChannelPolicyManager,
  evaluateSignedDataAgainst,
  type SignedData,
} from '../../../../network/devnet/src/policy/index.js';
import { sharedMaterial } from '../../fabric-kit/msp/support/material.js';

type Rule = keyof typeof common.ImplicitMetaPolicy.Rule;

function policyOf(kind: 'signature', rule: string): common.ConfigPolicy;
function policyOf(kind: 'meta', rule: Rule, subPolicy: string): common.ConfigPolicy;
function policyOf(kind: 'signature' | 'meta', rule: string, subPolicy = ''): common.ConfigPolicy {
  const policy = new common.Policy();
  if (kind === 'signature') {
    policy.setType(common.Policy.PolicyType.SIGNATURE);
    policy.setValue(signaturePolicyEnvelope(rule).serializeBinary());
  } else {
    const meta = new common.ImplicitMetaPolicy();
    meta.setRule(common.ImplicitMetaPolicy.Rule[rule as Rule]);
    meta.setSubPolicy(subPolicy);
    policy.setType(common.Policy.PolicyType.IMPLICIT_META);
    policy.setValue(meta.serializeBinary());
  }
  const entry = new common.ConfigPolicy();
  entry.setPolicy(policy);
  entry.setModPolicy('Admins');
  return entry;
}

function groupOf(
  policies: Readonly<Record<string, common.ConfigPolicy>>,
  groups: Readonly<Record<string, common.ConfigGroup>> = {},
): common.ConfigGroup {
  const group = new common.ConfigGroup();
  for (const [name, policy] of Object.entries(policies)) group.getPoliciesMap().set(name, policy);
  for (const [name, child] of Object.entries(groups)) group.getGroupsMap().set(name, child);
  return group;
}

// Three orgs of the table: each org group says its admins administer and its admins or clients write.
const ORGS = PEER_ORGS.slice(0, 3);

describe('channel configuration policies (common/policies)', function () {
  this.timeout(20_000);
  let layout: CryptoLayout;
  let msps: MspManager;
  let manager: ChannelPolicyManager;
  const data = Buffer.from('a config update');

  const signer = (index: number, admin = true): Signer => {
    const org = ORGS[index];
    if (org === undefined) throw new TypeError(`no org ${index}`);
    const user = orgByMspId(layout, org.mspId).users.find((u) => u.nodeOu === (admin ? 'admin' : 'client'));
    if (user === undefined) throw new TypeError('no user');
    return loadSigner(org.mspId, user.signCertFile, user.keyFile);
  };
  const signed = (...signers: Signer[]): SignedData[] =>
    signers.map((s) => ({ data, identity: s.identity, signature: s.sign(data) }));
  const evaluate = (id: string, signatures: readonly SignedData[]) =>
    evaluateSignedDataAgainst(manager.getPolicy(id).policy, signatures, msps);

  before(async () => {
    layout = (await sharedMaterial()).layout;
    msps = await MspManager.fromLayout(cryptoLayout(layout.rootDir));
    const orgs = Object.fromEntries(
      ORGS.map((org) => [
        org.orgName,
        groupOf({
          Admins: policyOf('signature', `OR('${org.mspId}.admin')`),
          Writers: policyOf('signature', `OR('${org.mspId}.admin','${org.mspId}.client')`),
        }),
      ]),
    );
    // One org defines no Readers, so `ALL Readers` can never be met.
    const application = groupOf(
      {
        Admins: policyOf('meta', 'MAJORITY', 'Admins'),
        Writers: policyOf('meta', 'ANY', 'Writers'),
        AllWriters: policyOf('meta', 'ALL', 'Writers'),
        Readers: policyOf('meta', 'ALL', 'Readers'),
      },
      orgs,
    );
    const empty = groupOf({ Admins: policyOf('meta', 'MAJORITY', 'Admins') });
    manager = ChannelPolicyManager.fromGroup(
      'Channel',
      groupOf({ Admins: policyOf('meta', 'MAJORITY', 'Admins') }, { Application: application, Empty: empty }),
    );
  });

  it('counts MAJORITY as ⌊n/2⌋ + 1 of the sub-groups and reports how many were met', () => {
    expect(evaluate('/Channel/Application/Admins', signed(signer(0), signer(1)))).to.deep.equal({
      satisfied: true,
    });
    expect(evaluate('/Channel/Application/Admins', signed(signer(0), signer(1, false)))).to.deep.equal({
      satisfied: false,
      reason:
        "implicit policy evaluation failed - 1 sub-policies were satisfied, but this policy requires 2 of the 'Admins' sub-policies to be satisfied",
    });
  });

  it('counts ANY as one and ALL as every sub-group', () => {
    expect(evaluate('/Channel/Application/Writers', signed(signer(2, false))).satisfied).to.equal(true);
    expect(evaluate('/Channel/Application/AllWriters', signed(signer(0), signer(1, false)))).to.deep.equal({
      satisfied: false,
      reason:
        "implicit policy evaluation failed - 2 sub-policies were satisfied, but this policy requires 3 of the 'Writers' sub-policies to be satisfied",
    });
    expect(
      evaluate('/Channel/Application/AllWriters', signed(signer(0), signer(1), signer(2))).satisfied,
    ).to.equal(true);
  });

  it('counts a sub-group without the named policy as a sub-policy that is never satisfied', () => {
    expect(evaluate('/Channel/Application/Readers', signed(signer(0), signer(1), signer(2)))).to.deep.equal({
      satisfied: false,
      reason:
        "implicit policy evaluation failed - 0 sub-policies were satisfied, but this policy requires 3 of the 'Readers' sub-policies to be satisfied",
    });
  });

  it('needs nothing at all when the group has no sub-groups (threshold 0)', () => {
    expect(evaluate('/Channel/Empty/Admins', [])).to.deep.equal({ satisfied: true });
  });

  it('evaluates an ImplicitMeta policy whose sub-policies are ImplicitMeta policies themselves', () => {
    // /Channel/Admins = MAJORITY of {Application/Admins, Empty/Admins}: 2 of 2, Empty's needs nothing.
    expect(evaluate('/Channel/Admins', signed(signer(0)))).to.deep.equal({
      satisfied: false,
      reason:
        "implicit policy evaluation failed - 1 sub-policies were satisfied, but this policy requires 2 of the 'Admins' sub-policies to be satisfied",
    });
    expect(evaluate('Admins', signed(signer(0), signer(2))).satisfied).to.equal(true);
  });

  it('finds policies by relative and absolute path, and refuses everything for one it does not have', () => {
    expect(manager.getPolicy('Application/Writers').found).to.equal(true);
    expect(manager.manager(['Application'])?.getPolicy('/Channel/Application/Writers').found).to.equal(true);
    const org = ORGS[0]?.orgName ?? '';
    expect(manager.manager(['Application', org])?.path).to.equal(`Channel/Application/${org}`);
    const missing = manager.getPolicy('/Channel/Orderer/BlockValidation');
    expect(missing.found).to.equal(false);
    expect(evaluateSignedDataAgainst(missing.policy, signed(signer(0)), msps)).to.deep.equal({
      satisfied: false,
      reason: "no such policy: 'Orderer/BlockValidation'",
    });
  });

  it('refuses to build a policy of an unknown type, naming it and its path', () => {
    const bad = new common.ConfigPolicy();
    const policy = new common.Policy();
    policy.setType(common.Policy.PolicyType.MSP);
    bad.setPolicy(policy);
    expect(() => ChannelPolicyManager.fromGroup('Channel', groupOf({ Odd: bad }))).to.throw(
      'policy Odd at path Channel has unknown policy type: 2',
    );
  });
});
