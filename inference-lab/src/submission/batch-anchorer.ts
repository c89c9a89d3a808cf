/**
 * `batch` mode: outbox results become leaves of a Merkle batch anchored with one `AnchorBatch`
 * every N receipts or T ms (whichever first). The built batch — anchor, log proof and each
 * receipt's inclusion proof — is stored before it is submitted, so a crash resubmits the very same
 * anchor (idempotent on the chaincode side) instead of building a different one under the same
 * sequence. When the chaincode refuses a batch because a request in it is no longer ours (expired,
 * reassigned), that request is dropped and the batch rebuilt under the same sequence.
 */
import { PROTOCOL_VERSION, type BatchAnchor, type MemberId, type Receipt } from '@veriscan/protocol';
import { LedgerError, LedgerErrorCode, Tx, functionOf } from '@veriscan/ledger-api';
import type { AnchorBatchInput, Committed } from '@veriscan/ledger-api';
import type { LedgerBatch, LedgerRequest } from '../fabric/views';
import type { LabStore, StoredBatch } from '../outbox/lab-store';
import type { Logger } from '../telemetry/logger';
import type { LabMetrics } from '../telemetry/metrics';
import type { OutboxWorkerOptions } from './outbox-worker';
import { decideBatch } from './batch-policy';
import { LabLog } from './lab-log';
import { LabError, LabErrorCode } from '../errors';

/** The ledger calls the anchorer makes. */
export interface AnchorLedger {
  anchorBatch(input: AnchorBatchInput): Promise<Committed<LedgerBatch>>;
  findBatch(labId: MemberId, sequence: number): Promise<LedgerBatch | undefined>;
  getRequest(requestId: string): Promise<LedgerRequest>;
}

export class BatchAnchorer {
  readonly #ledger: AnchorLedger;
  readonly #store: LabStore;
  readonly #metrics: LabMetrics;
  readonly #log: Logger;
  readonly #labId: MemberId;
  readonly #size: number;
  readonly #intervalMs: number;
  readonly #now: () => number;
  readonly #retryDelayMs: (tries: number) => number;
  #labLog: LabLog;
  #pauseUntil = 0;
  #rebuilds = 0;

  constructor(options: OutboxWorkerOptions<AnchorLedger> & Readonly<{ size: number; intervalMs: number }>) {
    this.#ledger = options.ledger;
    this.#store = options.store;
    this.#metrics = options.metrics;
    this.#log = options.log.child({ component: 'batch' });
    this.#labId = options.labId;
    this.#size = options.size;
    this.#intervalMs = options.intervalMs;
    this.#now = options.now;
    this.#retryDelayMs = options.retryDelayMs;
    this.#labLog = this.#loadLog();
  }

  #loadLog(): LabLog {
    return new LabLog(
      this.#labId,
      this.#store.batches.anchoredBatches().map((b) => b.anchor),
      this.#store.batches.openBatch()?.anchor,
    );
  }

  /** The lab's log of anchored batches (checkpoints and consistency proofs for the HTTP API). */
  get log(): LabLog {
    return this.#labLog;
  }

  /**
   * Brings the local log level with the ledger: batches anchored there but not recorded here (a crash
   * after the commit, or lost local state) are adopted; a built batch found anchored is marked so.
   * @throws LedgerError
   */
  async syncWithLedger(): Promise<void> {
    let open = this.#store.batches.openBatch();
    const adopted: BatchAnchor[] = [];
    for (let sequence = this.#labLog.size; ; sequence++) {
      const onLedger = await this.#ledger.findBatch(this.#labId, sequence);
      if (onLedger === undefined) break;
      if (open?.sequence === sequence) {
        if (onLedger.merkleRoot === open.anchor.root && onLedger.count === open.anchor.count) {
          this.#anchored(open, onLedger.txId);
          open = undefined;
          continue;
        }
        this.#store.dissolveBatch(sequence);
        this.#labLog.dropOpen();
        open = undefined;
      }
      const anchor: BatchAnchor = {
        version: PROTOCOL_VERSION,
        lab: this.#labId,
        sequence,
        root: onLedger.merkleRoot,
        count: onLedger.count,
        log: onLedger.log,
      };
      this.#store.batches.importAnchoredBatch(anchor, onLedger.requestIds, onLedger.txId, this.#now());
      this.#store.results.markCommittedByLedger(onLedger.requestIds, onLedger.txId, this.#now());
      adopted.push(anchor);
      this.#log.warn(
        { sequence, txId: onLedger.txId },
        'adopted a batch anchored on the ledger but unknown locally',
      );
    }
    if (adopted.length > 0) this.#labLog.adopt(adopted);
  }

  /** A `BatchAnchored` event of this lab: completes a built batch whose submit answer was lost. */
  onAnchoredEvent(sequence: number, merkleRoot: string, txId: string): void {
    const open = this.#store.batches.openBatch();
    if (open?.sequence === sequence && open.anchor.root === merkleRoot) this.#anchored(open, txId);
  }

  /** A {@link Pump} step: anchors an open batch, or builds one when the policy says so. */
  async step(force = false): Promise<number | undefined> {
    const now = this.#now();
    const open = this.#store.batches.openBatch();
    if (open !== undefined) {
      if (!force && open.nextTryAt > now) return open.nextTryAt;
      await this.#anchor(open);
      return this.#now();
    }
    if (!force && this.#pauseUntil > now) return this.#pauseUntil;
    const decision = decideBatch({
      pending: this.#store.results.pendingCount(),
      oldestAt: this.#store.results.oldestPendingAt(),
      now,
      size: this.#size,
      intervalMs: this.#intervalMs,
      force,
    });
    if (!decision.flush) return decision.wakeAt;
    const results = this.#store.results.pendingResults(decision.take);
    const prepared = this.#labLog.prepare(results.map((r) => r.receipt));
    try {
      this.#store.saveBuiltBatch(
        {
          anchor: prepared.anchor,
          logProof: prepared.logProof,
          entries: prepared.entries.map((e) => ({ requestId: e.receipt.requestId, proof: e.proof })),
        },
        now,
      );
    } catch (error) {
      this.#labLog.dropOpen();
      throw error;
    }
    this.#log.info(
      { sequence: prepared.anchor.sequence, count: prepared.anchor.count, root: prepared.anchor.root },
      'batch built',
    );
    const built = this.#store.batches.openBatch();
    if (built !== undefined) await this.#anchor(built);
    return this.#now();
  }

  #anchored(batch: StoredBatch, txId: string): void {
    // The BatchAnchored event and the submit answer race; the second to arrive has nothing to do.
    if (this.#store.batches.getBatch(batch.sequence)?.state === 'anchored') return;
    this.#store.markBatchAnchored(batch.sequence, txId, this.#now());
    this.#labLog.commitOpen();
    this.#rebuilds = 0;
    this.#metrics.committed.inc({ mode: 'batch' }, batch.anchor.count);
    this.#log.info(
      { sequence: batch.sequence, count: batch.anchor.count, txId, log: batch.anchor.log },
      'batch anchored',
    );
  }

  async #anchor(batch: StoredBatch): Promise<void> {
    const receipts: Receipt[] = batch.requestIds.map((id) => {
      const result = this.#store.results.getResult(id);
      if (result === undefined)
        throw new LabError(
          LabErrorCode.CORRUPT_STORE,
          `batch ${batch.sequence} names ${id}, which has no stored result`,
        );
      return result.receipt;
    });
    const end = this.#metrics.submitSeconds.startTimer({ transaction: functionOf(Tx.AnchorBatch) });
    try {
      const committed = await this.#ledger.anchorBatch({
        anchor: batch.anchor,
        logProof: batch.logProof,
        receipts,
      });
      end();
      if (committed.value.merkleRoot !== batch.anchor.root)
        throw new LabError(LabErrorCode.LEDGER_MISMATCH, 'the ledger returned another batch root');
      this.#anchored(batch, committed.transactionId);
    } catch (error) {
      end();
      if (error instanceof LedgerError && error.fromChaincode) {
        await this.#resolveRefusal(batch, error);
        return;
      }
      this.#defer(batch, error, 'anchor-transient');
    }
  }

  #defer(batch: StoredBatch, error: unknown, reason: string): void {
    const message = error instanceof Error ? error.message : String(error);
    const next = this.#now() + this.#retryDelayMs(batch.tries + 1);
    this.#store.batches.deferBatch(batch.sequence, message, next);
    this.#metrics.failures.inc({ reason });
    this.#log.warn(
      { sequence: batch.sequence, err: message, retryAt: new Date(next).toISOString() },
      'anchoring deferred',
    );
  }

  async #resolveRefusal(batch: StoredBatch, error: LedgerError): Promise<void> {
    this.#log.warn(
      { sequence: batch.sequence, code: error.code, err: error.message },
      'batch refused by the chaincode',
    );
    try {
      const onLedger = await this.#ledger.findBatch(this.#labId, batch.sequence);
      if (onLedger !== undefined) {
        if (onLedger.merkleRoot === batch.anchor.root) {
          this.#anchored(batch, onLedger.txId);
          return;
        }
        // The sequence holds another batch: the local log is behind the ledger.
        this.#store.dissolveBatch(batch.sequence);
        this.#labLog.dropOpen();
        await this.syncWithLedger();
        this.#pause();
        return;
      }
      let dropped = 0;
      for (const id of batch.requestIds) {
        let reason: string | undefined;
        try {
          const request = await this.#ledger.getRequest(id);
          if (request.status !== 'assigned' || request.assignedLab !== this.#labId)
            reason = `request is ${request.status}, assigned to ${String(request.assignedLab)}`;
        } catch (lookup) {
          if (lookup instanceof LedgerError && lookup.code === LedgerErrorCode.NOT_FOUND)
            reason = 'request not visible';
          else throw lookup;
        }
        if (reason !== undefined) {
          this.#store.results.rejectResult(id, `${error.message} (${reason})`);
          this.#metrics.failures.inc({ reason: 'anchor-rejected' });
          this.#log.error({ requestId: id, sequence: batch.sequence, reason }, 'receipt dropped from batch');
          dropped++;
        }
      }
      if (dropped === 0) {
        // Every request is still ours: the refusal is about the batch itself (clock skew, a stale
        // log). Rebuild from the ledger's view a few times, then keep retrying with backoff.
        if (this.#rebuilds < 3) {
          this.#rebuilds++;
          this.#store.dissolveBatch(batch.sequence);
          this.#labLog.dropOpen();
          await this.syncWithLedger();
          this.#pause();
        } else {
          this.#defer(batch, error, 'anchor-refused');
        }
        return;
      }
      this.#store.dissolveBatch(batch.sequence);
      this.#labLog.dropOpen();
    } catch (lookupError) {
      this.#defer(batch, lookupError, 'anchor-transient');
    }
  }

  #pause(): void {
    this.#pauseUntil = this.#now() + this.#retryDelayMs(this.#rebuilds + 1);
  }
}
