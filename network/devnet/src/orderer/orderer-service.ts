/**
 * A solo orderer for the devnet channel: `/orderer.AtomicBroadcast/Broadcast` queues signed
 * endorser transactions and turns channel configuration updates into config transactions
 * (orderer/common/broadcast, msgprocessor), the block cutter batches transactions, each block is
 * signed and fsync'd, a config transaction gets a block of its own and puts its configuration in
 * force (etcdraft/chain.go `ordered`, multichannel/blockwriter.go `WriteConfigBlock`), and
 * `/orderer.AtomicBroadcast/Deliver` streams blocks to peers (common/deliver). The channel
 * configuration, not the crypto folder, says whose signatures count. Not a consensus protocol: one
 * node, no Raft.
 */
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { common, orderer } from '@hyperledger/fabric-protos';
import { EventEmitter } from 'node:events';
import { parseDeliverRequest } from '../common/deliver-request';
import { fileSystemMaterial, type ChannelDescription, type MaterialReader } from '@veriscan/fabric-kit';
import { ChannelBundle } from '../channelconfig/bundle';
import { ChannelConfig } from '../channelconfig/channel-config';
import { lastConfigOf } from '../channelconfig/config-block';
import type { Signer } from '../common/trust';
import { loadConfig } from '../config';
import { BlockStore } from '../ledger/block-store';
import { BlockCutter } from './block-cutter';
import { devnetChannelDescription, genesisBlock, hashOf, newBlock, signBlock } from './block-writer';
import { processBroadcast } from './msgprocessor';
import { DevnetError } from '../errors';

export interface OrdererOptions {
  readonly dir: string;
  readonly channelId: string;
  readonly signer: Signer;
  readonly log: (message: string) => void;
  /**
   * The channel block 0 configures, and where its certificates are read; used only for a new ledger.
   * Default: the devnet's channel from its configuration (`loadConfig`), read from the file system.
   */
  readonly channel?: Readonly<{ description: ChannelDescription; material: MaterialReader }>;
}

/** Block 0 of a new ledger: the configured channel, or the devnet's own from its configuration. */
function firstBlock(options: Readonly<OrdererOptions>): common.Block {
  const channel = options.channel ?? {
    description: devnetChannelDescription(loadConfig()),
    material: fileSystemMaterial(),
  };
  if (channel.description.channelId !== options.channelId)
    throw new DevnetError(
      'INVALID_CONFIG',
      `block 0 would configure channel ${channel.description.channelId}, not ${options.channelId}`,
    );
  return genesisBlock(channel.description, channel.material, options.signer);
}

/** The configuration the stored chain ends with, and the number of its config block. */
function storedConfig(store: BlockStore, channelId: string): { bundle: ChannelBundle; blockNumber: number } {
  const last = lastConfigOf(store);
  const config = last?.transaction.configEnvelope.getConfig();
  if (last === undefined || config === undefined)
    throw new DevnetError('CORRUPT_STATE', 'the orderer block store holds no channel configuration');
  return { bundle: ChannelBundle.fromConfig(channelId, config), blockNumber: last.blockNumber };
}

export class OrdererService {
  readonly #o: OrdererOptions;
  readonly #store: BlockStore;
  readonly #cutter: BlockCutter;
  readonly #emitter = new EventEmitter();
  readonly #channel: ChannelConfig;
  #previousHash: Uint8Array;
  /** The number of the last config block: every block's LAST_CONFIG names it. */
  #lastConfigBlock: number;

  constructor(options: Readonly<OrdererOptions>) {
    this.#o = options;
    this.#emitter.setMaxListeners(0);
    this.#store = BlockStore.open(join(options.dir, 'blocks.dat'));
    try {
      if (this.#store.height === 0) this.#store.append(firstBlock(options).serializeBinary());
      const { bundle, blockNumber } = storedConfig(this.#store, options.channelId);
      this.#channel = new ChannelConfig(options.channelId, bundle);
      this.#lastConfigBlock = blockNumber;
    } catch (error) {
      this.#store.close();
      throw error;
    }
    const last = this.#store.get(this.#store.height - 1);
    if (last === undefined) throw new DevnetError('CORRUPT_STATE', 'orderer block store is empty');
    this.#previousHash = hashOf(common.Block.deserializeBinary(last));
    // The channel configuration says how to batch, and a config block may change it.
    this.#cutter = new BlockCutter(this.#channel.current.batching, (batch) => {
      this.#writeBlock(batch);
    });
  }

  get height(): number {
    return this.#store.height;
  }

  /** Block `number` as stored, if the chain has it. */
  block(number: number): common.Block | undefined {
    const bytes = this.#store.get(number);
    return bytes === undefined ? undefined : common.Block.deserializeBinary(bytes);
  }

  /** The channel configuration in force. */
  get channel(): ChannelConfig {
    return this.#channel;
  }

  #writeBlock(envelopes: Uint8Array[], config?: ChannelBundle): void {
    const number = this.#store.height;
    // blockwriter.go addLastConfig: a config block names itself, every later block names it.
    if (config !== undefined) this.#lastConfigBlock = number;
    const block = newBlock(number, this.#previousHash, envelopes);
    signBlock(block, this.#o.signer, this.#lastConfigBlock);
    this.#store.append(block.serializeBinary());
    this.#previousHash = hashOf(block);
    if (config !== undefined) {
      this.#channel.set(config);
      this.#cutter.reconfigure(config.batching);
    }
    this.#o.log(
      config === undefined
        ? `cut block ${number}: ${envelopes.length} transactions`
        : `cut config block ${number}: configuration sequence ${config.sequence}`,
    );
    this.#emitter.emit('block');
  }

  /** Validates one broadcast envelope and orders it; returns the status and info to answer. */
  broadcast(envelope: common.Envelope): { status: number; info: string } {
    const verdict = processBroadcast(envelope, {
      channelId: this.#o.channelId,
      bundle: this.#channel.current,
      signer: this.#o.signer,
    });
    switch (verdict.kind) {
      case 'refused':
        return { status: verdict.status, info: verdict.info };
      case 'normal':
        this.#cutter.ordered(envelope.serializeBinary());
        break;
      case 'config':
        // etcdraft/chain.go: what is pending is cut first, the config transaction goes alone.
        this.#cutter.cut();
        this.#writeBlock([verdict.envelope.serializeBinary()], verdict.bundle);
        break;
    }
    return { status: common.Status.SUCCESS, info: '' };
  }

  handlers(): orderer.IAtomicBroadcastServer {
    return {
      broadcast: (call) => {
        call.on('data', (envelope: common.Envelope) => {
          const verdict = this.broadcast(envelope);
          const res = new orderer.BroadcastResponse();
          res.setStatus(verdict.status as (typeof common.Status)[keyof typeof common.Status]);
          res.setInfo(verdict.info);
          call.write(res);
        });
        call.on('end', () => {
          call.end();
        });
        call.on('error', () => undefined);
      },
      deliver: (call) => {
        call.on('data', (envelope: common.Envelope) => {
          this.#deliver(call, envelope);
        });
        call.on('error', () => undefined);
      },
    };
  }

  #deliver(
    call: grpc.ServerDuplexStream<common.Envelope, orderer.DeliverResponse>,
    envelope: common.Envelope,
  ): void {
    const reply = (status: number): void => {
      const res = new orderer.DeliverResponse();
      res.setStatus(status as (typeof common.Status)[keyof typeof common.Status]);
      call.write(res);
    };
    const request = parseDeliverRequest(envelope, {
      channelId: this.#o.channelId,
      identities: this.#channel.identities,
      height: this.#store.height,
      defaultStart: 0,
    });
    if (!request.ok) {
      reply(request.status);
      return;
    }
    let next = request.start;
    const stop = request.stop;
    const pump = (): void => {
      while (next < this.#store.height && next <= stop && !call.cancelled) {
        const bytes = this.#store.get(next);
        if (bytes === undefined) break;
        const res = new orderer.DeliverResponse();
        res.setBlock(common.Block.deserializeBinary(bytes));
        call.write(res);
        next++;
      }
      if (next > stop) {
        this.#emitter.off('block', pump);
        reply(common.Status.SUCCESS);
      }
    };
    this.#emitter.on('block', pump);
    call.on('cancelled', () => this.#emitter.off('block', pump));
    call.on('close', () => this.#emitter.off('block', pump));
    pump();
  }

  close(): void {
    this.#cutter.stop();
    this.#store.close();
  }
}
