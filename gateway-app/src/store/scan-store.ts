/**
 * The hospital's request records (table `scans`), their private links (patient reference, original
 * UIDs) and the access log. A request moves `accepted` (stored, waiting for the ledger) → `submitted`
 * (on the ledger) → `completed` (result fetched from the lab and checked against the ledger's receipt),
 * or ends `failed` (the ledger refused it) or `expired` (the ledger expired it).
 */
import type { GatewayDatabase } from './database';

export const ScanState = ['accepted', 'submitted', 'completed', 'failed', 'expired'] as const;
export type ScanState = (typeof ScanState)[number];

/** One request as the hospital holds it. */
export interface ScanRow {
  readonly requestId: string;
  readonly userName: string;
  readonly idempotencyKey: string | null;
  readonly fingerprint: string;
  readonly modelRef: string;
  readonly priority: string;
  readonly mediaType: string;
  readonly scanSha256: string;
  readonly salt: string;
  readonly tileSize: number;
  readonly scanCommitment: string;
  readonly tileRootCommitment: string;
  readonly width: number;
  readonly height: number;
  readonly bitDepth: number;
  readonly state: ScanState;
  readonly assignedLab: string | null;
  readonly txId: string | null;
  readonly blockNumber: string | null;
  readonly resultJson: string | null;
  readonly maskSha256: string | null;
  readonly scoresSha256: string | null;
  readonly lastError: string | null;
  readonly tries: number;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly completedAt: number | null;
}

/** A new request: everything known before the ledger has it. */
export type NewScan = Pick<
  ScanRow,
  | 'requestId'
  | 'userName'
  | 'idempotencyKey'
  | 'fingerprint'
  | 'modelRef'
  | 'priority'
  | 'mediaType'
  | 'scanSha256'
  | 'salt'
  | 'tileSize'
  | 'scanCommitment'
  | 'tileRootCommitment'
  | 'width'
  | 'height'
  | 'bitDepth'
>;

/** One line of the access log. */
export interface AccessEntry {
  readonly at: number;
  readonly requestId: string;
  readonly memberId: string;
  readonly mspId: string;
  readonly job: string;
  /** `lab-fetch`, `spot-check-fetch`, `audit-fetch`, … */
  readonly purpose: string;
  /** `served` or the refusal reason. */
  readonly outcome: string;
}

export interface ScanFilter {
  readonly state?: ScanState;
  readonly modelRef?: string;
  /** Page size (1..100). */
  readonly limit: number;
  /** Rows created strictly before this request (the previous page's last id). */
  readonly after?: string;
}

type Raw = Record<string, unknown>;

function rowOf(raw: Raw): ScanRow {
  // SQLite hands back TEXT as string and INTEGER as number; anything else is a schema bug.
  const str = (k: string): string => {
    const v = raw[k];
    if (typeof v === 'string') return v;
    if (typeof v === 'number' || typeof v === 'bigint') return v.toString();
    throw new Error(`scans.${k} is not text`);
  };
  const opt = (k: string): string | null => (raw[k] === null ? null : str(k));
  return {
    requestId: str('request_id'),
    userName: str('user_name'),
    idempotencyKey: opt('idempotency_key'),
    fingerprint: str('fingerprint'),
    modelRef: str('model_ref'),
    priority: str('priority'),
    mediaType: str('media_type'),
    scanSha256: str('scan_sha256'),
    salt: str('salt'),
    tileSize: Number(raw.tile_size),
    scanCommitment: str('scan_commitment'),
    tileRootCommitment: str('tile_root_commitment'),
    width: Number(raw.width),
    height: Number(raw.height),
    bitDepth: Number(raw.bit_depth),
    state: str('state') as ScanState,
    assignedLab: opt('assigned_lab'),
    txId: opt('tx_id'),
    blockNumber: opt('block_number'),
    resultJson: opt('result_json'),
    maskSha256: opt('mask_sha256'),
    scoresSha256: opt('scores_sha256'),
    lastError: opt('last_error'),
    tries: Number(raw.tries),
    createdAt: Number(raw.created_at),
    updatedAt: Number(raw.updated_at),
    completedAt: raw.completed_at === null ? null : Number(raw.completed_at),
  };
}

export class ScanStore {
  readonly #db: GatewayDatabase;
  readonly #now: () => number;

  constructor(db: GatewayDatabase, now: () => number = Date.now) {
    this.#db = db;
    this.#now = now;
  }

  /** Records a new request with its private links in one transaction. */
  insert(
    scan: NewScan,
    links: Readonly<{
      patientRef: string | null;
      uids: readonly { tag: string; original: string; replacement: string }[];
    }>,
  ): void {
    const now = this.#now();
    this.#db.transaction(() => {
      this.#db
        .prepare(
          `INSERT INTO scans (request_id, user_name, idempotency_key, fingerprint, model_ref, priority,
             media_type, scan_sha256, salt, tile_size, scan_commitment, tile_root_commitment, width, height,
             bit_depth, state, created_at, updated_at)
           VALUES (@requestId, @userName, @idempotencyKey, @fingerprint, @modelRef, @priority, @mediaType,
             @scanSha256, @salt, @tileSize, @scanCommitment, @tileRootCommitment, @width, @height, @bitDepth,
             'accepted', @now, @now)`,
        )
        .run({ ...scan, now });
      if (links.patientRef !== null)
        this.#db
          .prepare('INSERT INTO patient_links (request_id, patient_ref) VALUES (?, ?)')
          .run(scan.requestId, links.patientRef);
      const uid = this.#db.prepare(
        'INSERT OR IGNORE INTO uid_map (request_id, tag, original, replacement) VALUES (?, ?, ?, ?)',
      );
      for (const u of links.uids) uid.run(scan.requestId, u.tag, u.original, u.replacement);
    })();
  }

  get(requestId: string): ScanRow | undefined {
    const raw = this.#db.prepare('SELECT * FROM scans WHERE request_id = ?').get(requestId) as
      Raw | undefined;
    return raw === undefined ? undefined : rowOf(raw);
  }

  byIdempotencyKey(userName: string, key: string): ScanRow | undefined {
    const raw = this.#db
      .prepare('SELECT * FROM scans WHERE user_name = ? AND idempotency_key = ?')
      .get(userName, key) as Raw | undefined;
    return raw === undefined ? undefined : rowOf(raw);
  }

  patientRef(requestId: string): string | null {
    const raw = this.#db
      .prepare('SELECT patient_ref FROM patient_links WHERE request_id = ?')
      .get(requestId) as { patient_ref: string | null } | undefined;
    return raw?.patient_ref ?? null;
  }

  /** Newest first. */
  list(filter: ScanFilter): ScanRow[] {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.state !== undefined) {
      where.push('state = ?');
      params.push(filter.state);
    }
    if (filter.modelRef !== undefined) {
      where.push('model_ref = ?');
      params.push(filter.modelRef);
    }
    if (filter.after !== undefined) {
      where.push(
        '(created_at, request_id) < (SELECT created_at, request_id FROM scans WHERE request_id = ?)',
      );
      params.push(filter.after);
    }
    const sql = `SELECT * FROM scans ${where.length === 0 ? '' : `WHERE ${where.join(' AND ')}`}
      ORDER BY created_at DESC, request_id DESC LIMIT ?`;
    return (this.#db.prepare(sql).all(...params, filter.limit) as Raw[]).map(rowOf);
  }

  /** Requests in `state` whose next attempt is due, oldest first. */
  due(state: ScanState, limit = 32): ScanRow[] {
    return (
      this.#db
        .prepare('SELECT * FROM scans WHERE state = ? AND next_try_at <= ? ORDER BY created_at LIMIT ?')
        .all(state, this.#now(), limit) as Raw[]
    ).map(rowOf);
  }

  markSubmitted(
    requestId: string,
    txId: string | null,
    blockNumber: string | null,
    assignedLab: string | null,
  ): void {
    this.#db
      .prepare(
        `UPDATE scans SET state = 'submitted', tx_id = ?, block_number = ?, assigned_lab = ?, last_error = NULL,
           tries = 0, next_try_at = 0, updated_at = ? WHERE request_id = ? AND state = 'accepted'`,
      )
      .run(txId, blockNumber, assignedLab, this.#now(), requestId);
  }

  setAssignedLab(requestId: string, lab: string | null): void {
    this.#db
      .prepare('UPDATE scans SET assigned_lab = ?, updated_at = ? WHERE request_id = ?')
      .run(lab, this.#now(), requestId);
  }

  /** Schedules another attempt of the current step after `delayMs`. */
  retryLater(requestId: string, error: string, delayMs: number): void {
    const now = this.#now();
    this.#db
      .prepare(
        'UPDATE scans SET last_error = ?, tries = tries + 1, next_try_at = ?, updated_at = ? WHERE request_id = ?',
      )
      .run(error, now + delayMs, now, requestId);
  }

  markEnded(requestId: string, state: 'failed' | 'expired', error: string): void {
    this.#db
      .prepare('UPDATE scans SET state = ?, last_error = ?, updated_at = ? WHERE request_id = ?')
      .run(state, error, this.#now(), requestId);
  }

  markCompleted(
    requestId: string,
    result: Readonly<{ resultJson: string; maskSha256: string; scoresSha256: string; assignedLab: string }>,
  ): void {
    const now = this.#now();
    this.#db
      .prepare(
        `UPDATE scans SET state = 'completed', result_json = ?, mask_sha256 = ?, scores_sha256 = ?,
           assigned_lab = ?, last_error = NULL, completed_at = ?, updated_at = ? WHERE request_id = ?`,
      )
      .run(
        result.resultJson,
        result.maskSha256,
        result.scoresSha256,
        result.assignedLab,
        now,
        now,
        requestId,
      );
  }

  counts(): Record<ScanState, number> {
    const rows = this.#db.prepare('SELECT state, COUNT(*) AS n FROM scans GROUP BY state').all() as {
      state: ScanState;
      n: number;
    }[];
    const counts = Object.fromEntries(ScanState.map((s) => [s, 0])) as Record<ScanState, number>;
    for (const r of rows) counts[r.state] = r.n;
    return counts;
  }

  logAccess(entry: Omit<AccessEntry, 'at'>): void {
    this.#db
      .prepare(
        `INSERT INTO access_log (at, request_id, member_id, msp_id, job, purpose, outcome)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        this.#now(),
        entry.requestId,
        entry.memberId,
        entry.mspId,
        entry.job,
        entry.purpose,
        entry.outcome,
      );
  }

  accessLog(requestId: string): AccessEntry[] {
    return (
      this.#db
        .prepare(
          `SELECT at, request_id AS requestId, member_id AS memberId, msp_id AS mspId, job, purpose, outcome
           FROM access_log WHERE request_id = ? ORDER BY id`,
        )
        .all(requestId) as AccessEntry[]
    ).map((e) => ({ ...e }));
  }
}
