/**
 * A peer's channel ledger (core/ledger/kvledger): verifies, validates and commits blocks, keeps the
 * txid index (the first block holding a txid wins, common/ledger/blkstorage/blockindex.go), history,
 * and tells waiters and event listeners only after the block is durably stored and the state applied.
 * A config block is validated against the configuration in force and then becomes it
 * (core/committer/txvalidator/v20 for CONFIG transactions, core/peer/channel.go `Apply`).
 */
import { EventEmitter } from 'node:events';
import { join } from 'node:path';
import { common, peer } from '@hyperledger/fabric-protos';
import { BlockStore } from './block-store';
import { StateDb } from './state-db';
import { Code, validateBlock, type ValidatedTx, type ValidationCode, type ValidatorDeps } from './validator';
import { parseEnvelope } from '../common/protoutil';
import { unmarshalRwSet } from './rwset';
import type { IdentityVerifier, PolicyFactory } from '../common/trust';
import { ChannelBundle } from '../channelconfig/bundle';
import { verifyBlock } from '../channelconfig/block-verification';
import type { ChannelConfig } from '../channelconfig/channel-config';
import { configTransactionOf, lastConfigOf, type ConfigTransaction } from '../channelconfig/config-block';
import { DevnetError, inContext } from '../errors';

const TRANSACTIONS_FILTER = common.BlockMetadataIndex.TRANSACTIONS_FILTER;

export interface TxLocation {
  readonly blockNum: number;
  readonly txNum: number;
  readonly code: ValidationCode;
}

/** A chaincode event from a valid transaction, as the Gateway's ChaincodeEvents reports it. */
export interface CommittedEvent {
  readonly blockNum: number;
  readonly txNum: number;
  readonly txId: string;
  readonly event: peer.ChaincodeEvent;
}

export interface CommittedBlock {
  readonly number: number;
  readonly events: readonly CommittedEvent[];
  readonly txCount: number;
  readonly validCount: number;
  /** Validation, fsync and state update time. */
  readonly commitMs: number;
  /** For a config block: the sequence of the configuration it put in force. */
  readonly configSequence?: number;
}

export interface LedgerOptions {
  readonly dir: string;
  readonly channelId: string;
  readonly identities: IdentityVerifier;
  readonly policies: PolicyFactory;
  /** The channel's configuration: set from the stored chain on open, replaced by each config block. */
  readonly channel: ChannelConfig;
}

/** The configuration a config transaction carries, as a bundle. @throws DevnetError `CONFIG_REFUSED` */
function bundleOf(channelId: string, tx: ConfigTransaction): ChannelBundle {
  const config = tx.configEnvelope.getConfig();
  if (config === undefined) throw new DevnetError('CONFIG_REFUSED', 'config envelope has nil config');
  return ChannelBundle.fromConfig(channelId, config);
}

export class Ledger {
  readonly state = new StateDb();
  readonly #store: BlockStore;
  readonly #txIndex = new Map<string, TxLocation>();
  readonly #eventsByBlock: CommittedEvent[][] = [];
  readonly #emitter = new EventEmitter();
  readonly #deps: ValidatorDeps;
  readonly #channel: ChannelConfig;
  #lastHeader: common.BlockHeader | undefined;

  constructor(options: Readonly<LedgerOptions>) {
    this.#emitter.setMaxListeners(0);
    this.#channel = options.channel;
    this.#store = BlockStore.open(join(options.dir, 'blocks.dat'));
    this.#deps = {
      channelId: options.channelId,
      identities: options.identities,
      policies: options.policies,
      state: this.state,
      isCommittedTxId: (txId) => this.#txIndex.has(txId),
    };
    // Rebuild state and indexes from the stored blocks and their validation filters.
    for (const bytes of this.#store.all()) {
      const block = common.Block.deserializeBinary(bytes);
      this.#apply(block, null);
      this.#lastHeader = block.getHeader();
    }
    // Stored blocks were verified and validated when committed: the last config is in force.
    try {
      const config = lastConfigOf(this.#store);
      if (config !== undefined) this.#channel.set(bundleOf(options.channelId, config.transaction));
    } catch (cause) {
      this.#store.close();
      throw new DevnetError('CORRUPT_STATE', 'the stored channel configuration cannot be loaded', { cause });
    }
  }

  get height(): number {
    return this.#store.height;
  }

  block(number: number): common.Block | undefined {
    const bytes = this.#store.get(number);
    return bytes === undefined ? undefined : common.Block.deserializeBinary(bytes);
  }

  txLocation(txId: string): TxLocation | undefined {
    return this.#txIndex.get(txId);
  }

  eventsOf(blockNum: number): readonly CommittedEvent[] {
    return this.#eventsByBlock[blockNum] ?? [];
  }

  /**
   * Verifies, validates, stores (fsync) and applies the next block; then notifies.
   * @throws DevnetError `INVALID_BLOCK` when the block fails verification, `CONFIG_REFUSED` when a
   *   config block does not follow from the configuration in force; nothing is stored then.
   */
  commit(block: common.Block): CommittedBlock {
    const started = performance.now();
    const number = block.getHeader()?.getNumber() ?? -1;
    if (number !== this.height)
      throw new DevnetError('CORRUPT_STATE', `expected block ${this.height}, got ${number}`);
    const channelId = this.#channel.channelId;
    verifyBlock(block, {
      channelId,
      previous: this.#lastHeader,
      bundle: this.#channel.isSet ? this.#channel.current : undefined,
    });
    let codes: ValidationCode[];
    let validated: readonly ValidatedTx[] | null = null;
    const configTx = configTransactionOf(block);
    let nextConfig: ChannelBundle | undefined;
    if (configTx !== undefined) {
      nextConfig = this.#nextConfig(number, configTx);
      codes = [Code.VALID];
    } else if (number === 0) {
      throw new DevnetError('INVALID_BLOCK', 'block 0 of a channel must be its genesis config block');
    } else {
      validated = validateBlock(this.#deps, block);
      codes = validated.map((v) => v.code);
    }
    const metadata = block.getMetadata() ?? new common.BlockMetadata();
    const entries = metadata.getMetadataList_asU8().slice();
    while (entries.length <= TRANSACTIONS_FILTER) entries.push(new Uint8Array());
    entries[TRANSACTIONS_FILTER] = Uint8Array.from(codes);
    metadata.setMetadataList(entries);
    block.setMetadata(metadata);
    this.#store.append(block.serializeBinary());
    this.#lastHeader = block.getHeader();
    if (nextConfig !== undefined) this.#channel.set(nextConfig);
    const { committed: applied, indexed } = this.#apply(block, codes, validated);
    const committed = {
      ...applied,
      txCount: codes.length,
      validCount: codes.filter((c) => c === Code.VALID).length,
      commitMs: performance.now() - started,
      ...(nextConfig === undefined ? {} : { configSequence: nextConfig.sequence }),
    };
    this.#emitter.emit('block', committed);
    for (const [txId, loc] of indexed) this.#emitter.emit(`tx:${txId}`, loc);
    return committed;
  }

  /**
   * The configuration a config block puts in force: block 0's as it is (the channel's root), any
   * later one only if its last update, validated against the configuration in force, produces it.
   */
  #nextConfig(number: number, tx: ConfigTransaction): ChannelBundle {
    const channelId = this.#channel.channelId;
    if (tx.channelHeader.getChannelId() !== channelId)
      throw new DevnetError(
        'INVALID_BLOCK',
        `config block channel ID [${tx.channelHeader.getChannelId()}] does not match expected: [${channelId}]`,
      );
    if (number === 0) return bundleOf(channelId, tx);
    return inContext('error validating config which passed initial validity checks', () => {
      const current = this.#channel.current;
      current.validator.validate(tx.configEnvelope);
      const next = bundleOf(channelId, tx);
      current.validateNew(next);
      return next;
    });
  }

  /** Applies a block's valid writes. `codes` null = read them from the stored filter (replay). */
  #apply(
    block: common.Block,
    codes: readonly ValidationCode[] | null,
    validated: readonly ValidatedTx[] | null = null,
  ): { committed: { number: number; events: CommittedEvent[] }; indexed: [string, TxLocation][] } {
    const indexed: [string, TxLocation][] = [];
    const number = block.getHeader()?.getNumber() ?? 0;
    const filter =
      codes ??
      Array.from(block.getMetadata()?.getMetadataList_asU8()[TRANSACTIONS_FILTER] ?? new Uint8Array());
    const events: CommittedEvent[] = [];
    const envelopes = block.getData()?.getDataList_asU8() ?? [];
    envelopes.forEach((envelopeBytes, txNum) => {
      const code = (filter[txNum] ?? Code.NOT_VALIDATED) as ValidationCode;
      // Reuse what validation already parsed; parse only when replaying stored blocks.
      let parsed = validated?.[txNum]?.parsed;
      if (parsed === undefined) {
        try {
          parsed = parseEnvelope(envelopeBytes);
        } catch {
          return;
        }
      }
      if (parsed.txId !== '' && !this.#txIndex.has(parsed.txId)) {
        const loc = { blockNum: number, txNum, code };
        this.#txIndex.set(parsed.txId, loc);
        indexed.push([parsed.txId, loc]);
      }
      if (code !== Code.VALID || number === 0 || parsed.chaincodeAction === undefined) return;
      const ts = parsed.channelHeader.getTimestamp();
      const timestamp = { seconds: ts?.getSeconds() ?? 0, nanos: ts?.getNanos() ?? 0 };
      const rwset = validated?.[txNum]?.rwset ?? unmarshalRwSet(parsed.chaincodeAction.getResults_asU8());
      for (const [ns, set] of rwset) {
        for (const [key, value] of set.writes) {
          this.state.apply(ns, key, value, { blockNum: number, txNum }, { txId: parsed.txId, timestamp });
        }
      }
      const eventBytes = parsed.chaincodeAction.getEvents_asU8();
      if (eventBytes.length > 0) {
        const event = peer.ChaincodeEvent.deserializeBinary(eventBytes);
        if (event.getChaincodeId() !== '' && event.getTxId() !== '' && event.getEventName() !== '') {
          events.push({ blockNum: number, txNum, txId: parsed.txId, event });
        }
      }
    });
    this.#eventsByBlock[number] = events;
    return { committed: { number, events }, indexed };
  }

  /** Calls `listener` for every block committed from now on; returns an unsubscribe function. */
  onBlock(listener: (block: CommittedBlock) => void): () => void {
    this.#emitter.on('block', listener);
    return () => this.#emitter.off('block', listener);
  }

  /** Resolves when `txId` is committed (at once if it already is); rejects when `signal` aborts. */
  waitForTx(txId: string, signal: AbortSignal): Promise<TxLocation> {
    return new Promise((resolve, reject) => {
      const onTx = (loc: TxLocation): void => {
        signal.removeEventListener('abort', onAbort);
        resolve(loc);
      };
      const onAbort = (): void => {
        this.#emitter.off(`tx:${txId}`, onTx);
        reject(new Error('cancelled'));
      };
      this.#emitter.once(`tx:${txId}`, onTx);
      signal.addEventListener('abort', onAbort, { once: true });
      const existing = this.#txIndex.get(txId);
      if (existing !== undefined) {
        this.#emitter.off(`tx:${txId}`, onTx);
        signal.removeEventListener('abort', onAbort);
        resolve(existing);
      }
    });
  }

  close(): void {
    this.#store.close();
  }
}
