/**
 * The lab's embedded database (better-sqlite3, WAL mode, synchronous=FULL): the durable job queue,
 * the outbox of finished results, and the lab's batches. WAL lets the HTTP handlers read while the
 * worker writes; FULL makes every committed transaction survive a power cut, which is the point of
 * an outbox.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { LabError, LabErrorCode } from '../errors';

/** An open database handle. */
export type LabDatabase = Database.Database;

const SCHEMA_VERSION = 1;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS jobs (
  request_id           TEXT PRIMARY KEY,
  hospital_id          TEXT NOT NULL,
  model_id             TEXT NOT NULL,
  model_version        TEXT NOT NULL,
  onnx_sha256          TEXT NOT NULL,
  scan_commitment      TEXT NOT NULL,
  tile_root_commitment TEXT NOT NULL,
  assigned_at          TEXT,
  deadline             TEXT,
  attempt              INTEGER NOT NULL,
  state                TEXT NOT NULL CHECK (state IN ('queued', 'running', 'done', 'failed', 'abandoned')),
  tries                INTEGER NOT NULL DEFAULT 0,
  next_try_at          INTEGER NOT NULL DEFAULT 0,
  last_error           TEXT,
  received_at          INTEGER NOT NULL,
  updated_at           INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS jobs_by_state ON jobs (state, next_try_at, received_at);

CREATE TABLE IF NOT EXISTS results (
  request_id      TEXT PRIMARY KEY REFERENCES jobs (request_id),
  hospital_id     TEXT NOT NULL,
  trace_json      TEXT NOT NULL,
  receipt_json    TEXT NOT NULL,
  trace_hash      TEXT NOT NULL,
  receipt_hash    TEXT NOT NULL,
  mask_sha256     TEXT,
  scores_sha256   TEXT,
  state           TEXT NOT NULL CHECK (state IN ('pending', 'batched', 'committed', 'rejected')),
  tries           INTEGER NOT NULL DEFAULT 0,
  next_try_at     INTEGER NOT NULL DEFAULT 0,
  last_error      TEXT,
  tx_id           TEXT,
  batch_sequence  INTEGER,
  batch_index     INTEGER,
  proof_json      TEXT,
  created_at      INTEGER NOT NULL,
  committed_at    INTEGER
);
CREATE INDEX IF NOT EXISTS results_by_state ON results (state, next_try_at, created_at);
CREATE INDEX IF NOT EXISTS results_by_mask ON results (mask_sha256);
CREATE INDEX IF NOT EXISTS results_by_scores ON results (scores_sha256);

CREATE TABLE IF NOT EXISTS batches (
  sequence         INTEGER PRIMARY KEY,
  anchor_json      TEXT NOT NULL,
  log_proof_json   TEXT NOT NULL,
  request_ids_json TEXT NOT NULL,
  state            TEXT NOT NULL CHECK (state IN ('built', 'anchored')),
  tries            INTEGER NOT NULL DEFAULT 0,
  next_try_at      INTEGER NOT NULL DEFAULT 0,
  last_error       TEXT,
  tx_id            TEXT,
  created_at       INTEGER NOT NULL,
  anchored_at      INTEGER
);
`;

/**
 * Opens (creating if needed) the database at `file` (`:memory:` for tests).
 * @throws Error when the file belongs to a newer schema or cannot be opened.
 */
export function openLabDatabase(file: string): LabDatabase {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  const version = db.pragma('user_version', { simple: true });
  if (typeof version !== 'number' || version > SCHEMA_VERSION) {
    db.close();
    throw new LabError(
      LabErrorCode.CORRUPT_STORE,
      `${file} has schema version ${String(version)}; this lab understands up to ${SCHEMA_VERSION}`,
    );
  }
  db.exec(SCHEMA);
  db.pragma(`user_version = ${SCHEMA_VERSION}`);
  return db;
}
