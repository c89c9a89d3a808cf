import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { common } from '@hyperledger/fabric-protos';
import {
  CHANNEL_ID,
  FabricKitError,
  ORDERER_ORG,
  PEER_ORGS,
  describeChannel,
  encodeChannelGroup,
  fileSystemMaterial,
  type ChannelDescription,
  type ConsensusType,
  type CryptoLayout,
} from '@veriscan/fabric-kit';
import { sharedMaterial } from '../msp/support/material';
import { groupTree, isList, isRecord, type Tree } from './support/config-tree';

let layout: CryptoLayout;

function describe4(consensus: ConsensusType, count = 1): ChannelDescription {
  return describeChannel({
    channelId: CHANNEL_ID,
    layout,
    consensus,
    orderers: Array.from({ length: count }, (_, index) => ({
      index,
      host: '127.0.0.1',
      port: 7050 + 100 * index,
    })),
    anchorPeer: (org) => ({ host: '127.0.0.1', port: org.ports.fabricPeer }),
  });
}

/** Walks a decoded tree by keys; undefined where a key is missing. */
function at(tree: Tree | undefined, ...path: string[]): Tree | undefined {
  let node = tree;
  for (const key of path) node = isRecord(node) ? node[key] : undefined;
  return node;
}

const keys = (tree: Tree | undefined): string[] => (isRecord(tree) ? Object.keys(tree) : []);

/** Every mod_policy in the tree, with its path. */
function modPolicies(tree: Tree | undefined, path = 'Channel'): [string, Tree | undefined][] {
  const found: [string, Tree | undefined][] = [[path, at(tree, 'modPolicy')]];
  for (const kind of ['values', 'policies'])
    for (const key of keys(at(tree, kind)))
      found.push([`${path}/${kind}/${key}`, at(tree, kind, key, 'modPolicy')]);
  for (const key of keys(at(tree, 'groups')))
    found.push(...modPolicies(at(tree, 'groups', key), `${path}/${key}`));
  return found;
}

describe('the channel configuration tree encoded from the description', function () {
  this.timeout(20_000);

  before(async () => {
    layout = (await sharedMaterial()).layout;
  });

  it('has the groups, values and policies configtxgen writes at each level, all at version 0', () => {
    const tree = groupTree(encodeChannelGroup(describe4('etcdraft'), fileSystemMaterial()));
    expect(keys(at(tree, 'groups'))).to.deep.equal(['Application', 'Orderer']);
    // No OrdererAddresses: V3_0 channels name orderers per org (Endpoints) only.
    expect(keys(at(tree, 'values'))).to.deep.equal([
      'BlockDataHashingStructure',
      'Capabilities',
      'HashingAlgorithm',
    ]);
    expect(keys(at(tree, 'groups', 'Orderer', 'values'))).to.deep.equal([
      'BatchSize',
      'BatchTimeout',
      'Capabilities',
      'ChannelRestrictions',
      'ConsensusType',
    ]);
    expect(keys(at(tree, 'groups', 'Orderer', 'policies'))).to.deep.equal([
      'Admins',
      'BlockValidation',
      'Readers',
      'Writers',
    ]);
    expect(keys(at(tree, 'groups', 'Application', 'values'))).to.deep.equal(['ACLs', 'Capabilities']);
    expect(keys(at(tree, 'groups', 'Application', 'groups'))).to.deep.equal(
      PEER_ORGS.map((o) => o.orgName).sort(),
    );
    for (const org of PEER_ORGS) {
      const group = at(tree, 'groups', 'Application', 'groups', org.orgName);
      expect(keys(at(group, 'values'))).to.deep.equal(['AnchorPeers', 'MSP']);
      expect(keys(at(group, 'policies'))).to.deep.equal([
        'Admins',
        'Endorsement',
        'Readers',
        'VeriscanEndorsement',
        'Writers',
      ]);
      expect(at(group, 'values', 'MSP', 'value', 'config', 'name')).to.equal(org.mspId);
    }
    const ordererOrg = at(tree, 'groups', 'Orderer', 'groups', ORDERER_ORG.orgName);
    expect(keys(at(ordererOrg, 'values'))).to.deep.equal(['Endpoints', 'MSP']);
    expect(at(ordererOrg, 'values', 'Endpoints', 'value')).to.deep.equal({
      addressesList: ['127.0.0.1:7050'],
    });
    expect(JSON.stringify(tree)).to.not.match(/"version":[1-9]/);
  });

  it('gives every group, value and policy the mod_policy Admins', () => {
    const tree = groupTree(encodeChannelGroup(describe4('BFT', 4), fileSystemMaterial()));
    const others = modPolicies(tree).filter(([, modPolicy]) => modPolicy !== 'Admins');
    expect(others).to.deep.equal([]);
  });

  it('writes the batch settings, capabilities and Raft metadata with the consenters’ certificate files', () => {
    const description = describe4('etcdraft', 3);
    const tree = groupTree(encodeChannelGroup(description, fileSystemMaterial()));
    const orderer = at(tree, 'groups', 'Orderer', 'values');
    expect(at(orderer, 'BatchTimeout', 'value')).to.deep.equal({ timeout: '100ms' });
    expect(at(orderer, 'BatchSize', 'value')).to.deep.equal({
      maxMessageCount: 500,
      absoluteMaxBytes: 10485760,
      preferredMaxBytes: 2097152,
    });
    expect(at(orderer, 'ChannelRestrictions', 'value')).to.deep.equal({ maxCount: 0 });
    expect(at(orderer, 'Capabilities', 'value')).to.deep.equal({ capabilitiesMap: { V2_0: {} } });
    expect(at(tree, 'values', 'Capabilities', 'value')).to.deep.equal({ capabilitiesMap: { V3_0: {} } });
    expect(at(tree, 'values', 'BlockDataHashingStructure', 'value')).to.deep.equal({ width: 4294967295 });
    const consensus = at(orderer, 'ConsensusType', 'value');
    expect(at(consensus, 'type')).to.equal('etcdraft');
    const consenters = at(consensus, 'metadata', 'consentersList');
    if (!isList(consenters)) throw new TypeError('no consenters');
    const orderers = layout.orgs.find((o) => o.mspId === ORDERER_ORG.mspId)?.orderers ?? [];
    expect(consenters).to.deep.equal(
      [0, 1, 2].map((i) => {
        const cert = readFileSync(orderers[i]?.tlsCertFile ?? '').toString('base64');
        return { host: '127.0.0.1', port: 7050 + 100 * i, clientTlsCert: cert, serverTlsCert: cert };
      }),
    );
    expect(at(consensus, 'metadata', 'options')).to.deep.equal({
      tickInterval: '500ms',
      electionTick: 10,
      heartbeatTick: 1,
      maxInflightBlocks: 5,
      snapshotIntervalSize: 16777216,
    });
  });

  it('replaces BlockValidation for BFT with a quorum of the consenters’ identities and adds the Orderers value', () => {
    const tree = groupTree(encodeChannelGroup(describe4('BFT', 4), fileSystemMaterial()));
    const orderer = at(tree, 'groups', 'Orderer');
    const validation = at(orderer, 'policies', 'BlockValidation', 'policy');
    expect(at(validation, 'rule')).to.deep.equal({
      signedBy: null,
      nOutOf: { n: 3, rulesList: [0, 1, 2, 3].map((i) => ({ signedBy: i, nOutOf: null })) },
    });
    const identities = at(validation, 'identities');
    if (!isList(identities)) throw new TypeError('no identities');
    const signCerts = (layout.orgs.find((o) => o.mspId === ORDERER_ORG.mspId)?.orderers ?? [])
      .slice(0, 4)
      .map((node) => readFileSync(node.signCertFile).toString('base64'));
    expect(identities).to.deep.equal(
      signCerts.map((idBytes) => ({ classification: 2, principal: { mspid: ORDERER_ORG.mspId, idBytes } })),
    );
    const mapping = at(orderer, 'values', 'Orderers', 'value', 'consenterMappingList');
    if (!isList(mapping)) throw new TypeError('no consenter mapping');
    expect(mapping.map((c) => [at(c, 'id'), at(c, 'mspId'), at(c, 'identity')])).to.deep.equal(
      signCerts.map((cert, i) => [i + 1, ORDERER_ORG.mspId, cert]),
    );
    expect(at(orderer, 'values', 'ConsensusType', 'value', 'type')).to.equal('BFT');
  });

  it('writes OrdererAddresses with /Channel/Orderer/Admins when a pre-V3_0 channel has global addresses', () => {
    const d = describe4('etcdraft');
    const legacy: ChannelDescription = {
      ...d,
      capabilities: ['V2_0'],
      orderer: { ...d.orderer, addresses: ['o:1'] },
    };
    const value = at(
      groupTree(encodeChannelGroup(legacy, fileSystemMaterial())),
      'values',
      'OrdererAddresses',
    );
    expect(value).to.deep.equal({
      version: 0,
      modPolicy: '/Channel/Orderer/Admins',
      value: { addressesList: ['o:1'] },
    });
  });

  it('refuses what configtxgen refuses: a missing required policy, a missing certificate, global addresses with V3_0', () => {
    const d = describe4('etcdraft');
    const code = (description: ChannelDescription): string => {
      try {
        encodeChannelGroup(description, fileSystemMaterial());
      } catch (error) {
        if (error instanceof FabricKitError) return error.code;
        throw error;
      }
      return 'accepted';
    };
    const withoutAdmins = Object.fromEntries(
      Object.entries(d.application.policies).filter(([name]) => name !== 'Admins'),
    );
    expect(code({ ...d, application: { ...d.application, policies: withoutAdmins } })).to.equal(
      'MALFORMED_CONFIG',
    );
    const consensus = d.orderer.consensus;
    if (consensus.type !== 'etcdraft') throw new TypeError('not Raft');
    const missing = {
      ...consensus,
      consenters: consensus.consenters.map((c) => ({ ...c, clientTlsCertFile: '/nowhere.pem' })),
    };
    expect(code({ ...d, orderer: { ...d.orderer, consensus: missing } })).to.equal('MALFORMED_CONFIG');
    expect(code({ ...d, orderer: { ...d.orderer, addresses: ['o:1'] } })).to.equal('MALFORMED_CONFIG');
  });

  it('encodes a policy as Fabric types it: signature policies SIGNATURE, implicit meta IMPLICIT_META', () => {
    const group = encodeChannelGroup(describe4('etcdraft'), fileSystemMaterial());
    expect(group.getPoliciesMap().get('Admins')?.getPolicy()?.getType()).to.equal(
      common.Policy.PolicyType.IMPLICIT_META,
    );
    const app = group.getGroupsMap().get('Application');
    const org = app?.getGroupsMap().get(PEER_ORGS[0]?.orgName ?? '');
    expect(org?.getPoliciesMap().get('Readers')?.getPolicy()?.getType()).to.equal(
      common.Policy.PolicyType.SIGNATURE,
    );
  });
});
