/**
 * How a peer checks a block from the ordering service before committing it
 * (common/deliverclient/block_verification.go `VerifyBlock`, protoutil `BlockSignatureVerifier`): the
 * next number, the hash chain, enough metadata entries, the data hash, and orderer signatures that
 * satisfy the current configuration's `/Channel/Orderer/BlockValidation` policy. Block 0, the genesis
 * config block, is the channel's root of trust: a Fabric peer is handed it by an admin, a devnet
 * peer receives it from the orderer it trusts by TLS, so only its shape is checked.
 */
import { common } from '@hyperledger/fabric-protos';
import { bytesEqual, concatBytes } from '../common/bytes';
import { blockDataHash, blockHeaderDer, blockHeaderHash } from '../common/protoutil';
import { DevnetError } from '../errors';
import { evaluateSignedDataAgainst, type SignedData } from '../policy';
import type { ChannelBundle } from './bundle';

/** The orderer signatures of a block must satisfy this policy. */
export const BLOCK_VALIDATION_POLICY = '/Channel/Orderer/BlockValidation';

const METADATA_ENTRIES = 5;

const invalid = (message: string): DevnetError => new DevnetError('INVALID_BLOCK', message);
const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

/** The block's orderer signatures as signed data (Raft and solo: a signature header with the creator). */
function signatureSet(block: common.Block, header: common.BlockHeader): SignedData[] {
  const raw = block.getMetadata()?.getMetadataList_asU8()[common.BlockMetadataIndex.SIGNATURES];
  if (raw === undefined) throw invalid('no signatures in block metadata');
  let metadata: common.Metadata;
  try {
    metadata = common.Metadata.deserializeBinary(raw);
  } catch {
    throw invalid('error unmarshalling signatures from metadata');
  }
  const headerDer = new Uint8Array(blockHeaderDer(header));
  return metadata.getSignaturesList().map((signature) => {
    const signatureHeader = signature.getSignatureHeader_asU8();
    let creator: Uint8Array;
    try {
      creator = common.SignatureHeader.deserializeBinary(signatureHeader).getCreator_asU8();
    } catch {
      throw invalid(`failed unmarshalling signature header for block ${header.getNumber()}`);
    }
    return {
      identity: creator,
      data: concatBytes(metadata.getValue_asU8(), signatureHeader, headerDer),
      signature: signature.getSignature_asU8(),
    };
  });
}

/** What a block is checked against: the channel, the last committed header and the current configuration. */
export interface BlockVerificationContext {
  readonly channelId: string;
  /** The header of the block before; undefined for block 0. */
  readonly previous: common.BlockHeader | undefined;
  /** The configuration in force; undefined before block 0. */
  readonly bundle: ChannelBundle | undefined;
}

/**
 * Verifies `block` as the next block of the chain.
 * @throws DevnetError `INVALID_BLOCK` with Fabric's text naming what failed.
 */
export function verifyBlock(block: common.Block, context: Readonly<BlockVerificationContext>): void {
  const { channelId, previous, bundle } = context;
  const header = block.getHeader();
  if (header === undefined)
    throw invalid(`invalid block, header must be different from nil, channel=${channelId}`);
  const expected = previous === undefined ? 0 : previous.getNumber() + 1;
  if (header.getNumber() !== expected)
    throw invalid(
      `expected block number is [${expected}] but actual block number inside block is [${header.getNumber()}]`,
    );
  if (previous !== undefined) {
    const previousHash = blockHeaderHash(previous);
    if (!bytesEqual(header.getPreviousHash_asU8(), previousHash))
      throw invalid(
        `Header.PreviousHash of block [${header.getNumber()}] is different from Hash(block.Header) of previous block, on channel [${channelId}], received: ${hex(header.getPreviousHash_asU8())}, expected: ${hex(previousHash)}`,
      );
  }
  if ((block.getMetadata()?.getMetadataList().length ?? 0) < METADATA_ENTRIES)
    throw invalid(
      `block with id [${header.getNumber()}] on channel [${channelId}] does not have metadata or contains too few entries`,
    );
  const dataHash = blockDataHash(block.getData()?.getDataList_asU8() ?? []);
  if (!bytesEqual(dataHash, header.getDataHash_asU8()))
    throw invalid(
      `Header.DataHash is different from Hash(block.Data) for block with id [${header.getNumber()}] on channel [${channelId}]; Header: ${hex(header.getDataHash_asU8())}, Data: ${hex(dataHash)}`,
    );
  if (previous === undefined) return;
  if (bundle === undefined)
    throw invalid(`channel ${channelId} has no configuration to verify block ${header.getNumber()}`);
  const policy = bundle.policy(BLOCK_VALIDATION_POLICY);
  if (policy === undefined) throw invalid(`no such policy: '${BLOCK_VALIDATION_POLICY}'`);
  const verdict = evaluateSignedDataAgainst(policy, signatureSet(block, header), bundle.msps);
  if (!verdict.satisfied) throw invalid(verdict.reason);
}
