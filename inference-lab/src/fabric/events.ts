/**
 * Chaincode events with a durable checkpoint. Each event is handled (its job durably queued) BEFORE
 * the file checkpointer records it, so a crash between the two replays the event on restart — and
 * handlers are idempotent — instead of losing it. A dropped stream is reopened from the checkpoint
 * with backoff.
 */
import {
  checkpointers,
  type ChaincodeEvent,
  type Checkpointer,
  type CloseableAsyncIterable,
  type Network,
} from '@hyperledger/fabric-gateway';
import { bindCheckpointToChain, chainIdentity } from './chain-identity';
import { backoffCeiling, REAL_RETRY_ENVIRONMENT, type RetryEnvironment } from '@veriscan/ledger-api';

/** Handles one event; must be idempotent (the same event can arrive again after a crash). */
export type EventHandler = (event: ChaincodeEvent) => Promise<void>;

/** Listens to the chaincode's events until stopped. */
export class ChaincodeEventListener {
  readonly #network: Network;
  readonly #chaincode: string;
  readonly #checkpointFile: string;
  readonly #handle: EventHandler;
  readonly #onError: (error: unknown, retryInMs: number) => void;
  readonly #environment: RetryEnvironment;
  readonly #onReset: (() => void) | undefined;
  #checkpointer: Checkpointer | undefined;
  #events: CloseableAsyncIterable<ChaincodeEvent> | undefined;
  #stopped = false;
  #loop: Promise<void> | undefined;

  constructor(
    options: Readonly<{
      network: Network;
      chaincode: string;
      /** File the fabric-gateway file checkpointer keeps (block number + last transaction id). */
      checkpointFile: string;
      handle: EventHandler;
      onError: (error: unknown, retryInMs: number) => void;
      environment?: RetryEnvironment;
      /** Told when a checkpoint recorded on another chain (a reset network) was dropped. */
      onReset?: () => void;
    }>,
  ) {
    this.#onReset = options.onReset;
    this.#network = options.network;
    this.#chaincode = options.chaincode;
    this.#checkpointFile = options.checkpointFile;
    this.#handle = options.handle;
    this.#onError = options.onError;
    this.#environment = options.environment ?? REAL_RETRY_ENVIRONMENT;
  }

  /** The checkpointed block, or undefined before the first event was handled. */
  get checkpointBlock(): bigint | undefined {
    return this.#checkpointer?.getBlockNumber();
  }

  /**
   * Opens the checkpoint and the first event stream, then keeps reading in the background. Resolves
   * once the first stream is open, so that whatever the caller reads from the ledger afterwards and
   * whatever the stream delivers overlap rather than leave a gap.
   */
  async start(): Promise<void> {
    if (bindCheckpointToChain(this.#checkpointFile, await chainIdentity(this.#network))) this.#onReset?.();
    this.#checkpointer = await checkpointers.file(this.#checkpointFile);
    const first = await this.#open(this.#checkpointer);
    this.#loop = this.#run(this.#checkpointer, first);
  }

  async #open(checkpointer: Checkpointer): Promise<CloseableAsyncIterable<ChaincodeEvent>> {
    this.#events = await this.#network.getChaincodeEvents(this.#chaincode, { checkpoint: checkpointer });
    return this.#events;
  }

  async #run(checkpointer: Checkpointer, first: CloseableAsyncIterable<ChaincodeEvent>): Promise<void> {
    let events: CloseableAsyncIterable<ChaincodeEvent> | undefined = first;
    let failures = 0;
    while (!this.#stopped) {
      try {
        events ??= await this.#open(checkpointer);
        for await (const event of events) {
          await this.#handle(event);
          await checkpointer.checkpointChaincodeEvent(event);
          failures = 0;
        }
        // The stream ended without an error (server closed it): reopen from the checkpoint.
      } catch (error) {
        if (this.#isStopped()) break;
        failures++;
        const delay = backoffCeiling({ attempts: 0, baseDelayMs: 250, maxDelayMs: 10_000 }, failures);
        this.#onError(error, delay);
        await this.#environment.sleep(delay);
      } finally {
        events?.close();
        events = undefined;
      }
    }
  }

  // A method, not a field read: the compiler would narrow the field to `false` across the awaits.
  #isStopped(): boolean {
    return this.#stopped;
  }

  /** Closes the stream and waits for the handler in progress to finish. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#events?.close();
    await this.#loop;
  }
}
