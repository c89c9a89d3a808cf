import { expect } from 'chai';
import { ORDERER_ORG, orgByMspId, peerOrgByKey } from '@veriscan/fabric-kit';
import { checkProposeAcl } from '../../../../network/devnet/src/channelconfig/acl';
import { ChannelBundle } from '../../../../network/devnet/src/channelconfig/bundle';
import { ChannelConfig } from '../../../../network/devnet/src/channelconfig/channel-config';
import { nodeSigner } from '../../../../network/devnet/src/node/trust';
import type { Signer } from '../../../../network/devnet/src/common/trust';
import { channelFixture } from '../configtx/support/channel';

describe('the peer/Propose ACL from the channel configuration', function () {
  this.timeout(30_000);

  const signed = (signer: Signer): { data: Uint8Array; identity: Uint8Array; signature: Uint8Array } => {
    const data = Buffer.from('a proposal');
    return { data, identity: signer.identity, signature: signer.sign(data) };
  };

  async function channel(): Promise<ChannelConfig> {
    const { config, genesis } = await channelFixture();
    return new ChannelConfig(config.channelId, ChannelBundle.fromConfig(config.channelId, genesis));
  }

  it("lets an org's client and admin propose (/Channel/Application/Writers)", async () => {
    const fixture = await channelFixture();
    const ch = await channel();
    expect(checkProposeAcl(ch, signed(fixture.signer('hospital-a', false)))).to.equal(undefined);
    expect(checkProposeAcl(ch, signed(fixture.signer('lab-2', true)))).to.equal(undefined);
  });

  it("refuses a peer's or an orderer's identity with Fabric's text", async () => {
    const fixture = await channelFixture();
    const ch = await channel();
    const peerNode = orgByMspId(fixture.layout, peerOrgByKey('lab-1').mspId).peers[0];
    const ordererNode = orgByMspId(fixture.layout, ORDERER_ORG.mspId).orderers[0];
    if (peerNode === undefined || ordererNode === undefined) throw new Error('no node material');
    for (const signer of [
      nodeSigner(peerOrgByKey('lab-1').mspId, peerNode),
      nodeSigner(ORDERER_ORG.mspId, ordererNode),
    ]) {
      expect(checkProposeAcl(ch, signed(signer))).to.match(
        /^failed evaluating policy on signed data during check policy \[\/Channel\/Application\/Writers\]: \[implicit policy evaluation failed - 0 sub-policies were satisfied, but this policy requires 1 of the 'Writers' sub-policies to be satisfied\]$/,
      );
    }
  });
});
