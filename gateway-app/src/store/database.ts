/**
 * The hospital gateway's local database (better-sqlite3, WAL, synchronous=FULL): its requests with their
 * salts and commitments, the link from a request to the hospital's own patient reference and original
 * DICOM UIDs (which never leave this file), the upload outbox, and the append-only access log. The
 * regulator's gateway uses the same file for its token list only.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { GatewayError, GatewayErrorCode } from '../errors';

export type GatewayDatabase = Database.Database;

const SCHEMA_VERSION = 1;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS scans (
  request_id           TEXT PRIMARY KEY,
  user_name            TEXT NOT NULL,
  idempotency_key      TEXT,
  fingerprint          TEXT NOT NULL,
  model_ref            TEXT NOT NULL,
  priority             TEXT NOT NULL,
  media_type           TEXT NOT NULL,
  scan_sha256          TEXT NOT NULL,
  salt                 TEXT NOT NULL,
  tile_size            INTEGER NOT NULL,
  scan_commitment      TEXT NOT NULL,
  tile_root_commitment TEXT NOT NULL,
  width                INTEGER NOT NULL,
  height               INTEGER NOT NULL,
  bit_depth            INTEGER NOT NULL,
  state                TEXT NOT NULL
                       CHECK (state IN ('accepted', 'submitted', 'completed', 'failed', 'expired')),
  assigned_lab         TEXT,
  tx_id                TEXT,
  block_number         TEXT,
  result_json          TEXT,
  mask_sha256          TEXT,
  scores_sha256        TEXT,
  last_error           TEXT,
  tries                INTEGER NOT NULL DEFAULT 0,
  next_try_at          INTEGER NOT NULL DEFAULT 0,
  created_at           INTEGER NOT NULL,
  updated_at           INTEGER NOT NULL,
  completed_at         INTEGER
);
CREATE UNIQUE INDEX IF NOT EXISTS scans_by_idempotency ON scans (user_name, idempotency_key)
  WHERE idempotency_key IS NOT NULL;
CREATE INDEX IF NOT EXISTS scans_by_state ON scans (state, next_try_at);
CREATE INDEX IF NOT EXISTS scans_by_created ON scans (created_at);

CREATE TABLE IF NOT EXISTS patient_links (
  request_id   TEXT PRIMARY KEY REFERENCES scans (request_id),
  patient_ref  TEXT
);

CREATE TABLE IF NOT EXISTS uid_map (
  request_id   TEXT NOT NULL REFERENCES scans (request_id),
  tag          TEXT NOT NULL,
  original     TEXT NOT NULL,
  replacement  TEXT NOT NULL,
  PRIMARY KEY (request_id, tag, original)
);

CREATE TABLE IF NOT EXISTS access_log (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  at          INTEGER NOT NULL,
  request_id  TEXT NOT NULL,
  member_id   TEXT NOT NULL,
  msp_id      TEXT NOT NULL,
  job         TEXT NOT NULL,
  purpose     TEXT NOT NULL,
  outcome     TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS access_by_request ON access_log (request_id, id);
CREATE TRIGGER IF NOT EXISTS access_log_no_update BEFORE UPDATE ON access_log
  BEGIN SELECT RAISE(ABORT, 'access_log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS access_log_no_delete BEFORE DELETE ON access_log
  BEGIN SELECT RAISE(ABORT, 'access_log is append-only'); END;

CREATE TABLE IF NOT EXISTS api_tokens (
  name        TEXT PRIMARY KEY,
  sha256      TEXT NOT NULL UNIQUE,
  created_at  INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS secrets (
  name   TEXT PRIMARY KEY,
  value  BLOB NOT NULL
);
`;

/**
 * Opens (creating if needed) the database at `file` (`:memory:` for tests).
 * @throws GatewayError INVALID_STATE when the file belongs to a newer schema.
 */
export function openGatewayDatabase(file: string): GatewayDatabase {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  const version = Number(db.pragma('user_version', { simple: true }));
  if (version > SCHEMA_VERSION) {
    db.close();
    throw new GatewayError(
      GatewayErrorCode.INVALID_STATE,
      `${file} has schema ${version}, this gateway knows ${SCHEMA_VERSION}`,
    );
  }
  db.exec(SCHEMA);
  db.pragma(`user_version = ${SCHEMA_VERSION}`);
  return db;
}
