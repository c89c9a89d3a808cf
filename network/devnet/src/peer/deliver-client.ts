/**
 * Pulls blocks from the orderer into the peer's ledger (core/deliverservice): a Deliver stream
 * seeking from the ledger height, so a peer that was down catches up on what it missed, and a
 * reconnect with back-off whenever the stream breaks.
 */
import { randomBytes } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import { common, orderer } from '@hyperledger/fabric-protos';
import { Timestamp } from 'google-protobuf/google/protobuf/timestamp_pb';
import type { Signer } from '../common/trust';
import type { Ledger } from '../ledger/ledger';

export interface DeliverClientOptions {
  readonly address: string;
  readonly hostAlias: string;
  readonly tlsCaPem: Buffer;
  readonly channelId: string;
  readonly signer: Signer;
  readonly ledger: Ledger;
  readonly log: (message: string) => void;
}

export class DeliverClient {
  readonly #o: DeliverClientOptions;
  readonly #client: orderer.AtomicBroadcastClient;
  #stream: grpc.ClientDuplexStream<common.Envelope, orderer.DeliverResponse> | undefined;
  #stopped = false;
  #retryTimer: NodeJS.Timeout | undefined;

  constructor(options: Readonly<DeliverClientOptions>) {
    this.#o = options;
    this.#client = new orderer.AtomicBroadcastClient(
      options.address,
      grpc.credentials.createSsl(options.tlsCaPem),
      {
        'grpc.ssl_target_name_override': options.hostAlias,
        'grpc.default_authority': options.hostAlias,
      },
    );
  }

  start(): void {
    if (this.#stopped) return;
    const stream = this.#client.deliver();
    this.#stream = stream;
    stream.on('data', (res: orderer.DeliverResponse) => {
      const block = res.getBlock();
      if (block === undefined) return;
      const number = block.getHeader()?.getNumber() ?? -1;
      if (number !== this.#o.ledger.height) return;
      try {
        this.#o.ledger.commit(block);
      } catch (err) {
        this.#o.log(`failed to commit block ${number}: ${err instanceof Error ? err.message : String(err)}`);
        stream.cancel();
      }
    });
    const retry = (): void => {
      if (this.#stream !== stream || this.#stopped) return;
      this.#stream = undefined;
      this.#retryTimer = setTimeout(() => {
        this.start();
      }, 500);
    };
    stream.on('error', retry);
    stream.on('end', retry);
    stream.write(this.#seekEnvelope(this.#o.ledger.height));
  }

  #seekEnvelope(from: number): common.Envelope {
    const start = new orderer.SeekPosition();
    const specified = new orderer.SeekSpecified();
    specified.setNumber(from);
    start.setSpecified(specified);
    const stop = new orderer.SeekPosition();
    const max = new orderer.SeekSpecified();
    max.setNumber(Number.MAX_SAFE_INTEGER);
    stop.setSpecified(max);
    const seek = new orderer.SeekInfo();
    seek.setStart(start);
    seek.setStop(stop);
    seek.setBehavior(orderer.SeekInfo.SeekBehavior.BLOCK_UNTIL_READY);
    const ch = new common.ChannelHeader();
    ch.setType(common.HeaderType.DELIVER_SEEK_INFO);
    ch.setChannelId(this.#o.channelId);
    ch.setTimestamp(Timestamp.fromDate(new Date()));
    const sh = new common.SignatureHeader();
    sh.setCreator(this.#o.signer.identity);
    sh.setNonce(randomBytes(24));
    const header = new common.Header();
    header.setChannelHeader(ch.serializeBinary());
    header.setSignatureHeader(sh.serializeBinary());
    const payload = new common.Payload();
    payload.setHeader(header);
    payload.setData(seek.serializeBinary());
    const payloadBytes = payload.serializeBinary();
    const envelope = new common.Envelope();
    envelope.setPayload(payloadBytes);
    envelope.setSignature(this.#o.signer.sign(payloadBytes));
    return envelope;
  }

  stop(): void {
    this.#stopped = true;
    if (this.#retryTimer !== undefined) clearTimeout(this.#retryTimer);
    this.#stream?.cancel();
    this.#client.close();
  }
}
