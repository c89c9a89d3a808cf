/**
 * A solo orderer for the devnet channel: `/orderer.AtomicBroadcast/Broadcast` queues signed
 * endorser transactions from application orgs (orderer/common/broadcast, msgprocessor), the block
 * cutter batches them, each block is signed and fsync'd, and `/orderer.AtomicBroadcast/Deliver`
 * streams blocks to peers (common/deliver). Not a consensus protocol: one node, no Raft.
 */
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { common, orderer } from '@hyperledger/fabric-protos';
import { EventEmitter } from 'node:events';
import { parseDeliverRequest } from '../common/deliver-request';
import { parseEnvelopeHeader } from '../common/protoutil';
import { fileSystemMaterial, type ChannelDescription, type MaterialReader } from '@veriscan/fabric-kit';
import type { IdentityVerifier, Signer } from '../common/trust';
import { loadConfig } from '../config';
import { BlockStore } from '../ledger/block-store';
import { BlockCutter, type BatchConfig } from './block-cutter';
import { devnetChannelDescription, genesisBlock, hashOf, newBlock, signBlock } from './block-writer';
import { DevnetError } from '../errors';

export interface OrdererOptions {
  readonly dir: string;
  readonly channelId: string;
  readonly signer: Signer;
  readonly identities: IdentityVerifier;
  /** MSP ids allowed to broadcast transactions (the channel's Writers). */
  readonly writers: readonly string[];
  readonly batch: BatchConfig;
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

export class OrdererService {
  readonly #o: OrdererOptions;
  readonly #store: BlockStore;
  readonly #cutter: BlockCutter;
  readonly #emitter = new EventEmitter();
  #previousHash: Uint8Array;

  constructor(options: Readonly<OrdererOptions>) {
    this.#o = options;
    this.#emitter.setMaxListeners(0);
    this.#store = BlockStore.open(join(options.dir, 'blocks.dat'));
    if (this.#store.height === 0) {
      try {
        this.#store.append(firstBlock(options).serializeBinary());
      } catch (error) {
        this.#store.close();
        throw error;
      }
    }
    const last = this.#store.get(this.#store.height - 1);
    if (last === undefined) throw new DevnetError('CORRUPT_STATE', 'orderer block store is empty');
    this.#previousHash = hashOf(common.Block.deserializeBinary(last));
    this.#cutter = new BlockCutter(options.batch, (batch) => {
      this.#writeBlock(batch);
    });
  }

  get height(): number {
    return this.#store.height;
  }

  #writeBlock(envelopes: Uint8Array[]): void {
    const block = newBlock(this.#store.height, this.#previousHash, envelopes);
    signBlock(block, this.#o.signer, 0);
    this.#store.append(block.serializeBinary());
    this.#previousHash = hashOf(block);
    this.#o.log(`cut block ${this.#store.height - 1}: ${envelopes.length} transactions`);
    this.#emitter.emit('block');
  }

  /** Checks one broadcast envelope: returns the status to answer. */
  #check(envelope: common.Envelope): { status: number; info: string } {
    let tx;
    try {
      tx = parseEnvelopeHeader(envelope);
    } catch (err) {
      return { status: common.Status.BAD_REQUEST, info: err instanceof Error ? err.message : String(err) };
    }
    if (tx.type !== common.HeaderType.ENDORSER_TRANSACTION) {
      return { status: common.Status.BAD_REQUEST, info: `unsupported header type ${tx.type}` };
    }
    if (tx.channelHeader.getChannelId() !== this.#o.channelId) {
      return {
        status: common.Status.NOT_FOUND,
        info: `channel ${tx.channelHeader.getChannelId()} not found`,
      };
    }
    let mspId: string;
    try {
      mspId = this.#o.identities.deserialize(tx.creator).mspId;
    } catch {
      return {
        status: common.Status.FORBIDDEN,
        info: 'implicit policy evaluation failed - the creator is not a member of the channel',
      };
    }
    const signed = { data: tx.payloadBytes, identity: tx.creator, signature: envelope.getSignature_asU8() };
    if (!this.#o.writers.includes(mspId) || !this.#o.identities.verify(signed)) {
      return {
        status: common.Status.FORBIDDEN,
        info: `implicit policy evaluation failed - signature set did not satisfy policy /Channel/Writers`,
      };
    }
    return { status: common.Status.SUCCESS, info: '' };
  }

  handlers(): orderer.IAtomicBroadcastServer {
    return {
      broadcast: (call) => {
        call.on('data', (envelope: common.Envelope) => {
          const verdict = this.#check(envelope);
          if (verdict.status === common.Status.SUCCESS) this.#cutter.ordered(envelope.serializeBinary());
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
      identities: this.#o.identities,
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
