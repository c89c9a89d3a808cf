/**
 * The durable state of one lab, on top of {@link openLabDatabase}: three aggregates — jobs
 * (assigned requests waiting to run), results (the outbox: finished results waiting for the ledger)
 * and batches — and the few changes that span two of them, each one SQLite transaction. A result is
 * written here, in the same transaction that closes its job, BEFORE anything is submitted; every
 * later step is a state change of that row. So a crash at any point leaves either a job to re-run
 * or a result to re-submit, and the chaincode's idempotency makes a repeated submission harmless.
 */
import type { AnchorLogProof, BatchAnchor, ReceiptProof } from '@veriscan/protocol';
import { LabError, LabErrorCode } from '../errors';
import { BatchStore } from './batch-store';
import type { LabDatabase } from './database';
import { JobStore, type JobState } from './job-store';
import { ResultStore, type NewResult, type ResultState } from './result-store';

export type { Job, JobState } from './job-store';
export type { NewResult, ResultState, StoredResult } from './result-store';
export type { BatchState, StoredBatch } from './batch-store';

/** Counts for the queue-depth gauges. */
export interface StoreCounts {
  readonly jobs: Readonly<Record<JobState, number>>;
  readonly results: Readonly<Record<ResultState, number>>;
}

/** The lab's store. Synchronous: better-sqlite3 runs each operation in microseconds. */
export class LabStore {
  readonly #db: LabDatabase;
  readonly jobs: JobStore;
  readonly results: ResultStore;
  readonly batches: BatchStore;

  constructor(db: LabDatabase) {
    this.#db = db;
    this.jobs = new JobStore(db);
    this.results = new ResultStore(db);
    this.batches = new BatchStore(db);
  }

  /** Stores a finished result and closes its job, atomically. Idempotent per request. */
  recordResult(result: NewResult, now: number): void {
    this.#db.transaction(() => {
      this.results.insertPending(result, now);
      this.jobs.markDone(result.requestId, now);
    })();
  }

  /** Stores a built batch and moves its results to `batched` with their inclusion proofs, atomically. */
  saveBuiltBatch(
    batch: Readonly<{
      anchor: BatchAnchor;
      logProof: AnchorLogProof;
      entries: readonly { requestId: string; proof: ReceiptProof }[];
    }>,
    now: number,
  ): void {
    this.#db.transaction(() => {
      this.batches.insertBuilt(
        batch.anchor,
        batch.logProof,
        batch.entries.map((e) => e.requestId),
        now,
      );
      for (const e of batch.entries) {
        if (!this.results.markBatched(e.requestId, batch.anchor.sequence, e.proof))
          throw new LabError(
            LabErrorCode.INVALID_STATE,
            `result ${e.requestId} is not pending; cannot batch it`,
          );
      }
    })();
  }

  /** The ledger holds the batch: it and its results are committed. */
  markBatchAnchored(sequence: number, txId: string, now: number): void {
    this.#db.transaction(() => {
      this.batches.markAnchored(sequence, txId, now);
      this.results.commitBatch(sequence, txId, now);
    })();
  }

  /** Drops a built (never anchored) batch; its results become pending again, to be rebuilt. */
  dissolveBatch(sequence: number): void {
    this.#db.transaction(() => {
      this.results.unbatch(sequence);
      this.batches.deleteBuilt(sequence);
    })();
  }

  counts(): StoreCounts {
    return { jobs: this.jobs.countByState(), results: this.results.countByState() };
  }
}
