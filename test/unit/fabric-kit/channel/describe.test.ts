import { expect } from 'chai';
import {
  CONSORTIUM,
  FabricKitError,
  ORDERER_ORG,
  PEER_ORGS,
  cryptoLayout,
  describeChannel,
  orgEndorsementRule,
  orgVeriscanEndorsementRule,
  type ChannelDescription,
  type ChannelPlan,
  type OrgSpec,
  type PolicyDescription,
} from '@veriscan/fabric-kit';

/** A consortium unlike the table: two endorsing orgs and one watcher. */
function peerOrg(key: string, mspId: string, endorses: boolean, slot: number): OrgSpec {
  return {
    key,
    mspId,
    orgName: `${key}-org`,
    kind: 'peer',
    memberRole: endorses ? 'lab' : 'regulator',
    endorses,
    nodeCount: 1,
    users: [],
    ports: {
      devnetOffset: slot,
      fabricPeer: 20000 + slot,
      fabricOperations: 21000 + slot,
      fabricChaincode: 22000 + slot,
    },
  };
}
const ORDERERS: OrgSpec = { ...ORDERER_ORG, key: 'ord', mspId: 'OrdMSP', orgName: 'Ord', nodeCount: 4 };
const SMALL: readonly OrgSpec[] = [
  peerOrg('alpha', 'AlphaMSP', true, 1),
  ORDERERS,
  peerOrg('beta', 'BetaMSP', true, 2),
  peerOrg('watch', 'WatchMSP', false, 3),
];
const layout = cryptoLayout('/crypto', SMALL);

function plan(overrides: Partial<ChannelPlan> = {}): ChannelPlan {
  return {
    channelId: 'ch',
    layout,
    consensus: 'etcdraft',
    orderers: [{ index: 0, host: 'o0.example', port: 7050 }],
    anchorPeer: (org) => ({ host: `peer.${org.key}`, port: org.ports.fabricPeer }),
    consortium: SMALL,
    ...overrides,
  };
}

const signature = (rule: string): PolicyDescription => ({ type: 'Signature', rule });
const meta = (rule: 'ANY' | 'MAJORITY', subPolicy: string): PolicyDescription => ({
  type: 'ImplicitMeta',
  rule,
  subPolicy,
});

/** Every mod_policy of the description. */
function modPolicies(d: ChannelDescription): string[] {
  return [
    d.modPolicy,
    d.orderer.modPolicy,
    d.application.modPolicy,
    ...d.orderer.organizations.map((o) => o.modPolicy),
    ...d.application.organizations.map((o) => o.modPolicy),
  ];
}

describe('the channel description derived from the consortium table', () => {
  it('has one application org per peer org of the table, in table order, with its MSP folder', () => {
    const d = describeChannel({ ...plan(), consortium: CONSORTIUM, layout: cryptoLayout('/crypto') });
    expect(d.application.organizations.map((o) => [o.name, o.mspId])).to.deep.equal(
      PEER_ORGS.map((o) => [o.orgName, o.mspId]),
    );
    expect(d.orderer.organizations.map((o) => o.mspId)).to.deep.equal([ORDERER_ORG.mspId]);
    for (const org of d.application.organizations)
      expect(org.mspDir).to.match(/^\/crypto\/peerOrganizations\/[^/]+\/msp$/);
  });

  it('follows any table: orgs in order, whatever their number, wherever the orderer org stands', () => {
    const d = describeChannel(plan());
    expect(d.application.organizations.map((o) => o.name)).to.deep.equal([
      'alpha-org',
      'beta-org',
      'watch-org',
    ]);
    expect(d.application.organizations.map((o) => o.mspDir)).to.deep.equal([
      '/crypto/peerOrganizations/alpha.veriscan.local/msp',
      '/crypto/peerOrganizations/beta.veriscan.local/msp',
      '/crypto/peerOrganizations/watch.veriscan.local/msp',
    ]);
    expect(d.orderer.organizations.map((o) => [o.name, o.mspDir])).to.deep.equal([
      ['Ord', '/crypto/ordererOrganizations/ord.veriscan.local/msp'],
    ]);
  });

  it("gives peer orgs Fabric's standard signature policies and the table's VeriscanEndorsement, unsatisfiable for a watcher", () => {
    const [alpha, , watch] = describeChannel(plan()).application.organizations;
    expect(alpha?.policies).to.deep.equal({
      Readers: signature("OR('AlphaMSP.admin', 'AlphaMSP.peer', 'AlphaMSP.client')"),
      Writers: signature("OR('AlphaMSP.admin', 'AlphaMSP.client')"),
      Admins: signature("OR('AlphaMSP.admin')"),
      Endorsement: signature(orgEndorsementRule({ mspId: 'AlphaMSP' })),
      VeriscanEndorsement: signature(orgVeriscanEndorsementRule({ mspId: 'AlphaMSP', endorses: true })),
    });
    // The watcher's own Endorsement (its lifecycle approvals) is its peer; only Veriscan writes never count it.
    expect(watch?.policies.Endorsement).to.deep.equal(signature("OR('WatchMSP.peer')"));
    expect(alpha?.policies.VeriscanEndorsement).to.deep.equal(signature("OR('AlphaMSP.peer')"));
    const rule = watch?.policies.VeriscanEndorsement;
    expect(rule?.type === 'Signature' && rule.rule).to.match(/^OutOf\(2,\s*'WatchMSP\.peer'\)$/);
  });

  it('sets the channel, orderer and application policies, capabilities and mod policies configtxgen writes', () => {
    const d = describeChannel(plan());
    const standard = {
      Readers: meta('ANY', 'Readers'),
      Writers: meta('ANY', 'Writers'),
      Admins: meta('MAJORITY', 'Admins'),
    };
    expect(d.policies).to.deep.equal(standard);
    expect(d.orderer.policies).to.deep.equal({ ...standard, BlockValidation: meta('ANY', 'Writers') });
    expect(d.application.policies).to.deep.equal({
      LifecycleEndorsement: meta('MAJORITY', 'Endorsement'),
      Endorsement: meta('MAJORITY', 'Endorsement'),
      VeriscanEndorsement: meta('MAJORITY', 'VeriscanEndorsement'),
      ...standard,
    });
    expect(d.orderer.organizations[0]?.policies).to.deep.equal({
      Readers: signature("OR('OrdMSP.member')"),
      Writers: signature("OR('OrdMSP.member')"),
      Admins: signature("OR('OrdMSP.admin')"),
    });
    expect([d.capabilities, d.orderer.capabilities, d.application.capabilities]).to.deep.equal([
      ['V3_0'],
      ['V2_0'],
      ['V2_5'],
    ]);
    expect([d.hashingAlgorithm, d.blockDataHashingWidth]).to.deep.equal(['SHA256', 4294967295]);
    expect(new Set(modPolicies(d))).to.deep.equal(new Set(['Admins']));
    expect(d.ordererAddressesModPolicy).to.equal('/Channel/Orderer/Admins');
    expect(d.orderer.addresses).to.deep.equal([]);
    expect(d.application.acls['peer/Propose']).to.equal('/Channel/Application/Writers');
  });

  it('places Raft consenters, endpoints and anchor peers where the plan says, with the orderers’ TLS certificates', () => {
    const d = describeChannel(
      plan({
        orderers: [
          { index: 0, host: 'a', port: 1 },
          { index: 2, host: 'c', port: 3 },
        ],
      }),
    );
    const ordOrg = layout.orgs.find((o) => o.mspId === 'OrdMSP');
    expect(d.orderer.consensus).to.deep.include({ type: 'etcdraft' });
    expect(d.orderer.consensus.consenters).to.deep.equal([
      {
        host: 'a',
        port: 1,
        clientTlsCertFile: ordOrg?.orderers[0]?.tlsCertFile,
        serverTlsCertFile: ordOrg?.orderers[0]?.tlsCertFile,
      },
      {
        host: 'c',
        port: 3,
        clientTlsCertFile: ordOrg?.orderers[2]?.tlsCertFile,
        serverTlsCertFile: ordOrg?.orderers[2]?.tlsCertFile,
      },
    ]);
    expect(d.orderer.organizations[0]?.endpoints).to.deep.equal(['a:1', 'c:3']);
    expect(d.application.organizations.map((o) => o.anchorPeers)).to.deep.equal([
      [{ host: 'peer.alpha', port: 20001 }],
      [{ host: 'peer.beta', port: 20002 }],
      [{ host: 'peer.watch', port: 20003 }],
    ]);
    expect(d.orderer.batchTimeoutMs).to.equal(100);
    expect(d.orderer.batchSize).to.deep.equal({
      maxMessageCount: 500,
      absoluteMaxBytes: 10485760,
      preferredMaxBytes: 2097152,
    });
  });

  it('maps BFT consenters to ids orderer index + 1 with their signing certificates', () => {
    const orderers = [0, 1, 2, 3].map((index) => ({ index, host: `o${index}`, port: 7050 + index }));
    const { consensus } = describeChannel(plan({ consensus: 'BFT', orderers })).orderer;
    if (consensus.type !== 'BFT') throw new TypeError('not BFT');
    expect(consensus.consenters.map((c) => [c.id, c.mspId, c.host])).to.deep.equal([
      [1, 'OrdMSP', 'o0'],
      [2, 'OrdMSP', 'o1'],
      [3, 'OrdMSP', 'o2'],
      [4, 'OrdMSP', 'o3'],
    ]);
    expect(consensus.consenters[3]?.identityFile).to.match(
      /orderer3\.ord\.veriscan\.local\/msp\/signcerts\/cert\.pem$/,
    );
    expect(consensus.options.requestBatchMaxInterval).to.equal('100ms');
  });

  it("takes the network's own batching", () => {
    const d = describeChannel(plan({ batch: { timeoutMs: 250, size: { maxMessageCount: 10 } } }));
    expect([
      d.orderer.batchTimeoutMs,
      d.orderer.batchSize.maxMessageCount,
      d.orderer.batchSize.absoluteMaxBytes,
    ]).to.deep.equal([250, 10, 10485760]);
  });

  it('refuses a plan without orderers, an orderer the layout lacks, and a table without one orderer org', () => {
    const code = (p: ChannelPlan): string => {
      try {
        describeChannel(p);
      } catch (error) {
        if (error instanceof FabricKitError) return error.code;
        throw error;
      }
      return 'accepted';
    };
    expect(code(plan({ orderers: [] }))).to.equal('MALFORMED_CONFIG');
    expect(code(plan({ orderers: [{ index: 4, host: 'x', port: 1 }] }))).to.equal('UNKNOWN_NAME');
    expect(code(plan({ consortium: SMALL.filter((o) => o.kind === 'peer') }))).to.equal('MALFORMED_CONFIG');
    expect(code(plan({ consortium: [...SMALL, { ...ORDERERS, mspId: 'Ord2MSP' }] }))).to.equal(
      'MALFORMED_CONFIG',
    );
  });
});
