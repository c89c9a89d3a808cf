/**
 * Builds and signs blocks the way the orderer does (orderer/common/multichannel/blockwriter.go,
 * protoutil/blockutils.go): header hash chain, data hash, SIGNATURES and LAST_CONFIG metadata.
 */
import { randomBytes } from 'node:crypto';
import { common } from '@hyperledger/fabric-protos';
import { Timestamp } from 'google-protobuf/google/protobuf/timestamp_pb';
import { concatBytes } from '../common/bytes';
import { blockDataHash, blockHeaderDer, blockHeaderHash } from '../common/protoutil';
import type { Signer } from '../common/trust';
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
 * Block 0: a CONFIG transaction naming the channel. The devnet keeps its channel configuration
 * (orgs, policies) in its own typed config rather than a full configtx tree.
 */
export function genesisBlock(channelId: string, signer: Signer): common.Block {
  const ch = new common.ChannelHeader();
  ch.setType(common.HeaderType.CONFIG);
  ch.setChannelId(channelId);
  ch.setTimestamp(Timestamp.fromDate(new Date()));
  const sh = new common.SignatureHeader();
  sh.setCreator(signer.identity);
  sh.setNonce(randomBytes(24));
  const header = new common.Header();
  header.setChannelHeader(ch.serializeBinary());
  header.setSignatureHeader(sh.serializeBinary());
  const config = new common.Config();
  config.setSequence(0);
  config.setChannelGroup(new common.ConfigGroup());
  const configEnvelope = new common.ConfigEnvelope();
  configEnvelope.setConfig(config);
  const payload = new common.Payload();
  payload.setHeader(header);
  payload.setData(configEnvelope.serializeBinary());
  const payloadBytes = payload.serializeBinary();
  const envelope = new common.Envelope();
  envelope.setPayload(payloadBytes);
  envelope.setSignature(signer.sign(payloadBytes));
  const block = newBlock(0, new Uint8Array(), [envelope.serializeBinary()]);
  signBlock(block, signer, 0);
  return block;
}

export function hashOf(block: common.Block): Uint8Array {
  const header = block.getHeader();
  if (header === undefined) throw new DevnetError('MALFORMED_MESSAGE', 'block has no header');
  return blockHeaderHash(header);
}
