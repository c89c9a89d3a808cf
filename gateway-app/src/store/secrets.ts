/** Per-gateway random secrets kept in its database (created on first use, never logged). */
import { randomBytes } from 'node:crypto';
import type { GatewayDatabase } from './database';

/** The secret `name` (32 random bytes), created the first time it is asked for. */
export function localSecret(db: GatewayDatabase, name: string): Buffer {
  db.prepare('INSERT OR IGNORE INTO secrets (name, value) VALUES (?, ?)').run(name, randomBytes(32));
  const row = db.prepare('SELECT value FROM secrets WHERE name = ?').get(name) as { value: Buffer };
  return row.value;
}
