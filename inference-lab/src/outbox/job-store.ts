/**
 * The job aggregate: assigned requests waiting to run (ids and commitments only). A job is queued
 * when its assignment arrives, claimed by a worker, deferred on a transient failure, and closed as
 * done (with its result, by {@link LabStore.recordResult}), failed or abandoned.
 */
import {
  isMemberId,
  isModelId,
  isRequestId,
  isSha256Hex,
  type MemberId,
  type ModelId,
  type RequestId,
  type Sha256Hex,
} from '@veriscan/protocol';
import type { LedgerRequest } from '../fabric/views';
import type { LabDatabase } from './database';
import { asRow, branded, int, optInt, optStr, stateOf, str } from './rows';

export const JOB_STATES = ['queued', 'running', 'done', 'failed', 'abandoned'] as const;
export type JobState = (typeof JOB_STATES)[number];

/** An assigned request as the lab queues it. */
export interface Job {
  readonly requestId: RequestId;
  readonly hospitalId: MemberId;
  readonly modelId: ModelId;
  readonly modelVersion: string;
  readonly onnxSha256: Sha256Hex;
  readonly scanCommitment: Sha256Hex;
  readonly tileRootCommitment: Sha256Hex;
  readonly assignedAt: string | null;
  readonly deadline: string | null;
  readonly attempt: number;
  readonly state: JobState;
  readonly tries: number;
  readonly nextTryAt: number;
  readonly lastError: string | null;
  readonly receivedAt: number;
}

function jobOf(value: unknown): Job {
  const r = asRow(value);
  return {
    requestId: branded(r, 'request_id', isRequestId, 'a request id'),
    hospitalId: branded(r, 'hospital_id', isMemberId, 'a member id'),
    modelId: branded(r, 'model_id', isModelId, 'a model id'),
    modelVersion: str(r, 'model_version'),
    onnxSha256: branded(r, 'onnx_sha256', isSha256Hex, 'a hex digest'),
    scanCommitment: branded(r, 'scan_commitment', isSha256Hex, 'a hex digest'),
    tileRootCommitment: branded(r, 'tile_root_commitment', isSha256Hex, 'a hex digest'),
    assignedAt: optStr(r, 'assigned_at'),
    deadline: optStr(r, 'deadline'),
    attempt: int(r, 'attempt'),
    state: stateOf(r, 'jobs', JOB_STATES),
    tries: int(r, 'tries'),
    nextTryAt: int(r, 'next_try_at'),
    lastError: optStr(r, 'last_error'),
    receivedAt: int(r, 'received_at'),
  };
}

/** The `jobs` table. */
export class JobStore {
  readonly #db: LabDatabase;

  constructor(db: LabDatabase) {
    this.#db = db;
  }

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

  /** Marks a job done; called inside {@link LabStore.recordResult}'s transaction. */
  markDone(requestId: string, now: number): void {
    this.#db
      .prepare(`UPDATE jobs SET state = 'done', last_error = NULL, updated_at = ? WHERE request_id = ?`)
      .run(now, requestId);
  }

  getJob(requestId: string): Job | undefined {
    const row: unknown = this.#db.prepare(`SELECT * FROM jobs WHERE request_id = ?`).get(requestId);
    return row === undefined ? undefined : jobOf(row);
  }

  /** Jobs per state, for the queue-depth gauges. */
  countByState(): Record<JobState, number> {
    const counts: Record<JobState, number> = { queued: 0, running: 0, done: 0, failed: 0, abandoned: 0 };
    for (const value of this.#db.prepare(`SELECT state, COUNT(*) AS n FROM jobs GROUP BY state`).all()) {
      const r = asRow(value);
      const state = JOB_STATES.find((s) => s === r.state);
      if (state !== undefined) counts[state] = int(r, 'n');
    }
    return counts;
  }
}
