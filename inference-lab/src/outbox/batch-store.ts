/**
 * The batch aggregate: the lab's Merkle batches of receipts, `built` (stored with every proof before
 * AnchorBatch is sent, so a crash resubmits the identical anchor) and then `anchored`.
 */
import {
  isRequestId,
  parseAnchorLogProof,
  parseBatchAnchor,
  type AnchorLogProof,
  type BatchAnchor,
  type RequestId,
} from '@veriscan/protocol';
import { LabError, LabErrorCode } from '../errors';
import type { LabDatabase } from './database';
import { asRow, int, json, optStr, stateOf } from './rows';

export const BATCH_STATES = ['built', 'anchored'] as const;
export type BatchState = (typeof BATCH_STATES)[number];

/** One of the lab's batches. */
export interface StoredBatch {
  readonly sequence: number;
  readonly anchor: BatchAnchor;
  readonly logProof: AnchorLogProof;
  readonly requestIds: readonly RequestId[];
  readonly state: BatchState;
  readonly tries: number;
  readonly nextTryAt: number;
  readonly lastError: string | null;
  readonly txId: string | null;
}

function batchOf(value: unknown): StoredBatch {
  const r = asRow(value);
  const ids: unknown = json(r, 'request_ids_json');
  if (!Array.isArray(ids) || !ids.every(isRequestId))
    throw new LabError(LabErrorCode.CORRUPT_STORE, 'batches.request_ids_json is not a list of ids');
  return {
    sequence: int(r, 'sequence'),
    anchor: parseBatchAnchor(json(r, 'anchor_json')),
    logProof: parseAnchorLogProof(json(r, 'log_proof_json')),
    requestIds: ids,
    state: stateOf(r, 'batches', BATCH_STATES),
    tries: int(r, 'tries'),
    nextTryAt: int(r, 'next_try_at'),
    lastError: optStr(r, 'last_error'),
    txId: optStr(r, 'tx_id'),
  };
}

/** The `batches` table. */
export class BatchStore {
  readonly #db: LabDatabase;

  constructor(db: LabDatabase) {
    this.#db = db;
  }

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

  /** Inserts a built batch; called inside {@link LabStore.saveBuiltBatch}'s transaction. */
  insertBuilt(
    anchor: BatchAnchor,
    logProof: AnchorLogProof,
    requestIds: readonly string[],
    now: number,
  ): void {
    this.#db
      .prepare(
        `INSERT INTO batches (sequence, anchor_json, log_proof_json, request_ids_json, state, created_at)
         VALUES (?, ?, ?, ?, 'built', ?)`,
      )
      .run(
        anchor.sequence,
        JSON.stringify(anchor),
        JSON.stringify(logProof),
        JSON.stringify(requestIds),
        now,
      );
  }

  /** Marks a batch anchored; called inside {@link LabStore.markBatchAnchored}'s transaction. */
  markAnchored(sequence: number, txId: string, now: number): void {
    this.#db
      .prepare(
        `UPDATE batches SET state = 'anchored', tx_id = ?, last_error = NULL, anchored_at = ? WHERE sequence = ?`,
      )
      .run(txId, now, sequence);
  }

  /** Deletes a built (never anchored) batch; called inside {@link LabStore.dissolveBatch}'s transaction. */
  deleteBuilt(sequence: number): void {
    this.#db.prepare(`DELETE FROM batches WHERE sequence = ? AND state = 'built'`).run(sequence);
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
}
