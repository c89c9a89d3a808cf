/**
 * API tokens for people and scripts at one institution. A token is 32 random bytes (base64url) behind a
 * `vs_` prefix; the gateway stores only its SHA-256, so a copy of the database does not grant access (a
 * fast hash is enough for 256-bit random secrets: there is nothing to guess). Tokens are presented as
 * `Authorization: Bearer <token>`.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { GatewayDatabase } from '../store/database';
import { problem, sendProblem } from './problem';

const TOKEN_PATTERN = /^vs_[A-Za-z0-9_-]{43}$/;
const NAME_PATTERN = /^[a-z0-9][a-z0-9._-]{0,63}$/;

function digest(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** The user a token belongs to. */
export interface ApiUser {
  readonly name: string;
}

export class ApiTokens {
  readonly #db: GatewayDatabase;

  constructor(db: GatewayDatabase) {
    this.#db = db;
  }

  /** Issues a new token for `name` (replacing its previous one) and returns it; only its hash is kept. */
  issue(name: string): string {
    if (!NAME_PATTERN.test(name))
      throw new Error(`token name ${JSON.stringify(name)} is not a-z0-9._- (≤64)`);
    const token = `vs_${randomBytes(32).toString('base64url')}`;
    this.#db
      .prepare(
        `INSERT INTO api_tokens (name, sha256, created_at) VALUES (?, ?, ?)
         ON CONFLICT (name) DO UPDATE SET sha256 = excluded.sha256, created_at = excluded.created_at`,
      )
      .run(name, digest(token), Date.now());
    return token;
  }

  /** Installs a token hash issued elsewhere (the launcher keeps the plaintext for local.json). */
  installHash(name: string, sha256: string): void {
    if (!NAME_PATTERN.test(name) || !/^[0-9a-f]{64}$/.test(sha256)) throw new Error('bad token entry');
    this.#db
      .prepare(
        `INSERT INTO api_tokens (name, sha256, created_at) VALUES (?, ?, ?)
         ON CONFLICT (name) DO UPDATE SET sha256 = excluded.sha256`,
      )
      .run(name, sha256, Date.now());
  }

  /** The user of `token`, or `undefined`. */
  verify(token: string): ApiUser | undefined {
    if (!TOKEN_PATTERN.test(token)) return undefined;
    const hash = digest(token);
    const row = this.#db.prepare('SELECT name, sha256 FROM api_tokens WHERE sha256 = ?').get(hash) as
      { name: string; sha256: string } | undefined;
    if (row === undefined) return undefined;
    return timingSafeEqual(Buffer.from(row.sha256, 'hex'), Buffer.from(hash, 'hex'))
      ? { name: row.name }
      : undefined;
  }
}

/** SHA-256 of a token, as {@link ApiTokens.installHash} takes it. */
export function tokenHash(token: string): string {
  return digest(token);
}

const users = new WeakMap<Request, ApiUser>();

/** Requires a valid bearer token; 401 otherwise. */
export function requireToken(tokens: ApiTokens, onRefused: () => void): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const header = req.headers.authorization ?? '';
    const match = /^Bearer ([^\s]+)$/i.exec(header);
    const user = match?.[1] === undefined ? undefined : tokens.verify(match[1]);
    if (user === undefined) {
      onRefused();
      sendProblem(
        res,
        problem(
          401,
          header === '' ? 'an API token is required' : 'the API token is not valid',
          'UNAUTHENTICATED',
        ),
      );
      return;
    }
    users.set(req, user);
    next();
  };
}

/** The user {@link requireToken} let through. */
export function userOf(req: Request): ApiUser {
  const user = users.get(req);
  if (user === undefined) throw new Error('requireToken() did not run');
  return user;
}
