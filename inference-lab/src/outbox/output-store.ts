/**
 * Content-addressed storage of inference outputs (mask PNG, scores JSON): a blob's name is its
 * SHA-256, so the hospital can check what it downloads against the digest the lab reports, and the
 * same output twice is stored once. Writes go to a temporary file, are fsynced, then renamed, so a
 * crash never leaves a truncated blob under a valid name. Outputs are patient data: they stay in the
 * lab's state folder and are served only to the requesting hospital.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { toSha256Hex, type Sha256Hex } from '@veriscan/protocol';

const SHA256 = /^[0-9a-f]{64}$/;

/** Blobs under one folder. */
export class OutputStore {
  readonly #dir: string;

  constructor(dir: string) {
    this.#dir = dir;
  }

  #path(sha256: string): string {
    return join(this.#dir, sha256.slice(0, 2), sha256);
  }

  /** Stores `bytes` durably; returns their SHA-256 (lowercase hex). */
  async put(bytes: Uint8Array): Promise<Sha256Hex> {
    const sha256 = toSha256Hex(createHash('sha256').update(bytes).digest());
    const target = this.#path(sha256);
    if (existsSync(target)) return sha256;
    await mkdir(join(this.#dir, sha256.slice(0, 2)), { recursive: true });
    const temp = `${target}.${randomBytes(6).toString('hex')}.tmp`;
    const handle = await open(temp, 'wx', 0o600);
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    try {
      await rename(temp, target);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
    return sha256;
  }

  /** The blob, or undefined when absent or when `sha256` is not a digest. Verifies the content. */
  async get(sha256: string): Promise<Uint8Array | undefined> {
    if (!SHA256.test(sha256)) return undefined;
    let bytes: Buffer;
    try {
      bytes = await readFile(this.#path(sha256));
    } catch {
      return undefined;
    }
    // A blob whose bytes no longer match its name (disk fault, tampering) is never served.
    if (createHash('sha256').update(bytes).digest('hex') !== sha256) return undefined;
    return new Uint8Array(bytes);
  }
}
