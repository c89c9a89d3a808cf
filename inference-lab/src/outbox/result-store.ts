/**
 * The outbox aggregate: finished results waiting for the ledger. A result is `pending` until
 * committed (single mode) or `batched` into an anchored batch (batch mode), or `rejected` with the
 * chaincode's reason when the request is no longer the lab's.
 */
import {
  isMemberId,
  isRequestId,
  isSha256Hex,
  parseReceipt,
  parseReceiptProof,
  parseTrace,
  type MemberId,
  type PixelTrace,
  type Receipt,
  type ReceiptProof,
  type RequestId,
  type Sha256Hex,
} from '@veriscan/protocol';
import type { LabDatabase } from './database';
import { asRow, branded, int, json, optInt, optSha256, optStr, stateOf } from './rows';

export const RESULT_STATES = ['pending', 'batched', 'committed', 'rejected'] as const;
export type ResultState = (typeof RESULT_STATES)[number];

/** A finished result in the outbox. */
export interface StoredResult {
  readonly requestId: RequestId;
  readonly hospitalId: MemberId;
  readonly trace: PixelTrace;
  readonly receipt: Receipt;
  readonly traceHash: Sha256Hex;
  readonly receiptHash: Sha256Hex;
  readonly maskSha256: Sha256Hex | null;
  readonly scoresSha256: Sha256Hex | null;
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

/** What {@link LabStore.recordResult} stores. */
export interface NewResult {
  readonly requestId: RequestId;
  readonly hospitalId: MemberId;
  readonly trace: PixelTrace;
  readonly receipt: Receipt;
  readonly traceHash: Sha256Hex;
  readonly receiptHash: Sha256Hex;
  readonly maskSha256: Sha256Hex | null;
  readonly scoresSha256: Sha256Hex | null;
}

function resultOf(value: unknown): StoredResult {
  const r = asRow(value);
  const proofJson = optStr(r, 'proof_json');
  return {
    requestId: branded(r, 'request_id', isRequestId, 'a request id'),
    hospitalId: branded(r, 'hospital_id', isMemberId, 'a member id'),
    trace: parseTrace(json(r, 'trace_json')),
    receipt: parseReceipt(json(r, 'receipt_json')),
    traceHash: branded(r, 'trace_hash', isSha256Hex, 'a hex digest'),
    receiptHash: branded(r, 'receipt_hash', isSha256Hex, 'a hex digest'),
    maskSha256: optSha256(r, 'mask_sha256'),
    scoresSha256: optSha256(r, 'scores_sha256'),
    state: stateOf(r, 'results', RESULT_STATES),
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

/** The `results` table. */
export class ResultStore {
  readonly #db: LabDatabase;

  constructor(db: LabDatabase) {
    this.#db = db;
  }

  /** Inserts a pending result; idempotent per request. Called inside {@link LabStore.recordResult}. */
  insertPending(result: NewResult, now: number): void {
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

  /** Moves one pending result into a built batch; false when it is not pending. */
  markBatched(requestId: string, sequence: number, proof: ReceiptProof): boolean {
    return (
      this.#db
        .prepare(
          `UPDATE results SET state = 'batched', batch_sequence = ?, batch_index = ?, proof_json = ? WHERE request_id = ? AND state = 'pending'`,
        )
        .run(sequence, proof.index, JSON.stringify(proof), requestId).changes === 1
    );
  }

  /** The results of an anchored batch are committed. */
  commitBatch(sequence: number, txId: string, now: number): void {
    this.#db
      .prepare(
        `UPDATE results SET state = 'committed', tx_id = ?, committed_at = ? WHERE batch_sequence = ? AND state = 'batched'`,
      )
      .run(txId, now, sequence);
  }

  /** The results of a dissolved batch are pending again. */
  unbatch(sequence: number): void {
    this.#db
      .prepare(
        `UPDATE results SET state = 'pending', batch_sequence = NULL, batch_index = NULL, proof_json = NULL WHERE batch_sequence = ? AND state = 'batched'`,
      )
      .run(sequence);
  }

  /** Results per state, for the queue-depth gauges. */
  countByState(): Record<ResultState, number> {
    const counts: Record<ResultState, number> = { pending: 0, batched: 0, committed: 0, rejected: 0 };
    for (const value of this.#db.prepare(`SELECT state, COUNT(*) AS n FROM results GROUP BY state`).all()) {
      const r = asRow(value);
      const state = RESULT_STATES.find((s) => s === r.state);
      if (state !== undefined) counts[state] = int(r, 'n');
    }
    return counts;
  }
}
