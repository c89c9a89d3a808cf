import { createHash, generateKeyPairSync, sign, verify } from 'node:crypto';
import { expect } from 'chai';
import { Timestamp } from 'google-protobuf/google/protobuf/timestamp_pb';
import { common } from '@hyperledger/fabric-protos';
import {
  CHANNEL_ID,
  describeChannel,
  encodeChannelGroup,
  fileSystemMaterial,
  genesisBlock,
  type ChannelDescription,
  type CryptoLayout,
} from '@veriscan/fabric-kit';
import { sharedMaterial } from '../msp/support/material';
import { blockTree, groupTree, isRecord } from './support/config-tree';

let layout: CryptoLayout;
let description: ChannelDescription;
const at = new Date('2026-12-02T10:20:30.456Z');
const nonce = new Uint8Array(24).fill(7);

function parts(block: common.Block): {
  envelope: common.Envelope;
  channelHeader: common.ChannelHeader;
  signatureHeader: common.SignatureHeader;
  config: common.ConfigEnvelope;
} {
  const [bytes] = block.getData()?.getDataList_asU8() ?? [];
  if (bytes === undefined) throw new TypeError('block 0 has no envelope');
  const envelope = common.Envelope.deserializeBinary(bytes);
  const payload = common.Payload.deserializeBinary(envelope.getPayload_asU8());
  return {
    envelope,
    channelHeader: common.ChannelHeader.deserializeBinary(
      payload.getHeader()?.getChannelHeader_asU8() ?? new Uint8Array(),
    ),
    signatureHeader: common.SignatureHeader.deserializeBinary(
      payload.getHeader()?.getSignatureHeader_asU8() ?? new Uint8Array(),
    ),
    config: common.ConfigEnvelope.deserializeBinary(payload.getData_asU8()),
  };
}

describe('block 0 written as configtxgen -outputBlock writes it', function () {
  this.timeout(20_000);

  before(async () => {
    layout = (await sharedMaterial()).layout;
    description = describeChannel({
      channelId: CHANNEL_ID,
      layout,
      consensus: 'etcdraft',
      orderers: [{ index: 0, host: '127.0.0.1', port: 7050 }],
      anchorPeer: (org) => ({ host: '127.0.0.1', port: org.ports.fabricPeer }),
    });
  });

  it('is block number 0 with one CONFIG envelope, its data hash, and no previous hash', () => {
    const block = genesisBlock(description, {
      material: fileSystemMaterial(),
      timestamp: Timestamp.fromDate(at),
    });
    const header = block.getHeader();
    const data = block.getData()?.getDataList_asU8() ?? [];
    expect(header?.getNumber()).to.equal(0);
    expect(header?.getPreviousHash_asU8()).to.have.length(0);
    expect(data).to.have.length(1);
    const hash = createHash('sha256')
      .update(data[0] ?? new Uint8Array())
      .digest();
    expect(Buffer.from(header?.getDataHash_asU8() ?? new Uint8Array()).equals(hash)).to.equal(true);
  });

  it("carries the genesis header: version 1, epoch 0, whole-second time, the nonce's transaction id, no creator, no signature", () => {
    const block = genesisBlock(description, {
      material: fileSystemMaterial(),
      timestamp: Timestamp.fromDate(at),
      nonce,
    });
    const { envelope, channelHeader, signatureHeader } = parts(block);
    expect(channelHeader.getType()).to.equal(common.HeaderType.CONFIG);
    expect(channelHeader.getVersion()).to.equal(1);
    expect(channelHeader.getEpoch()).to.equal(0);
    expect(channelHeader.getChannelId()).to.equal(CHANNEL_ID);
    expect(channelHeader.getTimestamp()?.toObject()).to.deep.equal({
      seconds: Math.floor(at.getTime() / 1000),
      nanos: 0,
    });
    expect(channelHeader.getTxId()).to.equal(createHash('sha256').update(nonce).digest('hex'));
    expect(signatureHeader.getCreator()).to.have.length(0);
    expect(signatureHeader.getNonce_asU8()).to.deep.equal(nonce);
    expect(envelope.getSignature()).to.have.length(0);
  });

  it('holds the ConfigEnvelope of sequence 0 over the encoded channel group, without a last update', () => {
    const block = genesisBlock(description, {
      material: fileSystemMaterial(),
      timestamp: Timestamp.fromDate(at),
    });
    const { config } = parts(block);
    expect(config.getConfig()?.getSequence()).to.equal(0);
    expect(config.hasLastUpdate()).to.equal(false);
    const group = config.getConfig()?.getChannelGroup();
    if (group === undefined) throw new TypeError('no channel group');
    expect(groupTree(group)).to.deep.equal(groupTree(encodeChannelGroup(description, fileSystemMaterial())));
  });

  it('names block 0 as the last config in LAST_CONFIG and SIGNATURES, with no signatures', () => {
    const tree = blockTree(
      genesisBlock(description, {
        material: fileSystemMaterial(),
        timestamp: Timestamp.fromDate(at),
      }).serializeBinary(),
    );
    expect(isRecord(tree) ? tree.metadata : null).to.deep.equal([
      { value: { lastConfig: { index: 0 }, consenterMetadata: '' }, signatures: 0 },
      { value: { index: 0 }, signatures: 0 },
      '',
      '',
      '',
    ]);
  });

  it('with a signer, names it as the creator, derives the transaction id from it and signs the payload', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const identity = new Uint8Array(Buffer.from('serialized identity'));
    const block = genesisBlock(description, {
      material: fileSystemMaterial(),
      timestamp: Timestamp.fromDate(at),
      nonce,
      signer: { identity, sign: (message) => new Uint8Array(sign('sha256', message, privateKey)) },
    });
    const { envelope, channelHeader, signatureHeader } = parts(block);
    expect(signatureHeader.getCreator_asU8()).to.deep.equal(identity);
    expect(channelHeader.getTxId()).to.equal(
      createHash('sha256').update(nonce).update(identity).digest('hex'),
    );
    expect(verify('sha256', envelope.getPayload_asU8(), publicKey, envelope.getSignature_asU8())).to.equal(
      true,
    );
  });
});
