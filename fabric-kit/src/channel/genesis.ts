/**
 * A channel's block 0 as common/genesis/genesis.go `factory.Block` writes it for `configtxgen
 * -outputBlock`: one CONFIG envelope (channel header version 1, epoch 0, a whole-second timestamp, a
 * random nonce and the transaction id derived from it) whose payload is the ConfigEnvelope of
 * sequence 0 over the channel group, then the block's data hash and the LAST_CONFIG and SIGNATURES
 * metadata naming block 0 as the last config. configtxgen leaves the envelope unsigned and gives it
 * no creator; a network that signs its block 0 (the devnet) passes a signer.
 */
import { createHash, randomBytes } from 'node:crypto';
import { common } from '@hyperledger/fabric-protos';
import type { ChannelDescription } from './description.js';
import { encodeChannelGroup } from './encode.js';
import type { MaterialReader } from './material.js';

/** google.protobuf.Timestamp as fabric-protos types it (the class is google-protobuf's). */
export type ProtoTimestamp = NonNullable<ReturnType<common.ChannelHeader['getTimestamp']>>;

/** Who signs the envelope: a serialized identity and its signature function. */
export interface EnvelopeSigner {
  /** msp.SerializedIdentity bytes: the signature header's creator. */
  readonly identity: Uint8Array;
  sign(message: Uint8Array): Uint8Array;
}

/** What {@link genesisBlock} takes besides the description. */
export interface GenesisOptions {
  readonly material: MaterialReader;
  /**
   * The channel header's timestamp; its nanoseconds are dropped, as Fabric drops them. Passed in
   * because google-protobuf's Timestamp class is the caller's dependency, not the kit's.
   */
  readonly timestamp: ProtoTimestamp;
  /** 24 random bytes unless given. */
  readonly nonce?: Uint8Array;
  /** Unsigned and without creator, as configtxgen writes it, unless given. */
  readonly signer?: EnvelopeSigner;
}

const NONCE_BYTES = 24;
const GENESIS_HEADER_VERSION = 1;
const METADATA_SLOTS = 5;

function sha256(...parts: readonly Uint8Array[]): Buffer {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest();
}

/** The ConfigEnvelope of block 0: sequence 0 over the channel group, no last update. */
export function genesisConfigEnvelope(
  description: ChannelDescription,
  material: MaterialReader,
): common.ConfigEnvelope {
  const config = new common.Config();
  config.setSequence(0);
  config.setChannelGroup(encodeChannelGroup(description, material));
  const envelope = new common.ConfigEnvelope();
  envelope.setConfig(config);
  return envelope;
}

function configTransaction(description: ChannelDescription, options: GenesisOptions): common.Envelope {
  const nonce = options.nonce ?? randomBytes(NONCE_BYTES);
  const creator = options.signer?.identity ?? new Uint8Array();
  const timestamp = options.timestamp.clone();
  timestamp.setNanos(0);
  const channelHeader = new common.ChannelHeader();
  channelHeader.setType(common.HeaderType.CONFIG);
  channelHeader.setVersion(GENESIS_HEADER_VERSION);
  channelHeader.setTimestamp(timestamp);
  channelHeader.setChannelId(description.channelId);
  channelHeader.setEpoch(0);
  // protoutil.ComputeTxID: hex SHA-256 of nonce ‖ creator.
  channelHeader.setTxId(sha256(nonce, creator).toString('hex'));
  const signatureHeader = new common.SignatureHeader();
  signatureHeader.setCreator(creator);
  signatureHeader.setNonce(nonce);
  const header = new common.Header();
  header.setChannelHeader(channelHeader.serializeBinary());
  header.setSignatureHeader(signatureHeader.serializeBinary());
  const payload = new common.Payload();
  payload.setHeader(header);
  payload.setData(genesisConfigEnvelope(description, options.material).serializeBinary());
  const payloadBytes = payload.serializeBinary();
  const envelope = new common.Envelope();
  envelope.setPayload(payloadBytes);
  if (options.signer !== undefined) envelope.setSignature(options.signer.sign(payloadBytes));
  return envelope;
}

/**
 * Block 0 of the channel `description` describes.
 * @throws FabricKitError or MspError as {@link encodeChannelGroup} does.
 */
export function genesisBlock(description: ChannelDescription, options: GenesisOptions): common.Block {
  const envelope = configTransaction(description, options).serializeBinary();
  const header = new common.BlockHeader();
  header.setNumber(0);
  header.setPreviousHash(new Uint8Array());
  // protoutil.ComputeBlockDataHash: SHA-256 over the concatenated envelopes.
  header.setDataHash(sha256(envelope));
  const data = new common.BlockData();
  data.setDataList([envelope]);

  const lastConfig = new common.LastConfig();
  lastConfig.setIndex(0);
  const lastConfigMetadata = new common.Metadata();
  lastConfigMetadata.setValue(lastConfig.serializeBinary());
  const ordererMetadata = new common.OrdererBlockMetadata();
  ordererMetadata.setLastConfig(lastConfig);
  const signaturesMetadata = new common.Metadata();
  signaturesMetadata.setValue(ordererMetadata.serializeBinary());
  const slots: Uint8Array[] = Array.from({ length: METADATA_SLOTS }, () => new Uint8Array());
  slots[common.BlockMetadataIndex.SIGNATURES] = signaturesMetadata.serializeBinary();
  slots[common.BlockMetadataIndex.LAST_CONFIG] = lastConfigMetadata.serializeBinary();
  const metadata = new common.BlockMetadata();
  metadata.setMetadataList(slots);

  const block = new common.Block();
  block.setHeader(header);
  block.setData(data);
  block.setMetadata(metadata);
  return block;
}
