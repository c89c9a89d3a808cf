/**
 * `single` mode: each outbox result becomes one `SubmitResult`. Transient failures are retried by
 * the ledger wrapper, then again later with backoff; a chaincode refusal is final only when the
 * request is no longer ours to complete (re-read from the ledger), so a refusal caused by, say, a
 * skewed endorser clock is retried rather than dropped.
 */
import { LedgerError, LedgerErrorCode, Tx, functionOf } from '@veriscan/ledger-api';
import type { LedgerReceipt, LedgerRequest } from '../fabric/views';
import type { MemberId, PixelTrace, Receipt, RequestId } from '@veriscan/protocol';
import type { Committed } from '@veriscan/ledger-api';
import type { LabStore, StoredResult } from '../outbox/lab-store';
import type { Logger } from '../telemetry/logger';
import type { LabMetrics } from '../telemetry/metrics';
import type { OutboxWorkerOptions } from './outbox-worker';

/** The ledger calls the submitter makes. */
export interface SubmitLedger {
  submitResult(requestId: RequestId, trace: PixelTrace, receipt: Receipt): Promise<Committed<LedgerReceipt>>;
  getRequest(requestId: string): Promise<LedgerRequest>;
}

/** Submissions in flight at once (each waits for its commit). */
const PARALLEL = 8;

export class ResultSubmitter {
  readonly #ledger: SubmitLedger;
  readonly #store: LabStore;
  readonly #metrics: LabMetrics;
  readonly #log: Logger;
  readonly #labId: MemberId;
  readonly #now: () => number;
  readonly #retryDelayMs: (tries: number) => number;

  constructor(options: OutboxWorkerOptions<SubmitLedger>) {
    this.#ledger = options.ledger;
    this.#store = options.store;
    this.#metrics = options.metrics;
    this.#log = options.log;
    this.#labId = options.labId;
    this.#now = options.now;
    this.#retryDelayMs = options.retryDelayMs;
  }

  /** Submits the due results (a {@link Pump} step); returns when to run again. */
  async step(): Promise<number | undefined> {
    const due = this.#store.results.duePending(this.#now(), PARALLEL);
    await Promise.all(due.map((r) => this.#submit(r)));
    if (due.length === PARALLEL) return this.#now();
    return this.#store.results.nextResultDueAt();
  }

  async #submit(result: StoredResult): Promise<void> {
    const log = this.#log.child({ requestId: result.requestId, receiptHash: result.receiptHash });
    const end = this.#metrics.submitSeconds.startTimer({ transaction: functionOf(Tx.SubmitResult) });
    try {
      const committed = await this.#ledger.submitResult(
        result.receipt.requestId,
        result.trace,
        result.receipt,
      );
      end();
      if (committed.value.receiptHash !== result.receiptHash) {
        // Cannot happen with an honest chaincode (another receipt is CONFLICT); keep the evidence.
        this.#store.results.rejectResult(
          result.requestId,
          `ledger holds receipt ${committed.value.receiptHash}`,
        );
        this.#metrics.failures.inc({ reason: 'submit-rejected' });
        log.error({ ledgerReceiptHash: committed.value.receiptHash }, 'ledger returned another receipt');
        return;
      }
      this.#store.results.markCommitted(result.requestId, committed.transactionId, this.#now());
      this.#metrics.committed.inc({ mode: 'single' });
      log.info(
        { txId: committed.transactionId, chaincodeLatencyMs: committed.value.latencyMs },
        'result committed',
      );
    } catch (error) {
      end();
      await this.#onFailure(result, error, log);
    }
  }

  async #onFailure(result: StoredResult, error: unknown, log: Logger): Promise<void> {
    const message = error instanceof Error ? error.message : String(error);
    const txId = error instanceof LedgerError ? error.transactionId : undefined;
    if (error instanceof LedgerError && error.fromChaincode) {
      let stillOurs = false;
      try {
        const request = await this.#ledger.getRequest(result.requestId);
        stillOurs = request.status === 'assigned' && request.assignedLab === this.#labId;
      } catch {
        stillOurs = true; // Unknown: keep the result and try again later rather than drop it.
      }
      if (!stillOurs || error.code === LedgerErrorCode.INVALID_ARGUMENT) {
        this.#store.results.rejectResult(result.requestId, message);
        this.#metrics.failures.inc({ reason: 'submit-rejected' });
        log.error({ code: error.code, txId, err: message }, 'result refused by the chaincode');
        return;
      }
    }
    const next = this.#now() + this.#retryDelayMs(result.tries + 1);
    this.#store.results.deferResult(result.requestId, message, next);
    this.#metrics.failures.inc({ reason: 'submit-transient' });
    log.warn({ txId, err: message, retryAt: new Date(next).toISOString() }, 'submission deferred');
  }
}
