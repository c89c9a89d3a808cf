/**
 * Append-only block file (common/ledger/blkstorage): each block is written as a 4-byte big-endian
 * length and the marshalled block, then fsync'd before anyone is told it was committed. A torn
 * record at the tail (a crash mid-write) is cut off when the file is opened.
 */
import {
  closeSync,
  existsSync,
  fdatasyncSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readFileSync,
  writeSync,
} from 'node:fs';
import { dirname } from 'node:path';

export class BlockStore {
  readonly #fd: number;
  readonly #blocks: Uint8Array[] = [];

  private constructor(fd: number, blocks: Uint8Array[]) {
    this.#fd = fd;
    this.#blocks = blocks;
  }

  /** Opens (or creates) the block file and loads every complete record. */
  static open(file: string): BlockStore {
    mkdirSync(dirname(file), { recursive: true });
    const blocks: Uint8Array[] = [];
    let validLength = 0;
    if (existsSync(file)) {
      const data = readFileSync(file);
      let offset = 0;
      while (offset + 4 <= data.length) {
        const length = data.readUInt32BE(offset);
        if (offset + 4 + length > data.length) break;
        blocks.push(new Uint8Array(data.subarray(offset + 4, offset + 4 + length)));
        offset += 4 + length;
      }
      validLength = offset;
    }
    const fd = openSync(file, 'a+');
    ftruncateSync(fd, validLength);
    return new BlockStore(fd, blocks);
  }

  get height(): number {
    return this.#blocks.length;
  }

  get(number: number): Uint8Array | undefined {
    return this.#blocks[number];
  }

  all(): readonly Uint8Array[] {
    return this.#blocks;
  }

  /** Appends a block durably (write + fdatasync). */
  append(block: Uint8Array): void {
    const header = Buffer.alloc(4);
    header.writeUInt32BE(block.length, 0);
    writeSync(this.#fd, Buffer.concat([header, block]));
    fdatasyncSync(this.#fd);
    this.#blocks.push(block);
  }

  close(): void {
    closeSync(this.#fd);
  }
}
