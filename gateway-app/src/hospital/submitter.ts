/**
 * The upload outbox: every `accepted` request goes to the ledger (`RequestInference`) until it is
 * there, in the order uploaded, and survives restarts because the request row is written before the
 * upload is answered. A transient failure (peer or orderer down, MVCC race, timeout) is retried with
 * backoff; a refusal by the chaincode ends the request `failed` with its reason. A submission whose
 * answer was lost (the gateway died between commit and bookkeeping) is found on the ledger on retry.
 */
import { LedgerError, LedgerErrorCode, type VeriscanLedger } from '@veriscan/ledger-api';
import type { Logger } from 'pino';
import type { ScanRow, ScanStore } from '../store/scan-store';

const MAX_BACKOFF_MS = 10_000;

function backoff(tries: number): number {
  return Math.min(MAX_BACKOFF_MS, 250 * 2 ** Math.min(tries, 6));
}

export class Submitter {
  readonly #store: ScanStore;
  readonly #ledger: VeriscanLedger;
  readonly #hospitalId: string;
  readonly #log: Logger;
  #running: Promise<void> | undefined;
  #again = false;

  constructor(deps: Readonly<{ store: ScanStore; ledger: VeriscanLedger; hospitalId: string; log: Logger }>) {
    this.#store = deps.store;
    this.#ledger = deps.ledger;
    this.#hospitalId = deps.hospitalId;
    this.#log = deps.log;
  }

  /** Runs a pass now (or right after the current one). */
  kick(): void {
    if (this.#running !== undefined) {
      this.#again = true;
      return;
    }
    this.#running = this.#drain().finally(() => {
      this.#running = undefined;
      if (this.#again) {
        this.#again = false;
        this.kick();
      }
    });
  }

  /** Resolves when the current pass ends. */
  async idle(): Promise<void> {
    await this.#running;
  }

  async #drain(): Promise<void> {
    for (;;) {
      const due = this.#store.due('accepted', 16);
      if (due.length === 0) return;
      await Promise.all(due.map((row) => this.#submit(row)));
    }
  }

  async #submit(row: ScanRow): Promise<void> {
    try {
      const committed = await this.#ledger.requestInference({
        requestId: row.requestId,
        scanCommitment: row.scanCommitment,
        tileRootCommitment: row.tileRootCommitment,
        modelRef: row.modelRef,
        priority: row.priority,
      });
      this.#store.markSubmitted(
        row.requestId,
        committed.transactionId,
        committed.blockNumber.toString(),
        committed.value.assignedLab,
      );
      this.#log.info({ requestId: row.requestId, txId: committed.transactionId }, 'request on the ledger');
    } catch (error) {
      await this.#failed(row, error);
    }
  }

  async #failed(row: ScanRow, error: unknown): Promise<void> {
    if (error instanceof LedgerError && error.code === LedgerErrorCode.ALREADY_EXISTS) {
      // Our earlier attempt committed but its answer was lost: adopt it if it is ours.
      const onLedger = await this.#ledger.getRequest(row.requestId).catch(() => undefined);
      if (onLedger?.hospitalId === this.#hospitalId && onLedger.scanCommitment === row.scanCommitment) {
        this.#store.markSubmitted(row.requestId, null, null, onLedger.assignedLab);
        return;
      }
    }
    const message = error instanceof Error ? error.message : String(error);
    if (error instanceof LedgerError && error.fromChaincode) {
      this.#store.markEnded(row.requestId, 'failed', message);
      this.#log.warn({ requestId: row.requestId, code: error.code }, 'ledger refused the request');
      return;
    }
    this.#store.retryLater(row.requestId, message, backoff(row.tries));
    this.#log.warn({ requestId: row.requestId, tries: row.tries + 1 }, 'request submission will be retried');
  }
}
