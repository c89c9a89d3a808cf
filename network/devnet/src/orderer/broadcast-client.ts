/**
 * A peer's client of the orderer's `/orderer.AtomicBroadcast/Broadcast` stream
 * (internal/pkg/gateway/submit.go `broadcast`): one long-lived stream, answers matched to envelopes
 * in order, reopened after a failure.
 */
import * as grpc from '@grpc/grpc-js';
import { common, orderer } from '@hyperledger/fabric-protos';

export interface BroadcastOutcome {
  readonly status: number;
  readonly info: string;
}

export class BroadcastClient {
  readonly #client: orderer.AtomicBroadcastClient;
  #stream: grpc.ClientDuplexStream<common.Envelope, orderer.BroadcastResponse> | undefined;
  #pending: { resolve: (o: BroadcastOutcome) => void; reject: (e: Error) => void }[] = [];

  constructor(options: Readonly<{ address: string; hostAlias: string; tlsCaPem: Buffer }>) {
    this.#client = new orderer.AtomicBroadcastClient(
      options.address,
      grpc.credentials.createSsl(options.tlsCaPem),
      {
        'grpc.ssl_target_name_override': options.hostAlias,
        'grpc.default_authority': options.hostAlias,
      },
    );
  }

  #open(): grpc.ClientDuplexStream<common.Envelope, orderer.BroadcastResponse> {
    if (this.#stream !== undefined) return this.#stream;
    const stream = this.#client.broadcast();
    const fail = (err: Error): void => {
      if (this.#stream === stream) this.#stream = undefined;
      const pending = this.#pending;
      this.#pending = [];
      for (const p of pending) p.reject(err);
    };
    stream.on('data', (res: orderer.BroadcastResponse) => {
      this.#pending.shift()?.resolve({ status: res.getStatus(), info: res.getInfo() });
    });
    stream.on('error', fail);
    stream.on('end', () => {
      fail(new Error('orderer closed the broadcast stream'));
    });
    this.#stream = stream;
    return stream;
  }

  /** Sends one envelope and resolves with the orderer's status. @throws Error when the orderer is unreachable. */
  send(envelope: common.Envelope): Promise<BroadcastOutcome> {
    return new Promise((resolve, reject) => {
      const stream = this.#open();
      this.#pending.push({ resolve, reject });
      stream.write(envelope);
    });
  }

  close(): void {
    this.#stream?.end();
    this.#client.close();
  }
}
