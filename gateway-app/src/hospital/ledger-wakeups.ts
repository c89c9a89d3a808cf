/**
 * Wakes the result collector when the hospital's peer reports that a request moved (a result committed,
 * a batch anchored, a request expired), so a result is fetched within milliseconds instead of at the
 * next sweep. Nothing depends on seeing every event: the collector's sweep is the source of truth, and
 * a broken stream is reopened with backoff.
 */
import type { Network } from '@hyperledger/fabric-gateway';
import { EventName } from '@veriscan/ledger-api';
import type { Logger } from 'pino';

const WAKING: ReadonlySet<string> = new Set([
  EventName.ResultCommitted,
  EventName.BatchAnchored,
  EventName.RequestExpired,
]);

export class LedgerWakeups {
  readonly #network: Network;
  readonly #chaincode: string;
  readonly #wake: () => void;
  readonly #log: Logger;
  #close: (() => void) | undefined;
  // Set by stop(), which may run while #listen awaits; read through a method so the checks below are
  // not folded into constants by the type checker's narrowing.
  #stopped = false;

  #isStopped(): boolean {
    return this.#stopped;
  }

  constructor(network: Network, chaincode: string, wake: () => void, log: Logger) {
    this.#network = network;
    this.#chaincode = chaincode;
    this.#wake = wake;
    this.#log = log;
  }

  start(): void {
    void this.#listen(0);
  }

  stop(): void {
    this.#stopped = true;
    this.#close?.();
  }

  async #listen(failures: number): Promise<void> {
    if (this.#isStopped()) return;
    try {
      const events = await this.#network.getChaincodeEvents(this.#chaincode);
      this.#close = () => {
        events.close();
      };
      if (this.#isStopped()) events.close();
      for await (const event of events) {
        failures = 0;
        if (WAKING.has(event.eventName)) this.#wake();
      }
    } catch (error) {
      if (this.#isStopped()) return;
      this.#log.warn(
        { err: error instanceof Error ? error.message : String(error) },
        'event stream broken; reopening',
      );
    }
    if (this.#isStopped()) return;
    const delay = Math.min(10_000, 250 * 2 ** Math.min(failures, 6));
    setTimeout(() => void this.#listen(failures + 1), delay).unref();
  }
}
