/**
 * Blocks and transactions read through the regulator's own peer with qscc (the ledger query system
 * chaincode every Fabric peer has), and the checks an auditor makes on them: the transaction is in the
 * block, marked VALID, and the block's data hash recomputes from its transactions (Fabric's
 * `protoutil.ComputeBlockDataHash`: SHA-256 over the concatenated envelopes).
 */
import { createHash } from 'node:crypto';
import type { Network } from '@hyperledger/fabric-gateway';
import { common, peer } from '@hyperledger/fabric-protos';

const QSCC = 'qscc';

export interface BlockView {
  readonly number: string;
  readonly dataHash: string;
  readonly previousHash: string;
  readonly transactions: { readonly txId: string; readonly type: string; readonly validation: string }[];
}

const VALIDATION_NAMES = new Map<number, string>(
  Object.entries(peer.TxValidationCode).map(([k, v]) => [v, k]),
);
const TYPE_NAMES = new Map<number, string>(Object.entries(common.HeaderType).map(([k, v]) => [v, k]));

export class BlockReader {
  readonly #network: Network;
  readonly #channel: string;

  constructor(network: Network, channel: string) {
    this.#network = network;
    this.#channel = channel;
  }

  async #qscc(fn: string, ...args: (string | Uint8Array)[]): Promise<Uint8Array> {
    return this.#network.getContract(QSCC).evaluateTransaction(fn, this.#channel, ...args);
  }

  async height(): Promise<bigint> {
    const info = common.BlockchainInfo.deserializeBinary(await this.#qscc('GetChainInfo'));
    return BigInt(info.getHeight());
  }

  async blockByNumber(n: bigint): Promise<common.Block> {
    return common.Block.deserializeBinary(await this.#qscc('GetBlockByNumber', n.toString()));
  }

  async blockByTxId(txId: string): Promise<common.Block> {
    return common.Block.deserializeBinary(await this.#qscc('GetBlockByTxID', txId));
  }

  async validationOf(txId: string): Promise<string> {
    const processed = peer.ProcessedTransaction.deserializeBinary(
      await this.#qscc('GetTransactionByID', txId),
    );
    return VALIDATION_NAMES.get(processed.getValidationcode()) ?? String(processed.getValidationcode());
  }
}

/** SHA-256 over the block's envelopes, as Fabric computes a header's data hash. */
export function computeDataHash(block: common.Block): string {
  const hash = createHash('sha256');
  for (const entry of block.getData()?.getDataList_asU8() ?? []) hash.update(entry);
  return hash.digest('hex');
}

export function viewOfBlock(block: common.Block): BlockView {
  const header = block.getHeader();
  const filter = block.getMetadata()?.getMetadataList_asU8()[common.BlockMetadataIndex.TRANSACTIONS_FILTER];
  const transactions = (block.getData()?.getDataList_asU8() ?? []).map((bytes, i) => {
    const envelope = common.Envelope.deserializeBinary(bytes);
    const payload = common.Payload.deserializeBinary(envelope.getPayload_asU8());
    const channelHeader = common.ChannelHeader.deserializeBinary(
      payload.getHeader()?.getChannelHeader_asU8() ?? new Uint8Array(),
    );
    const code = filter?.[i];
    return {
      txId: channelHeader.getTxId(),
      type: TYPE_NAMES.get(channelHeader.getType()) ?? String(channelHeader.getType()),
      validation: code === undefined ? 'UNKNOWN' : (VALIDATION_NAMES.get(code) ?? String(code)),
    };
  });
  return {
    number: String(header?.getNumber() ?? 0),
    dataHash: Buffer.from(header?.getDataHash_asU8() ?? new Uint8Array()).toString('hex'),
    previousHash: Buffer.from(header?.getPreviousHash_asU8() ?? new Uint8Array()).toString('hex'),
    transactions,
  };
}
