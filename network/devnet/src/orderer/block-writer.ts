/**
 * Builds and signs blocks the way the orderer does (orderer/common/multichannel/blockwriter.go,
 * protoutil/blockutils.go): header hash chain, data hash, SIGNATURES and LAST_CONFIG metadata. Block 0
 * holds the channel's whole configuration tree, encoded by fabric-kit from the same channel description
 * real Fabric's configtx.yaml is rendered from (common/genesis, internal/configtxgen/encoder).
 */
import { randomBytes } from 'node:crypto';
import { common } from '@hyperledger/fabric-protos';
import { Timestamp } from 'google-protobuf/google/protobuf/timestamp_pb';
import {
  cryptoLayout,
  describeChannel,
  genesisBlock as channelGenesisBlock,
  type ChannelDescription,
  type MaterialReader,
} from '@veriscan/fabric-kit';
import { concatBytes } from '../common/bytes';
import { blockDataHash, blockHeaderDer, blockHeaderHash } from '../common/protoutil';
import type { Signer } from '../common/trust';
import type { DevnetConfig } from '../config';
import { DevnetError } from '../errors';

const METADATA_SLOTS = 5;

export function newBlock(
  number: number,
  previousHash: Uint8Array,
  envelopes: readonly Uint8Array[],
): common.Block {
  const header = new common.BlockHeader();
  header.setNumber(number);
  header.setPreviousHash(previousHash);
  header.setDataHash(blockDataHash(envelopes));
  const data = new common.BlockData();
  data.setDataList([...envelopes]);
  const block = new common.Block();
  block.setHeader(header);
  block.setData(data);
  const metadata = new common.BlockMetadata();
  metadata.setMetadataList(Array.from({ length: METADATA_SLOTS }, () => new Uint8Array()));
  block.setMetadata(metadata);
  return block;
}

/** Adds the orderer's signature over value ‖ signature_header ‖ header DER, and the last-config index. */
export function signBlock(block: common.Block, signer: Signer, lastConfigIndex: number): void {
  const header = block.getHeader();
  const metadata = block.getMetadata();
  if (header === undefined || metadata === undefined)
    throw new DevnetError('MALFORMED_MESSAGE', 'block has no header or metadata');
  const lastConfig = new common.LastConfig();
  lastConfig.setIndex(lastConfigIndex);
  const obm = new common.OrdererBlockMetadata();
  obm.setLastConfig(lastConfig);
  const value = obm.serializeBinary();
  const sigHeader = new common.SignatureHeader();
  sigHeader.setCreator(signer.identity);
  sigHeader.setNonce(randomBytes(24));
  const sigHeaderBytes = sigHeader.serializeBinary();
  const signature = new common.MetadataSignature();
  signature.setSignatureHeader(sigHeaderBytes);
  signature.setSignature(
    signer.sign(concatBytes(value, sigHeaderBytes, new Uint8Array(blockHeaderDer(header)))),
  );
  const signatures = new common.Metadata();
  signatures.setValue(value);
  signatures.setSignaturesList([signature]);
  const lastConfigMeta = new common.Metadata();
  lastConfigMeta.setValue(lastConfig.serializeBinary());
  const entries = metadata.getMetadataList_asU8().slice();
  entries[common.BlockMetadataIndex.SIGNATURES] = signatures.serializeBinary();
  entries[common.BlockMetadataIndex.LAST_CONFIG] = lastConfigMeta.serializeBinary();
  metadata.setMetadataList(entries);
}

/**
 * The devnet's channel: the consortium table's orgs, Raft with the devnet's one orderer (`orderer0`)
 * as the only consenter, each peer org's peer as its anchor peer, all at the addresses the devnet
 * listens on, and the devnet's own batching.
 * @throws DevnetError `INVALID_CONFIG` when a peer org of the table has no devnet peer.
 */
export function devnetChannelDescription(config: DevnetConfig): ChannelDescription {
  const host = '127.0.0.1';
  return describeChannel({
    channelId: config.channelId,
    layout: cryptoLayout(config.cryptoDir),
    consensus: 'etcdraft',
    orderers: [{ index: 0, host, port: config.orderer.port }],
    anchorPeer: (org) => {
      const peer = config.peers.find((p) => p.mspId === org.mspId);
      if (peer === undefined)
        throw new DevnetError('INVALID_CONFIG', `the devnet runs no peer for ${org.mspId}`);
      return { host, port: peer.port };
    },
    batch: {
      timeoutMs: config.batch.batchTimeoutMs,
      size: {
        maxMessageCount: config.batch.maxMessageCount,
        preferredMaxBytes: config.batch.preferredMaxBytes,
      },
    },
  });
}

/**
 * Block 0: the CONFIG transaction configtxgen would write for `channel`, except that the devnet's
 * orderer is its creator and signs both the envelope and the block (configtxgen leaves them unsigned).
 * @throws FabricKitError or MspError when the crypto material cannot be encoded into the configuration.
 */
export function genesisBlock(
  channel: ChannelDescription,
  material: MaterialReader,
  signer: Signer,
): common.Block {
  const block = channelGenesisBlock(channel, {
    material,
    timestamp: Timestamp.fromDate(new Date()),
    signer,
  });
  signBlock(block, signer, 0);
  return block;
}

export function hashOf(block: common.Block): Uint8Array {
  const header = block.getHeader();
  if (header === undefined) throw new DevnetError('MALFORMED_MESSAGE', 'block has no header');
  return blockHeaderHash(header);
}
