/**
 * The durable state of one lab, on top of {@link openLabDatabase}: jobs (assigned requests waiting
 * to run), the outbox (finished results waiting for the ledger) and the lab's batches. A result is
 * written here, in the same transaction that closes its job, BEFORE anything is submitted; every
 * later step is a state change of that row. So a crash at any point leaves either a job to re-run
 * or a result to re-submit, and the chaincode's idempotency makes a repeated submission harmless.
 */
import {
  parseAnchorLogProof,
  parseBatchAnchor,
  parseReceipt,
  parseReceiptProof,
  parseTrace,
  type AnchorLogProof,
  type BatchAnchor,
  type PixelTrace,
  type Receipt,
  type ReceiptProof,
  type Sha256Hex,
} from '@veriscan/protocol';
import type { LedgerRequest } from '../fabric/views';
import type { LabDatabase } from './database';
import { LabError, LabErrorCode } from '../errors';

export type JobState = 'queued' | 'running' | 'done' | 'failed' | 'abandoned';
export type ResultState = 'pending' | 'batched' | 'committed' | 'rejected';
export type BatchState = 'built' | 'anchored';

/** An assigned request as the lab queues it (ids and commitments only). */
export interface Job {
  readonly requestId: string;
  readonly hospitalId: string;
  readonly modelId: string;
  readonly modelVersion: string;
  readonly onnxSha256: string;
  readonly scanCommitment: string;
  readonly tileRootCommitment: string;
  readonly assignedAt: string | null;
  readonly deadline: string | null;
  readonly attempt: number;
  readonly state: JobState;
  readonly tries: number;
  readonly nextTryAt: number;
  readonly lastError: string | null;
  readonly receivedAt: number;
}

/** A finished result in the outbox. */
export interface StoredResult {
  readonly requestId: string;
  readonly hospitalId: string;
  readonly trace: PixelTrace;
  readonly receipt: Receipt;
  readonly traceHash: string;
  readonly receiptHash: string;
  readonly maskSha256: string | null;
  readonly scoresSha256: string | null;
  readonly state: ResultState;
  readonly tries: number;
  readonly nextTryAt: number;
  readonly lastError: string | null;
  readonly txId: string | null;
  readonly batchSequence: number | null;
  readonly batchIndex: number | null;
  readonly proof: ReceiptProof | null;
  readonly createdAt: number;
  readonly committedAt: number | null;
}

/** One of the lab's batches. */
export interface StoredBatch {
  readonly sequence: number;
  readonly anchor: BatchAnchor;
  readonly logProof: AnchorLogProof;
  readonly requestIds: readonly string[];
  readonly state: BatchState;
  readonly tries: number;
  readonly nextTryAt: number;
  readonly lastError: string | null;
  readonly txId: string | null;
}

/** What {@link LabStore.recordResult} stores. */
export interface NewResult {
  readonly requestId: string;
  readonly hospitalId: string;
  readonly trace: PixelTrace;
  readonly receipt: Receipt;
  readonly traceHash: Sha256Hex;
  readonly receiptHash: Sha256Hex;
  readonly maskSha256: string | null;
  readonly scoresSha256: string | null;
}

type Row = Readonly<Record<string, unknown>>;

function asRow(value: unknown): Row {
  if (typeof value !== 'object' || value === null)
    throw new LabError(LabErrorCode.CORRUPT_STORE, 'database row is not an object');
  return value as Row;
}
function str(row: Row, name: string): string {
  const v = row[name];
  if (typeof v !== 'string')
    throw new LabError(LabErrorCode.CORRUPT_STORE, `database column ${name} is not text`);
  return v;
}
function optStr(row: Row, name: string): string | null {
  const v = row[name];
  if (v === null) return null;
  if (typeof v !== 'string')
    throw new LabError(LabErrorCode.CORRUPT_STORE, `database column ${name} is not text`);
  return v;
}
function int(row: Row, name: string): number {
  const v = row[name];
  if (typeof v !== 'number' || !Number.isSafeInteger(v))
    throw new LabError(LabErrorCode.CORRUPT_STORE, `database column ${name} is not an integer`);
  return v;
}
function optInt(row: Row, name: string): number | null {
  return row[name] === null ? null : int(row, name);
}
function json(row: Row, name: string): unknown {
  return JSON.parse(str(row, name));
}

const JOB_STATES: readonly JobState[] = ['queued', 'running', 'done', 'failed', 'abandoned'];
const RESULT_STATES: readonly ResultState[] = ['pending', 'batched', 'committed', 'rejected'];

function jobOf(value: unknown): Job {
  const r = asRow(value);
  const state = JOB_STATES.find((s) => s === r.state);
  if (state === undefined) throw new LabError(LabErrorCode.CORRUPT_STORE, 'jobs.state is unknown');
  return {
    requestId: str(r, 'request_id'),
    hospitalId: str(r, 'hospital_id'),
    modelId: str(r, 'model_id'),
    modelVersion: str(r, 'model_version'),
    onnxSha256: str(r, 'onnx_sha256'),
    scanCommitment: str(r, 'scan_commitment'),
    tileRootCommitment: str(r, 'tile_root_commitment'),
    assignedAt: optStr(r, 'assigned_at'),
    deadline: optStr(r, 'deadline'),
    attempt: int(r, 'attempt'),
    state,
    tries: int(r, 'tries'),
    nextTryAt: int(r, 'next_try_at'),
    lastError: optStr(r, 'last_error'),
    receivedAt: int(r, 'received_at'),
  };
}

function resultOf(value: unknown): StoredResult {
  const r = asRow(value);
  const state = RESULT_STATES.find((s) => s === r.state);
  if (state === undefined) throw new LabError(LabErrorCode.CORRUPT_STORE, 'results.state is unknown');
  const proofJson = optStr(r, 'proof_json');
  return {
    requestId: str(r, 'request_id'),
    hospitalId: str(r, 'hospital_id'),
    trace: parseTrace(json(r, 'trace_json')),
    receipt: parseReceipt(json(r, 'receipt_json')),
    traceHash: str(r, 'trace_hash'),
    receiptHash: str(r, 'receipt_hash'),
    maskSha256: optStr(r, 'mask_sha256'),
    scoresSha256: optStr(r, 'scores_sha256'),
    state,
    tries: int(r, 'tries'),
    nextTryAt: int(r, 'next_try_at'),
    lastError: optStr(r, 'last_error'),
    txId: optStr(r, 'tx_id'),
    batchSequence: optInt(r, 'batch_sequence'),
    batchIndex: optInt(r, 'batch_index'),
    proof: proofJson === null ? null : parseReceiptProof(JSON.parse(proofJson)),
    createdAt: int(r, 'created_at'),
    committedAt: optInt(r, 'committed_at'),
  };
}

function batchOf(value: unknown): StoredBatch {
  const r = asRow(value);
  const state = r.state === 'built' || r.state === 'anchored' ? r.state : undefined;
  if (state === undefined) throw new LabError(LabErrorCode.CORRUPT_STORE, 'batches.state is unknown');
  const ids: unknown = json(r, 'request_ids_json');
  if (!Array.isArray(ids) || !ids.every((i): i is string => typeof i === 'string'))
    throw new LabError(LabErrorCode.CORRUPT_STORE, 'batches.request_ids_json is not a list of ids');
  return {
    sequence: int(r, 'sequence'),
    anchor: parseBatchAnchor(json(r, 'anchor_json')),
    logProof: parseAnchorLogProof(json(r, 'log_proof_json')),
    requestIds: ids,
    state,
    tries: int(r, 'tries'),
    nextTryAt: int(r, 'next_try_at'),
    lastError: optStr(r, 'last_error'),
    txId: optStr(r, 'tx_id'),
  };
}

/** Counts for the queue-depth gauges. */
export interface StoreCounts {
  readonly jobs: Readonly<Record<JobState, number>>;
  readonly results: Readonly<Record<ResultState, number>>;
}

/** Typed operations on the lab database. Synchronous: better-sqlite3 runs them in microseconds. */
export class LabStore {
  readonly #db: LabDatabase;

  constructor(db: LabDatabase) {
    this.#db = db;
  }

  // ---- jobs -------------------------------------------------------------------------------

  /** Queues an assignment; returns false when the request is already known (events replay). */
  enqueue(request: LedgerRequest, now: number): boolean {
    const info = this.#db
      .prepare(
        `INSERT OR IGNORE INTO jobs (request_id, hospital_id, model_id, model_version, onnx_sha256, scan_commitment,
           tile_root_commitment, assigned_at, deadline, attempt, state, received_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'queued', ?, ?)`,
      )
      .run(
        request.requestId,
        request.hospitalId,
        request.modelId,
        request.modelVersion,
        request.onnxSha256,
        request.scanCommitment,
        request.tileRootCommitment,
        request.assignedAt,
        request.deadline,
        request.attempt,
        now,
        now,
      );
    return info.changes === 1;
  }

  /** After a crash: jobs that were running go back to the queue. Returns how many. */
  requeueRunning(now: number): number {
    return this.#db
      .prepare(`UPDATE jobs SET state = 'queued', updated_at = ? WHERE state = 'running'`)
      .run(now).changes;
  }

  /** Marks up to `limit` due jobs `running` and returns them, oldest first. */
  claimJobs(now: number, limit: number): Job[] {
    if (limit <= 0) return [];
    return this.#db.transaction(() => {
      const rows = this.#db
        .prepare(
          `SELECT * FROM jobs WHERE state = 'queued' AND next_try_at <= ? ORDER BY received_at, request_id LIMIT ?`,
        )
        .all(now, limit)
        .map(jobOf);
      const claim = this.#db.prepare(
        `UPDATE jobs SET state = 'running', updated_at = ? WHERE request_id = ?`,
      );
      for (const job of rows) claim.run(now, job.requestId);
      return rows.map((j) => ({ ...j, state: 'running' as const }));
    })();
  }

  /** When the earliest deferred job becomes due, or undefined when none waits. */
  nextJobDueAt(): number | undefined {
    const row = asRow(
      this.#db.prepare(`SELECT MIN(next_try_at) AS due FROM jobs WHERE state = 'queued'`).get(),
    );
    return optInt(row, 'due') ?? undefined;
  }

  /** Puts a running job back with a later try time (transient failure). */
  deferJob(requestId: string, error: string, nextTryAt: number, now: number): void {
    this.#db
      .prepare(
        `UPDATE jobs SET state = 'queued', tries = tries + 1, next_try_at = ?, last_error = ?, updated_at = ? WHERE request_id = ?`,
      )
      .run(nextTryAt, error, now, requestId);
  }

  /** Ends a job for good: `failed` (it cannot succeed) or `abandoned` (no longer ours to do). */
  closeJob(requestId: string, state: 'failed' | 'abandoned', error: string, now: number): void {
    this.#db
      .prepare(
        `UPDATE jobs SET state = ?, tries = tries + 1, last_error = ?, updated_at = ? WHERE request_id = ? AND state <> 'done'`,
      )
      .run(state, error, now, requestId);
  }

  getJob(requestId: string): Job | undefined {
    const row: unknown = this.#db.prepare(`SELECT * FROM jobs WHERE request_id = ?`).get(requestId);
    return row === undefined ? undefined : jobOf(row);
  }

  // ---- results (the outbox) ---------------------------------------------------------------

  /** Stores a finished result and closes its job, atomically. Idempotent per request. */
  recordResult(result: NewResult, now: number): void {
    this.#db.transaction(() => {
      this.#db
        .prepare(
          `INSERT OR IGNORE INTO results (request_id, hospital_id, trace_json, receipt_json, trace_hash, receipt_hash,
             mask_sha256, scores_sha256, state, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?)`,
        )
        .run(
          result.requestId,
          result.hospitalId,
          JSON.stringify(result.trace),
          JSON.stringify(result.receipt),
          result.traceHash,
          result.receiptHash,
          result.maskSha256,
          result.scoresSha256,
          now,
        );
      this.#db
        .prepare(`UPDATE jobs SET state = 'done', last_error = NULL, updated_at = ? WHERE request_id = ?`)
        .run(now, result.requestId);
    })();
  }

  getResult(requestId: string): StoredResult | undefined {
    const row: unknown = this.#db.prepare(`SELECT * FROM results WHERE request_id = ?`).get(requestId);
    return row === undefined ? undefined : resultOf(row);
  }

  /** Pending results due for (re)submission, oldest first. */
  duePending(now: number, limit: number): StoredResult[] {
    return this.#db
      .prepare(
        `SELECT * FROM results WHERE state = 'pending' AND next_try_at <= ? ORDER BY created_at, request_id LIMIT ?`,
      )
      .all(now, limit)
      .map(resultOf);
  }

  /** Pending results in recording order, whatever their retry time (batch mode). */
  pendingResults(limit: number): StoredResult[] {
    return this.#db
      .prepare(`SELECT * FROM results WHERE state = 'pending' ORDER BY created_at, request_id LIMIT ?`)
      .all(limit)
      .map(resultOf);
  }

  pendingCount(): number {
    return int(
      asRow(this.#db.prepare(`SELECT COUNT(*) AS n FROM results WHERE state = 'pending'`).get()),
      'n',
    );
  }

  /** Marks results completed on the ledger by a batch this store did not build (adopted from the ledger). */
  markCommittedByLedger(requestIds: readonly string[], txId: string, now: number): void {
    const mark = this.#db.prepare(
      `UPDATE results SET state = 'committed', tx_id = ?, committed_at = ? WHERE request_id = ? AND state IN ('pending', 'batched')`,
    );
    this.#db.transaction(() => {
      for (const id of requestIds) mark.run(txId, now, id);
    })();
  }

  /** Creation time of the oldest pending result (the batch timer's reference). */
  oldestPendingAt(): number | undefined {
    const row = asRow(
      this.#db.prepare(`SELECT MIN(created_at) AS t FROM results WHERE state = 'pending'`).get(),
    );
    return optInt(row, 't') ?? undefined;
  }

  /** When the earliest deferred pending result becomes due. */
  nextResultDueAt(): number | undefined {
    const row = asRow(
      this.#db.prepare(`SELECT MIN(next_try_at) AS t FROM results WHERE state = 'pending'`).get(),
    );
    return optInt(row, 't') ?? undefined;
  }

  markCommitted(requestId: string, txId: string, now: number): void {
    this.#db
      .prepare(
        `UPDATE results SET state = 'committed', tx_id = ?, last_error = NULL, committed_at = ? WHERE request_id = ? AND state <> 'committed'`,
      )
      .run(txId, now, requestId);
  }

  deferResult(requestId: string, error: string, nextTryAt: number): void {
    this.#db
      .prepare(`UPDATE results SET tries = tries + 1, next_try_at = ?, last_error = ? WHERE request_id = ?`)
      .run(nextTryAt, error, requestId);
  }

  /** The ledger refused the result for good; the row stays, with the reason, for the operator. */
  rejectResult(requestId: string, error: string): void {
    this.#db
      .prepare(
        `UPDATE results SET state = 'rejected', tries = tries + 1, last_error = ?, batch_sequence = NULL, batch_index = NULL, proof_json = NULL WHERE request_id = ?`,
      )
      .run(error, requestId);
  }

  /** The result an output blob belongs to, if `hospitalId` requested it. */
  resultForOutput(sha256: string, hospitalId: string): StoredResult | undefined {
    const row: unknown = this.#db
      .prepare(
        `SELECT * FROM results WHERE (mask_sha256 = ? OR scores_sha256 = ?) AND hospital_id = ? LIMIT 1`,
      )
      .get(sha256, sha256, hospitalId);
    return row === undefined ? undefined : resultOf(row);
  }

  // ---- batches ----------------------------------------------------------------------------

  /** The lab's anchored batches in sequence order. */
  anchoredBatches(): StoredBatch[] {
    return this.#db
      .prepare(`SELECT * FROM batches WHERE state = 'anchored' ORDER BY sequence`)
      .all()
      .map(batchOf);
  }

  /** The batch built but not anchored yet (at most one: sequences anchor in order). */
  openBatch(): StoredBatch | undefined {
    const row: unknown = this.#db
      .prepare(`SELECT * FROM batches WHERE state = 'built' ORDER BY sequence LIMIT 1`)
      .get();
    return row === undefined ? undefined : batchOf(row);
  }

  getBatch(sequence: number): StoredBatch | undefined {
    const row: unknown = this.#db.prepare(`SELECT * FROM batches WHERE sequence = ?`).get(sequence);
    return row === undefined ? undefined : batchOf(row);
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
      this.#db
        .prepare(
          `INSERT INTO batches (sequence, anchor_json, log_proof_json, request_ids_json, state, created_at)
           VALUES (?, ?, ?, ?, 'built', ?)`,
        )
        .run(
          batch.anchor.sequence,
          JSON.stringify(batch.anchor),
          JSON.stringify(batch.logProof),
          JSON.stringify(batch.entries.map((e) => e.requestId)),
          now,
        );
      const mark = this.#db.prepare(
        `UPDATE results SET state = 'batched', batch_sequence = ?, batch_index = ?, proof_json = ? WHERE request_id = ? AND state = 'pending'`,
      );
      for (const e of batch.entries) {
        if (
          mark.run(batch.anchor.sequence, e.proof.index, JSON.stringify(e.proof), e.requestId).changes !== 1
        )
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
      this.#db
        .prepare(
          `UPDATE batches SET state = 'anchored', tx_id = ?, last_error = NULL, anchored_at = ? WHERE sequence = ?`,
        )
        .run(txId, now, sequence);
      this.#db
        .prepare(
          `UPDATE results SET state = 'committed', tx_id = ?, committed_at = ? WHERE batch_sequence = ? AND state = 'batched'`,
        )
        .run(txId, now, sequence);
    })();
  }

  /** Drops a built (never anchored) batch; its results become pending again, to be rebuilt. */
  dissolveBatch(sequence: number): void {
    this.#db.transaction(() => {
      this.#db
        .prepare(
          `UPDATE results SET state = 'pending', batch_sequence = NULL, batch_index = NULL, proof_json = NULL WHERE batch_sequence = ? AND state = 'batched'`,
        )
        .run(sequence);
      this.#db.prepare(`DELETE FROM batches WHERE sequence = ? AND state = 'built'`).run(sequence);
    })();
  }

  deferBatch(sequence: number, error: string, nextTryAt: number): void {
    this.#db
      .prepare(`UPDATE batches SET tries = tries + 1, next_try_at = ?, last_error = ? WHERE sequence = ?`)
      .run(nextTryAt, error, sequence);
  }

  /** Records an anchor found on the ledger but not here (lost local state); its receipts are not known locally. */
  importAnchoredBatch(anchor: BatchAnchor, requestIds: readonly string[], txId: string, now: number): void {
    this.#db
      .prepare(
        `INSERT INTO batches (sequence, anchor_json, log_proof_json, request_ids_json, state, tx_id, created_at, anchored_at)
         VALUES (?, ?, ?, ?, 'anchored', ?, ?, ?)`,
      )
      .run(
        anchor.sequence,
        JSON.stringify(anchor),
        JSON.stringify({ consistency: [], inclusion: [] }),
        JSON.stringify(requestIds),
        txId,
        now,
        now,
      );
  }

  // ---- gauges -----------------------------------------------------------------------------

  counts(): StoreCounts {
    const jobs: Record<JobState, number> = { queued: 0, running: 0, done: 0, failed: 0, abandoned: 0 };
    const results: Record<ResultState, number> = { pending: 0, batched: 0, committed: 0, rejected: 0 };
    for (const value of this.#db.prepare(`SELECT state, COUNT(*) AS n FROM jobs GROUP BY state`).all()) {
      const r = asRow(value);
      const s = JOB_STATES.find((x) => x === r.state);
      if (s !== undefined) jobs[s] = int(r, 'n');
    }
    for (const value of this.#db.prepare(`SELECT state, COUNT(*) AS n FROM results GROUP BY state`).all()) {
      const r = asRow(value);
      const s = RESULT_STATES.find((x) => x === r.state);
      if (s !== undefined) results[s] = int(r, 'n');
    }
    return { jobs, results };
  }
}
