/**
 * The peer side of the chaincode protocol for chaincode-as-a-service (core/chaincode/handler.go,
 * core/chaincode/extcc): the peer dials the chaincode server's `/protos.Chaincode/Connect`, answers
 * REGISTER with REGISTERED and READY, sends TRANSACTION and serves the shim's state requests from a
 * transaction simulator until COMPLETED or ERROR. No KEEPALIVE: the Node shim exits on it.
 */
import { randomUUID } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import { ledger, peer } from '@hyperledger/fabric-protos';
import { Timestamp } from 'google-protobuf/google/protobuf/timestamp_pb';
import { SimulationError, type RangeIterator, type TxSimulator } from './simulator';
import { DevnetError } from '../errors';

const T = peer.ChaincodeMessage.Type;
type MessageType = (typeof T)[keyof typeof T];

const TYPE_NAMES = Object.fromEntries(Object.entries(T).map(([name, value]) => [value, name])) as Record<
  number,
  string
>;

export interface ExecuteRequest {
  readonly channelId: string;
  readonly txId: string;
  readonly namespace: string;
  readonly signedProposal: peer.SignedProposal;
  readonly input: peer.ChaincodeInput;
  readonly simulator: TxSimulator;
}

export interface ExecuteResult {
  readonly response: peer.Response;
  readonly event: peer.ChaincodeEvent | undefined;
}

interface TxContext {
  readonly request: ExecuteRequest;
  readonly iterators: Map<string, RangeIterator>;
  readonly resolve: (result: ExecuteResult) => void;
  readonly reject: (err: Error) => void;
}

export class ChaincodeUnavailableError extends DevnetError {
  constructor(message: string, options?: Readonly<{ cause?: unknown }>) {
    super('CHAINCODE_UNAVAILABLE', message, options);
  }
}

/** One connection from this peer to one chaincode server. */
export class ChaincodeConnection {
  readonly #packageId: string;
  readonly #stream: grpc.ClientDuplexStream<peer.ChaincodeMessage, peer.ChaincodeMessage>;
  readonly #client: peer.ChaincodeClient;
  readonly #contexts = new Map<string, TxContext>();
  readonly ready: Promise<void>;
  #closed = false;

  constructor(options: Readonly<{ packageId: string; address: string }>) {
    this.#packageId = options.packageId;
    this.#client = new peer.ChaincodeClient(options.address, grpc.credentials.createInsecure());
    this.#stream = this.#client.connect();
    this.ready = new Promise((resolve, reject) => {
      const onFirst = (msg: peer.ChaincodeMessage): void => {
        if (msg.getType() !== T.REGISTER) {
          reject(
            new ChaincodeUnavailableError(
              `expected REGISTER, got ${TYPE_NAMES[msg.getType()] ?? msg.getType()}`,
            ),
          );
          return;
        }
        const id = peer.ChaincodeID.deserializeBinary(msg.getPayload_asU8());
        if (id.getName() !== this.#packageId) {
          reject(
            new ChaincodeUnavailableError(
              `chaincode registered as ${id.getName()}, expected ${this.#packageId}`,
            ),
          );
          this.close();
          return;
        }
        this.#send(T.REGISTERED, new Uint8Array(), '', '');
        this.#send(T.READY, new Uint8Array(), '', '');
        this.#stream.on('data', (m: peer.ChaincodeMessage) => {
          this.#onMessage(m);
        });
        resolve();
      };
      this.#stream.once('data', onFirst);
      this.#stream.once('error', (err: Error) => {
        reject(new ChaincodeUnavailableError(err.message));
      });
    });
    this.ready.catch(() => undefined);
    const onGone = (err?: Error): void => {
      this.#closed = true;
      for (const ctx of this.#contexts.values())
        ctx.reject(
          new ChaincodeUnavailableError(`chaincode stream terminated${err ? `: ${err.message}` : ''}`),
        );
      this.#contexts.clear();
    };
    this.#stream.on('error', onGone);
    this.#stream.on('end', () => {
      onGone();
    });
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Runs one transaction on the chaincode. */
  async execute(request: ExecuteRequest): Promise<ExecuteResult> {
    await this.ready;
    if (this.#closed) throw new ChaincodeUnavailableError('chaincode stream terminated');
    const key = `${request.channelId}${request.txId}`;
    if (this.#contexts.has(key))
      throw new SimulationError(`txid: ${request.txId}(${request.channelId}) exists`);
    return new Promise<ExecuteResult>((resolve, reject) => {
      this.#contexts.set(key, { request, iterators: new Map(), resolve, reject });
      const msg = new peer.ChaincodeMessage();
      msg.setType(T.TRANSACTION);
      msg.setPayload(request.input.serializeBinary());
      msg.setTxid(request.txId);
      msg.setChannelId(request.channelId);
      msg.setProposal(request.signedProposal);
      msg.setTimestamp(Timestamp.fromDate(new Date()));
      this.#stream.write(msg);
    });
  }

  close(): void {
    this.#closed = true;
    this.#stream.end();
    this.#client.close();
  }

  #send(type: MessageType, payload: Uint8Array, txId: string, channelId: string): void {
    const msg = new peer.ChaincodeMessage();
    msg.setType(type);
    msg.setPayload(payload);
    msg.setTxid(txId);
    msg.setChannelId(channelId);
    this.#stream.write(msg);
  }

  #onMessage(msg: peer.ChaincodeMessage): void {
    const key = `${msg.getChannelId()}${msg.getTxid()}`;
    const ctx = this.#contexts.get(key);
    if (ctx === undefined) return;
    const type = msg.getType();
    if (type === T.COMPLETED || type === T.ERROR) {
      this.#contexts.delete(key);
      if (type === T.COMPLETED) {
        const response = peer.Response.deserializeBinary(msg.getPayload_asU8());
        const raw = msg.getChaincodeEvent();
        let event: peer.ChaincodeEvent | undefined;
        if (raw !== undefined && raw.getEventName() !== '') {
          // The peer fills in chaincode_id and tx_id (chaincode_support.go processChaincodeExecutionResult).
          event = new peer.ChaincodeEvent();
          event.setChaincodeId(ctx.request.namespace);
          event.setTxId(ctx.request.txId);
          event.setEventName(raw.getEventName());
          event.setPayload(raw.getPayload_asU8());
        }
        ctx.resolve({ response, event });
      } else {
        const response = new peer.Response();
        response.setStatus(500);
        response.setMessage(Buffer.from(msg.getPayload_asU8()).toString('utf8'));
        ctx.resolve({ response, event: undefined });
      }
      return;
    }
    try {
      const payload = this.#handleRequest(ctx, type, msg.getPayload_asU8());
      this.#send(T.RESPONSE, payload, msg.getTxid(), msg.getChannelId());
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      const text = `${TYPE_NAMES[type] ?? String(type)} failed: transaction ID: ${msg.getTxid()}: ${reason}`;
      this.#send(T.ERROR, Buffer.from(text, 'utf8'), msg.getTxid(), msg.getChannelId());
    }
  }

  #handleRequest(ctx: TxContext, type: MessageType, payload: Uint8Array): Uint8Array {
    const sim = ctx.request.simulator;
    const ns = ctx.request.namespace;
    switch (type) {
      case T.GET_STATE: {
        const req = peer.GetState.deserializeBinary(payload);
        rejectCollection(req.getCollection(), ns);
        return sim.getState(ns, req.getKey());
      }
      case T.PUT_STATE: {
        const req = peer.PutState.deserializeBinary(payload);
        rejectCollection(req.getCollection(), ns);
        sim.putState(ns, req.getKey(), req.getValue_asU8());
        return new Uint8Array();
      }
      case T.DEL_STATE: {
        const req = peer.DelState.deserializeBinary(payload);
        rejectCollection(req.getCollection(), ns);
        sim.deleteState(ns, req.getKey());
        return new Uint8Array();
      }
      case T.GET_STATE_BY_RANGE: {
        const req = peer.GetStateByRange.deserializeBinary(payload);
        rejectCollection(req.getCollection(), ns);
        const metaBytes = req.getMetadata_asU8();
        const page = metaBytes.length > 0 ? peer.QueryMetadata.deserializeBinary(metaBytes) : undefined;
        const result = sim.range(
          ns,
          req.getStartkey(),
          req.getEndkey(),
          page === undefined ? undefined : { pageSize: page.getPagesize(), bookmark: page.getBookmark() },
        );
        const id = randomUUID();
        ctx.iterators.set(id, result.iterator);
        return this.#queryResponse(
          ctx,
          id,
          ns,
          result.paginated ? { fetched: result.fetched, bookmark: result.bookmark } : undefined,
        );
      }
      case T.QUERY_STATE_NEXT: {
        const id = peer.QueryStateNext.deserializeBinary(payload).getId();
        if (!ctx.iterators.has(id)) throw new SimulationError('query iterator not found');
        return this.#queryResponse(ctx, id, ns, undefined);
      }
      case T.QUERY_STATE_CLOSE: {
        const id = peer.QueryStateClose.deserializeBinary(payload).getId();
        ctx.iterators.delete(id);
        const res = new peer.QueryResponse();
        res.setId(id);
        return res.serializeBinary();
      }
      case T.GET_HISTORY_FOR_KEY: {
        const key = peer.GetHistoryForKey.deserializeBinary(payload).getKey();
        const res = new peer.QueryResponse();
        res.setResultsList(
          sim.history(ns, key).map((mod) => {
            const km = new ledger.queryresult.KeyModification();
            km.setTxId(mod.txId);
            km.setValue(mod.value);
            km.setIsDelete(mod.isDelete);
            const ts = new Timestamp();
            ts.setSeconds(mod.timestamp.seconds);
            ts.setNanos(mod.timestamp.nanos);
            km.setTimestamp(ts);
            const qr = new peer.QueryResultBytes();
            qr.setResultbytes(km.serializeBinary());
            return qr;
          }),
        );
        res.setHasMore(false);
        res.setId(randomUUID());
        return res.serializeBinary();
      }
      case T.GET_QUERY_RESULT:
        throw new SimulationError('ExecuteQuery not supported for leveldb');
      case T.GET_STATE_METADATA: {
        const req = peer.GetStateMetadata.deserializeBinary(payload);
        rejectCollection(req.getCollection(), ns);
        // No key-level endorsement policies are stored on the devnet, so every key has no metadata.
        return new peer.StateMetadataResult().serializeBinary();
      }
      case T.PUT_STATE_METADATA:
        throw new SimulationError(
          'state-based endorsement (key-level policies) is not supported by the devnet',
        );
      case T.GET_PRIVATE_DATA_HASH:
      case T.PURGE_PRIVATE_DATA:
        throw new SimulationError(noCollectionMessage(ns));
      case T.INVOKE_CHAINCODE:
        throw new SimulationError('chaincode-to-chaincode invocation is not supported by the devnet');
      default:
        throw new SimulationError(`unsupported message type ${TYPE_NAMES[type] ?? String(type)}`);
    }
  }

  #queryResponse(
    ctx: TxContext,
    id: string,
    ns: string,
    page: { fetched: number; bookmark: string } | undefined,
  ): Uint8Array {
    const iterator = ctx.iterators.get(id);
    if (iterator === undefined) throw new SimulationError('query iterator not found');
    const { rows, hasMore } = iterator.nextBatch();
    const res = new peer.QueryResponse();
    res.setResultsList(
      rows.map((row) => {
        const kv = new ledger.queryresult.KV();
        kv.setNamespace(ns);
        kv.setKey(row.key);
        kv.setValue(row.value);
        const qr = new peer.QueryResultBytes();
        qr.setResultbytes(kv.serializeBinary());
        return qr;
      }),
    );
    res.setHasMore(hasMore);
    res.setId(id);
    if (!hasMore) {
      ctx.iterators.delete(id);
      if (page !== undefined) {
        const meta = new peer.QueryResponseMetadata();
        meta.setFetchedRecordsCount(page.fetched);
        meta.setBookmark(page.bookmark);
        res.setMetadata(meta.serializeBinary());
      }
    }
    return res.serializeBinary();
  }
}

function noCollectionMessage(ns: string): string {
  return `collection config not defined for chaincode [${ns}], pass the collection configuration upon chaincode definition/instantiation`;
}

/** Private data collections are not implemented; Fabric answers the same for a chaincode defined without any. */
function rejectCollection(collection: string, ns: string): void {
  if (collection !== '') throw new SimulationError(noCollectionMessage(ns));
}
