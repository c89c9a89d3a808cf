import { expect } from 'chai';
import { common } from '@hyperledger/fabric-protos';
import { CHANNEL_ID, peerOrgByKey } from '@veriscan/fabric-kit';
import { ChannelConfig } from '../../../../network/devnet/src/channelconfig/channel-config';
import {
  configTransactionOf,
  lastConfigIndexOf,
} from '../../../../network/devnet/src/channelconfig/config-block';
import { Ledger } from '../../../../network/devnet/src/ledger/ledger';
import { channelTrust, nodeSigner } from '../../../../network/devnet/src/node/trust';
import { hashOf, newBlock, signBlock } from '../../../../network/devnet/src/orderer/block-writer';
import { signedConfigTransaction } from '../../../../network/devnet/src/orderer/msgprocessor';
import { OrdererService } from '../../../../network/devnet/src/orderer/orderer-service';
import type { Signer } from '../../../../network/devnet/src/common/trust';
import {
  NEW_ORG,
  channelFixture,
  signedUpdate,
  withOrg,
  type ChannelFixture,
} from '../configtx/support/channel';

/** A peer's ledger in a folder of its own, with the trust its channel configuration gives. */
function peerLedger(dir: string): { ledger: Ledger; channel: ChannelConfig } {
  const channel = new ChannelConfig(CHANNEL_ID);
  const { identities, policies } = channelTrust(channel);
  return { ledger: new Ledger({ dir, channelId: CHANNEL_ID, identities, policies, channel }), channel };
}

function blockOf(orderer: OrdererService, number: number): common.Block {
  const block = orderer.block(number);
  if (block === undefined) throw new TypeError(`the orderer has no block ${number}`);
  return block;
}

/** Block `number` after `previous` holding `envelope`, signed by `signer` as the orderer signs blocks. */
function signedBlock(previous: common.Block, envelope: common.Envelope, signer: Signer): common.Block {
  const number = (previous.getHeader()?.getNumber() ?? 0) + 1;
  const block = newBlock(number, hashOf(previous), [envelope.serializeBinary()]);
  signBlock(block, signer, number);
  return block;
}

describe('a devnet peer committing config blocks', function () {
  this.timeout(30_000);
  let f: ChannelFixture;
  let orderer: OrdererService;
  const threeAdmins = (): Signer[] => ['hospital-a', 'hospital-b', 'lab-1'].map((key) => f.signer(key));

  before(async () => {
    f = await channelFixture();
  });

  beforeEach(() => {
    orderer = new OrdererService(f.ordererOptions());
  });

  afterEach(() => {
    orderer.close();
  });

  it('catches up from block 0 and trusts an added org from the config block that adds it, also after a restart', () => {
    const update = signedUpdate(
      f.genesis,
      withOrg(f.genesis, NEW_ORG.orgName, f.newOrg.group),
      threeAdmins(),
      f.signer('hospital-a'),
    );
    expect(orderer.broadcast(update).status).to.equal(common.Status.SUCCESS);
    const dir = f.freshDir();
    const { ledger, channel } = peerLedger(dir);
    const newAdmin = f.signer(NEW_ORG.key);
    const signedByNewAdmin = {
      data: Buffer.from('x'),
      identity: newAdmin.identity,
      signature: newAdmin.sign(Buffer.from('x')),
    };
    try {
      expect(channel.isSet).to.equal(false);
      ledger.commit(blockOf(orderer, 0));
      expect(channel.current.sequence).to.equal(0);
      expect(channel.identities.verify(signedByNewAdmin)).to.equal(false);
      const committed = ledger.commit(blockOf(orderer, 1));
      expect(committed.configSequence).to.equal(1);
      expect(channel.current.msps.mspIds).to.include(NEW_ORG.mspId);
      expect(channel.identities.verify(signedByNewAdmin)).to.equal(true);
    } finally {
      ledger.close();
    }
    const reopened = peerLedger(dir);
    try {
      expect(reopened.ledger.height).to.equal(2);
      expect(reopened.channel.current.sequence).to.equal(1);
      expect(reopened.channel.identities.verify(signedByNewAdmin)).to.equal(true);
    } finally {
      reopened.ledger.close();
    }
  });

  it('refuses a config block whose configuration does not follow from its last update', () => {
    const update = signedUpdate(
      f.genesis,
      withOrg(f.genesis, NEW_ORG.orgName, f.newOrg.group),
      threeAdmins(),
      f.signer('hospital-a'),
    );
    const proposed = orderer.channel.current.validator.proposeConfigUpdate(update);
    // The orderer signs a configuration with a second org the update never asked for.
    const config = proposed.getConfig();
    config
      ?.getChannelGroup()
      ?.getGroupsMap()
      .get('Application')
      ?.getGroupsMap()
      .set('Smuggled', f.newOrg.group);
    const genesis = blockOf(orderer, 0);
    const block = signedBlock(
      genesis,
      signedConfigTransaction(CHANNEL_ID, proposed, f.ordererSigner()),
      f.ordererSigner(),
    );
    const { ledger, channel } = peerLedger(f.freshDir());
    try {
      ledger.commit(genesis);
      expect(() => ledger.commit(block)).to.throw(
        'error validating config which passed initial validity checks: ConfigEnvelope LastUpdate did not produce the supplied config result',
      );
      expect([ledger.height, channel.current.sequence]).to.deep.equal([1, 0]);
    } finally {
      ledger.close();
    }
  });

  it('refuses a config block whose last update two admins signed', () => {
    const full = signedUpdate(
      f.genesis,
      withOrg(f.genesis, NEW_ORG.orgName, f.newOrg.group),
      threeAdmins(),
      f.signer('hospital-a'),
    );
    const proposed = orderer.channel.current.validator.proposeConfigUpdate(full);
    proposed.setLastUpdate(
      signedUpdate(
        f.genesis,
        withOrg(f.genesis, NEW_ORG.orgName, f.newOrg.group),
        threeAdmins().slice(0, 2),
        f.signer('hospital-a'),
      ),
    );
    const genesis = blockOf(orderer, 0);
    const block = signedBlock(
      genesis,
      signedConfigTransaction(CHANNEL_ID, proposed, f.ordererSigner()),
      f.ordererSigner(),
    );
    const { ledger } = peerLedger(f.freshDir());
    try {
      ledger.commit(genesis);
      expect(() => ledger.commit(block)).to.throw(
        'error validating config which passed initial validity checks: error validating DeltaSet: policy for [Group]  /Channel/Application not satisfied: ' +
          "implicit policy evaluation failed - 2 sub-policies were satisfied, but this policy requires 3 of the 'Admins' sub-policies to be satisfied",
      );
    } finally {
      ledger.close();
    }
  });

  it('refuses a block that the orderer did not sign', () => {
    const update = signedUpdate(
      f.genesis,
      withOrg(f.genesis, NEW_ORG.orgName, f.newOrg.group),
      threeAdmins(),
      f.signer('hospital-a'),
    );
    expect(orderer.broadcast(update).status).to.equal(common.Status.SUCCESS);
    const genesis = blockOf(orderer, 0);
    const config = configTransactionOf(blockOf(orderer, 1));
    if (config === undefined) throw new TypeError('block 1 is not a config block');
    const peer = peerOrgByKey('hospital-a');
    const material = f.layout.orgs.find((o) => o.mspId === peer.mspId)?.peers[0];
    if (material === undefined) throw new TypeError('no peer material');
    const forged = signedBlock(genesis, config.envelope, nodeSigner(peer.mspId, material));
    expect(lastConfigIndexOf(forged)).to.equal(1);
    const { ledger } = peerLedger(f.freshDir());
    try {
      ledger.commit(genesis);
      expect(() => ledger.commit(forged)).to.throw(
        "implicit policy evaluation failed - 0 sub-policies were satisfied, but this policy requires 1 of the 'Writers' sub-policies to be satisfied",
      );
      expect(ledger.height).to.equal(1);
    } finally {
      ledger.close();
    }
  });
});
