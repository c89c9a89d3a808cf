/**
 * Config blocks as the orderer and the peers read them (protoutil/blockutils.go `IsConfigBlock`,
 * `GetLastConfigIndexFromBlock`; common/configtx `UnmarshalConfigEnvelope`): a block whose one
 * envelope is a `CONFIG` transaction, and the index of the last config block that every block names
 * in its metadata.
 */
import { common } from '@hyperledger/fabric-protos';
import { DevnetError } from '../errors';

/** A config block's one transaction, taken apart. */
export interface ConfigTransaction {
  readonly envelope: common.Envelope;
  readonly channelHeader: common.ChannelHeader;
  readonly configEnvelope: common.ConfigEnvelope;
}

function channelHeaderOf(envelope: common.Envelope): common.ChannelHeader | undefined {
  const header = common.Payload.deserializeBinary(envelope.getPayload_asU8()).getHeader();
  return header === undefined
    ? undefined
    : common.ChannelHeader.deserializeBinary(header.getChannelHeader_asU8());
}

/**
 * The CONFIG transaction of `block`, or undefined when the block is not a config block (Fabric's
 * `IsConfigBlock`: exactly one envelope, of type CONFIG).
 * @throws DevnetError `MALFORMED_MESSAGE` when the block looks like a config block but does not decode.
 */
export function configTransactionOf(block: common.Block): ConfigTransaction | undefined {
  const data = block.getData()?.getDataList_asU8() ?? [];
  const [bytes] = data;
  if (data.length !== 1 || bytes === undefined) return undefined;
  let envelope: common.Envelope;
  let channelHeader: common.ChannelHeader | undefined;
  try {
    envelope = common.Envelope.deserializeBinary(bytes);
    channelHeader = channelHeaderOf(envelope);
  } catch {
    return undefined;
  }
  if (channelHeader?.getType() !== common.HeaderType.CONFIG) return undefined;
  try {
    const payload = common.Payload.deserializeBinary(envelope.getPayload_asU8());
    return {
      envelope,
      channelHeader,
      configEnvelope: common.ConfigEnvelope.deserializeBinary(payload.getData_asU8()),
    };
  } catch (cause) {
    throw new DevnetError('MALFORMED_MESSAGE', 'a CONFIG transaction whose payload is not a ConfigEnvelope', {
      cause,
    });
  }
}

/**
 * The number of the last config block as `block` names it: the SIGNATURES metadata's
 * `OrdererBlockMetadata.last_config`, else (blocks of orderers before v1.4.1) the LAST_CONFIG entry.
 * @throws DevnetError `MALFORMED_MESSAGE` when neither decodes.
 */
export function lastConfigIndexOf(block: common.Block): number {
  const entries = block.getMetadata()?.getMetadataList_asU8() ?? [];
  try {
    const signatures = common.Metadata.deserializeBinary(
      entries[common.BlockMetadataIndex.SIGNATURES] ?? new Uint8Array(),
    );
    if (signatures.getValue_asU8().length > 0)
      return (
        common.OrdererBlockMetadata.deserializeBinary(signatures.getValue_asU8())
          .getLastConfig()
          ?.getIndex() ?? 0
      );
    const lastConfig = common.Metadata.deserializeBinary(
      entries[common.BlockMetadataIndex.LAST_CONFIG] ?? new Uint8Array(),
    );
    return common.LastConfig.deserializeBinary(lastConfig.getValue_asU8()).getIndex();
  } catch (cause) {
    throw new DevnetError('MALFORMED_MESSAGE', 'block metadata does not name the last config block', {
      cause,
    });
  }
}

/** Read access to a chain of stored blocks (the orderer's or a peer's block store). */
export interface StoredBlocks {
  readonly height: number;
  get(number: number): Uint8Array | undefined;
}

/**
 * The configuration in force at the top of a stored chain: the config block the last block names as
 * its last config (how Fabric's orderer finds it on restart), or undefined for an empty chain.
 * @throws DevnetError `CORRUPT_STATE` when the named block is missing or is not a config block.
 */
export function lastConfigOf(
  blocks: StoredBlocks,
): { readonly blockNumber: number; readonly transaction: ConfigTransaction } | undefined {
  if (blocks.height === 0) return undefined;
  const last = blocks.get(blocks.height - 1);
  const index = last === undefined ? undefined : lastConfigIndexOf(common.Block.deserializeBinary(last));
  const bytes = index === undefined ? undefined : blocks.get(index);
  const transaction =
    bytes === undefined ? undefined : configTransactionOf(common.Block.deserializeBinary(bytes));
  if (index === undefined || transaction === undefined)
    throw new DevnetError(
      'CORRUPT_STATE',
      `the stored chain names block ${String(index)} as its last config block, which is not a config block`,
    );
  return { blockNumber: index, transaction };
}
