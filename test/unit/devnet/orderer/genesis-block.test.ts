import { expect } from 'chai';
import { common } from '@hyperledger/fabric-protos';
import {
  ORDERER_ORG,
  PEER_ORGS,
  cryptoLayout,
  fileSystemMaterial,
  orgByMspId,
  type NodeMaterial,
} from '@veriscan/fabric-kit';
import { checkBlocks } from '../../../../network/devnet/src/audit/block-checks';
import { loadConfig, type DevnetConfig } from '../../../../network/devnet/src/config';
import { loadTrust, nodeSigner } from '../../../../network/devnet/src/node/trust';
import { devnetChannelDescription, genesisBlock } from '../../../../network/devnet/src/orderer/block-writer';
import { OrdererService, type OrdererOptions } from '../../../../network/devnet/src/orderer/orderer-service';
import { groupTree, isRecord, type Tree } from '../../fabric-kit/channel/support/config-tree';
import { sharedMaterial, tempDir } from '../../fabric-kit/msp/support/material';

function at(tree: Tree | undefined, ...path: string[]): Tree | undefined {
  let node = tree;
  for (const key of path) node = isRecord(node) ? node[key] : undefined;
  return node;
}

describe("the devnet orderer's block 0", function () {
  this.timeout(20_000);
  let config: DevnetConfig;
  let orderer0: NodeMaterial;

  before(async () => {
    const { layout } = await sharedMaterial();
    // The devnet's configuration on a port base of its own, over the shared material.
    config = {
      ...loadConfig({ VERISCAN_HOME: tempDir('veriscan-home-'), VERISCAN_DEVNET_PORT_BASE: '21050' }),
      cryptoDir: layout.rootDir,
    };
    const node = orgByMspId(layout, ORDERER_ORG.mspId).orderers[0];
    if (node === undefined) throw new TypeError('no orderer0 material');
    orderer0 = node;
  });

  it('configures Raft with orderer0 at the devnet orderer address as the one consenter, and the devnet peers as anchors', () => {
    const description = devnetChannelDescription(config);
    const { consensus, organizations, batchTimeoutMs, batchSize } = description.orderer;
    expect(consensus).to.deep.include({ type: 'etcdraft' });
    expect(consensus.consenters).to.deep.equal([
      {
        host: '127.0.0.1',
        port: config.orderer.port,
        clientTlsCertFile: orderer0.tlsCertFile,
        serverTlsCertFile: orderer0.tlsCertFile,
      },
    ]);
    expect(organizations.map((o) => o.endpoints)).to.deep.equal([[`127.0.0.1:${config.orderer.port}`]]);
    expect(description.application.organizations.map((o) => [o.mspId, o.anchorPeers])).to.deep.equal(
      PEER_ORGS.map((org) => [
        org.mspId,
        [{ host: '127.0.0.1', port: config.peers.find((p) => p.mspId === org.mspId)?.port }],
      ]),
    );
    expect([batchTimeoutMs, batchSize.maxMessageCount, batchSize.preferredMaxBytes]).to.deep.equal([
      config.batch.batchTimeoutMs,
      config.batch.maxMessageCount,
      config.batch.preferredMaxBytes,
    ]);
    expect(description.application.organizations.map((o) => o.mspDir)).to.deep.equal(
      PEER_ORGS.map((org) => orgByMspId(cryptoLayout(config.cryptoDir), org.mspId).mspDir),
    );
  });

  it('carries the whole configuration tree, signed by the orderer, and passes the audit checks as a chain root', async () => {
    const signer = nodeSigner(ORDERER_ORG.mspId, orderer0);
    const block = genesisBlock(devnetChannelDescription(config), fileSystemMaterial(), signer);
    const [bytes] = block.getData()?.getDataList_asU8() ?? [];
    const envelope = common.Envelope.deserializeBinary(bytes ?? new Uint8Array());
    const payload = common.Payload.deserializeBinary(envelope.getPayload_asU8());
    const group = common.ConfigEnvelope.deserializeBinary(payload.getData_asU8())
      .getConfig()
      ?.getChannelGroup();
    if (group === undefined) throw new TypeError('no channel group');
    const tree = groupTree(group);
    expect(Object.keys(at(tree, 'groups', 'Application', 'groups') ?? {})).to.have.length(PEER_ORGS.length);
    expect(at(tree, 'groups', 'Orderer', 'values', 'ConsensusType', 'value', 'type')).to.equal('etcdraft');
    const signatureHeader = common.SignatureHeader.deserializeBinary(
      payload.getHeader()?.getSignatureHeader_asU8() ?? new Uint8Array(),
    );
    expect(signatureHeader.getCreator_asU8()).to.deep.equal(signer.identity);
    const { identities } = await loadTrust(config.cryptoDir);
    const signed = {
      data: envelope.getPayload_asU8(),
      identity: signer.identity,
      signature: envelope.getSignature_asU8(),
    };
    expect(identities.verify(signed)).to.equal(true);
    const signatures = common.Metadata.deserializeBinary(
      block.getMetadata()?.getMetadataList_asU8()[common.BlockMetadataIndex.SIGNATURES] ?? new Uint8Array(),
    );
    expect(signatures.getSignaturesList()).to.have.length(1);
    expect(checkBlocks([block.serializeBinary()], identities).filter((c) => !c.ok)).to.deep.equal([]);
  });

  it('starts a new orderer ledger, and only for the channel the orderer serves', () => {
    const options: OrdererOptions = {
      dir: tempDir('veriscan-orderer-'),
      channelId: config.channelId,
      signer: nodeSigner(ORDERER_ORG.mspId, orderer0),
      log: () => undefined,
      channel: { description: devnetChannelDescription(config), material: fileSystemMaterial() },
    };
    const service = new OrdererService(options);
    expect(service.height).to.equal(1);
    service.close();
    expect(
      () => new OrdererService({ ...options, dir: tempDir('veriscan-orderer-'), channelId: 'another' }),
    ).to.throw(/block 0 would configure channel/);
  });
});
