import { expect } from 'chai';
import { common, orderer as ordererProtos } from '@hyperledger/fabric-protos';
import { CHANNEL_ID } from '@veriscan/fabric-kit';
import {
  configTransactionOf,
  lastConfigIndexOf,
} from '../../../../network/devnet/src/channelconfig/config-block';
import { OrdererService } from '../../../../network/devnet/src/orderer/orderer-service';
import { NEW_ORG, channelFixture, signedUpdate, withOrg, type ChannelFixture } from './support/channel';

const APPLICATION_KEY = '[Group]  /Channel/Application';
const NOT_ENOUGH_ADMINS =
  `error applying config update to existing channel '${CHANNEL_ID}': error authorizing update: ` +
  `error validating DeltaSet: policy for ${APPLICATION_KEY} not satisfied: implicit policy evaluation ` +
  `failed - 2 sub-policies were satisfied, but this policy requires 3 of the 'Admins' sub-policies to be satisfied`;

/** Waits until the orderer has cut `height` blocks (its batch timeout is the devnet's 100 ms). */
async function untilHeight(orderer: OrdererService, height: number): Promise<void> {
  for (let i = 0; i < 200 && orderer.height < height; i++) await new Promise((r) => setTimeout(r, 10));
  expect(orderer.height).to.equal(height);
}

describe('the devnet orderer processing a channel configuration update', function () {
  this.timeout(30_000);
  let f: ChannelFixture;
  let orderer: OrdererService;

  before(async () => {
    f = await channelFixture();
  });

  beforeEach(() => {
    orderer = new OrdererService(f.ordererOptions());
  });

  afterEach(() => {
    orderer.close();
  });

  const addOrg = (
    signers: readonly string[],
    options: { from?: common.Config; users?: readonly string[] } = {},
  ) =>
    signedUpdate(
      options.from ?? f.genesis,
      withOrg(options.from ?? f.genesis, NEW_ORG.orgName, f.newOrg.group),
      [...signers.map((key) => f.signer(key)), ...(options.users ?? []).map((key) => f.signer(key, false))],
      f.signer('hospital-a'),
    );

  it('accepts an update adding an org signed by three of the five org admins, in a config block of its own', () => {
    const answer = orderer.broadcast(addOrg(['hospital-a', 'hospital-b', 'lab-1']));
    expect(answer).to.deep.equal({ status: common.Status.SUCCESS, info: '' });
    expect(orderer.height).to.equal(2);
    const current = orderer.channel.current;
    expect(current.sequence).to.equal(1);
    expect(current.applicationOrgs.get(NEW_ORG.orgName)).to.equal(NEW_ORG.mspId);
    expect(current.msps.mspIds).to.include(NEW_ORG.mspId);
    // The new org's admin is now a member whose signature counts.
    expect(() => current.msps.deserialize(f.signer(NEW_ORG.key).identity)).not.to.throw();
  });

  it('refuses the update signed by two org admins, with Fabric’s status and text', () => {
    const answer = orderer.broadcast(addOrg(['hospital-a', 'lab-2']));
    expect(answer).to.deep.equal({ status: common.Status.BAD_REQUEST, info: NOT_ENOUGH_ADMINS });
    expect(orderer.height).to.equal(1);
    expect(orderer.channel.current.sequence).to.equal(0);
  });

  it('refuses the update when one of three signatures is by a user who is not an admin', () => {
    const answer = orderer.broadcast(addOrg(['hospital-a', 'hospital-b'], { users: ['lab-1'] }));
    expect(answer).to.deep.equal({ status: common.Status.BAD_REQUEST, info: NOT_ENOUGH_ADMINS });
  });

  it('refuses an update whose read set is stale, naming the key and both versions', () => {
    expect(orderer.broadcast(addOrg(['hospital-a', 'hospital-b', 'lab-1'])).status).to.equal(
      common.Status.SUCCESS,
    );
    // Computed from block 0's configuration again, after the first update bumped Application to version 1.
    const stale = signedUpdate(
      f.genesis,
      withOrg(f.genesis, 'Another', f.newOrg.group),
      ['hospital-a', 'hospital-b', 'lab-1'].map((key) => f.signer(key)),
      f.signer('hospital-a'),
    );
    expect(orderer.broadcast(stale)).to.deep.equal({
      status: common.Status.BAD_REQUEST,
      info:
        `error applying config update to existing channel '${CHANNEL_ID}': error authorizing update: ` +
        `error validating ReadSet: proposed update requires that key ${APPLICATION_KEY} be at version 0, ` +
        'but it is currently at version 1',
    });
  });

  it('refuses an update submitted by an identity that does not satisfy /Channel/Writers, as FORBIDDEN', () => {
    const update = signedUpdate(
      f.genesis,
      withOrg(f.genesis, NEW_ORG.orgName, f.newOrg.group),
      ['hospital-a', 'hospital-b', 'lab-1'].map((key) => f.signer(key)),
      // Not a member until the update is applied.
      f.signer(NEW_ORG.key),
    );
    expect(orderer.broadcast(update)).to.deep.equal({
      status: common.Status.FORBIDDEN,
      info:
        'config update for existing channel did not pass initial checks: implicit policy evaluation failed - ' +
        "0 sub-policies were satisfied, but this policy requires 1 of the 'Writers' sub-policies to be satisfied: permission denied",
    });
  });

  it('refuses a CONFIG transaction broadcast directly', () => {
    const update = addOrg(['hospital-a', 'hospital-b', 'lab-1']);
    const payload = common.Payload.deserializeBinary(update.getPayload_asU8());
    const header = common.ChannelHeader.deserializeBinary(
      payload.getHeader()?.getChannelHeader_asU8() ?? new Uint8Array(),
    );
    header.setType(common.HeaderType.CONFIG);
    payload.getHeader()?.setChannelHeader(header.serializeBinary());
    update.setPayload(payload.serializeBinary());
    expect(orderer.broadcast(update)).to.deep.equal({
      status: common.Status.BAD_REQUEST,
      info: 'message is of type that cannot be processed directly',
    });
  });

  it('applies an orderer batching change signed by the orderer org admin, and refuses one Fabric would refuse', () => {
    const batched = (
      edit: (size: ordererProtos.BatchSize, timeout: ordererProtos.BatchTimeout) => void,
    ): common.Config => {
      const updated = common.Config.deserializeBinary(f.genesis.serializeBinary());
      const values = updated.getChannelGroup()?.getGroupsMap().get('Orderer')?.getValuesMap();
      const size = ordererProtos.BatchSize.deserializeBinary(
        values?.get('BatchSize')?.getValue_asU8() ?? new Uint8Array(),
      );
      const timeout = ordererProtos.BatchTimeout.deserializeBinary(
        values?.get('BatchTimeout')?.getValue_asU8() ?? new Uint8Array(),
      );
      edit(size, timeout);
      values?.get('BatchSize')?.setValue(size.serializeBinary());
      values?.get('BatchTimeout')?.setValue(timeout.serializeBinary());
      return updated;
    };
    const submit = (to: common.Config) =>
      orderer.broadcast(signedUpdate(f.genesis, to, [f.ordererAdmin()], f.ordererAdmin()));
    expect(
      submit(
        batched((size) => {
          size.setMaxMessageCount(0);
        }),
      ),
    ).to.deep.equal({
      status: common.Status.BAD_REQUEST,
      info:
        `error applying config update to existing channel '${CHANNEL_ID}': initializing channelconfig failed: ` +
        'could not create channel Orderer sub-group config: Attempted to set the batch size max message count to an invalid value: 0',
    });
    expect(
      submit(
        batched((size, timeout) => {
          size.setMaxMessageCount(7);
          timeout.setTimeout('1.5s');
        }),
      ).status,
    ).to.equal(common.Status.SUCCESS);
    expect(orderer.channel.current.batching).to.deep.include({ batchTimeoutMs: 1500, maxMessageCount: 7 });
  });

  it('cuts pending transactions first, names the config block as LAST_CONFIG from it on, and keeps it across a restart', async () => {
    const options = f.ordererOptions();
    const first = new OrdererService(options);
    try {
      const writer = f.signer('lab-2', false);
      const normal = (): common.Envelope => {
        const header = new common.ChannelHeader();
        header.setType(common.HeaderType.ENDORSER_TRANSACTION);
        header.setChannelId(CHANNEL_ID);
        const signatureHeader = new common.SignatureHeader();
        signatureHeader.setCreator(writer.identity);
        const payload = new common.Payload();
        const h = new common.Header();
        h.setChannelHeader(header.serializeBinary());
        h.setSignatureHeader(signatureHeader.serializeBinary());
        payload.setHeader(h);
        const envelope = new common.Envelope();
        envelope.setPayload(payload.serializeBinary());
        envelope.setSignature(writer.sign(envelope.getPayload_asU8()));
        return envelope;
      };
      expect(first.broadcast(normal()).status).to.equal(common.Status.SUCCESS);
      expect(first.broadcast(addOrg(['hospital-a', 'hospital-b', 'lab-1'])).status).to.equal(
        common.Status.SUCCESS,
      );
      expect(first.broadcast(normal()).status).to.equal(common.Status.SUCCESS);
      await untilHeight(first, 4);
    } finally {
      first.close();
    }
    const restarted = new OrdererService(options);
    try {
      expect(restarted.channel.current.sequence).to.equal(1);
      const blocks = [0, 1, 2, 3].map((n) => restarted.block(n));
      expect(blocks.map((b) => (b === undefined ? -1 : lastConfigIndexOf(b)))).to.deep.equal([0, 0, 2, 2]);
      const config = blocks[2] === undefined ? undefined : configTransactionOf(blocks[2]);
      expect(config?.configEnvelope.getConfig()?.getSequence()).to.equal(1);
      expect(config?.channelHeader.getType()).to.equal(common.HeaderType.CONFIG);
      // The last update travels in the config transaction, so peers can validate it again.
      expect(config?.configEnvelope.getLastUpdate()).to.not.equal(undefined);
    } finally {
      restarted.close();
    }
  });
});
