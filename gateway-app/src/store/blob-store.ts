/**
 * A content-addressed blob store on local disk: a blob's name is the SHA-256 of its bytes, writes are
 * atomic (a temporary file in the same folder, fsync, rename), and every read re-hashes the bytes, so a
 * corrupted or swapped file is refused rather than served. `BlobStore` is the small interface a hospital
 * could back with object storage instead.
 */
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { GatewayError, GatewayErrorCode } from '../errors';

/** Where de-identified scans and checked outputs live. */
export interface BlobStore {
  /** Stores `bytes`, returns their SHA-256 (lowercase hex); storing the same bytes twice is a no-op. */
  put(bytes: Uint8Array): Promise<string>;
  /** The bytes named `sha256`, or `undefined`. @throws GatewayError STORE_CORRUPT when they no longer hash to it */
  get(sha256: string): Promise<Uint8Array | undefined>;
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** {@link BlobStore} in a folder: `<dir>/<first two hex>/<sha256>`. */
export class DiskBlobStore implements BlobStore {
  readonly #dir: string;

  constructor(dir: string) {
    this.#dir = dir;
    mkdirSync(dir, { recursive: true });
  }

  #path(sha256: string): string {
    if (!SHA256_HEX.test(sha256)) throw new GatewayError(GatewayErrorCode.BAD_REQUEST, 'not a SHA-256 name');
    return join(this.#dir, sha256.slice(0, 2), sha256);
  }

  async put(bytes: Uint8Array): Promise<string> {
    const sha256 = sha256Hex(bytes);
    const path = this.#path(sha256);
    const exists = await stat(path).then(
      () => true,
      () => false,
    );
    if (exists) return sha256;
    mkdirSync(join(this.#dir, sha256.slice(0, 2)), { recursive: true });
    const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;
    const fd = openSync(temporary, 'wx', 0o600);
    try {
      writeSync(fd, bytes);
      fsyncSync(fd);
    } catch (error) {
      closeSync(fd);
      rmSync(temporary, { force: true });
      throw error;
    }
    closeSync(fd);
    renameSync(temporary, path);
    return sha256;
  }

  async get(sha256: string): Promise<Uint8Array | undefined> {
    let bytes: Buffer;
    try {
      bytes = await readFile(this.#path(sha256));
    } catch (error) {
      if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return undefined;
      throw error;
    }
    if (sha256Hex(bytes) !== sha256)
      throw new GatewayError(GatewayErrorCode.STORE_CORRUPT, `blob ${sha256} does not hash to its name`);
    return new Uint8Array(bytes);
  }
}
