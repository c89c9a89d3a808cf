/**
 * An RFC 6962 Merkle tree held as its levels, so every inclusion and consistency proof of a batch comes from
 * one pass of hashing. Level 0 holds the leaf hashes; level h+1 pairs level h left to right and carries a
 * lone last node up unchanged. That carried-up shape is the same tree as RFC 6962's "split at the largest
 * power of two below n" recursion: the node at level h, position j always covers leaves
 * [j * 2^h, min((j + 1) * 2^h, n)).
 */
import { HASH_SIZE, emptyRoot, hashChildren, hashLeaf } from './hashing.js';
import { type Sha256Hex, toSha256Hex } from '../bytes.js';
import { invalidInput } from '../errors.js';

/** A built tree; immutable once constructed. */
export class MerkleTree {
  // Each level is one flat buffer of 32-byte nodes: a million-leaf tree then costs 64 MB in two dozen
  // allocations instead of two million small Buffers (several times that, and slow to collect).
  readonly #levels: readonly Uint8Array[];
  readonly #size: number;
  // Hex of every node, built on first use: a batch's proofs share most nodes, so encoding each node once
  // instead of once per proof saves most of the cost of producing 10,000 JSON proofs.
  #hexLevels: readonly (readonly Sha256Hex[])[] | undefined;

  private constructor(leafHashes: Uint8Array) {
    this.#size = leafHashes.length / HASH_SIZE;
    const levels: Uint8Array[] = [leafHashes];
    let current = leafHashes;
    let count = this.#size;
    while (count > 1) {
      const nextCount = Math.ceil(count / 2);
      const next = new Uint8Array(nextCount * HASH_SIZE);
      for (let i = 0; i + 1 < count; i += 2) {
        const left = current.subarray(i * HASH_SIZE, (i + 1) * HASH_SIZE);
        const right = current.subarray((i + 1) * HASH_SIZE, (i + 2) * HASH_SIZE);
        next.set(hashChildren(left, right), (i / 2) * HASH_SIZE);
      }
      if (count % 2 === 1)
        next.set(current.subarray((count - 1) * HASH_SIZE, count * HASH_SIZE), (nextCount - 1) * HASH_SIZE);
      levels.push(next);
      current = next;
      count = nextCount;
    }
    this.#levels = levels;
  }

  /** A tree over raw leaf data (each leaf is hashed as `SHA-256(0x00 || leaf)`). */
  static fromLeaves(leaves: readonly Uint8Array[]): MerkleTree {
    const flat = new Uint8Array(leaves.length * HASH_SIZE);
    leaves.forEach((leaf, i) => {
      flat.set(hashLeaf(leaf), i * HASH_SIZE);
    });
    return new MerkleTree(flat);
  }

  /**
   * A tree over leaf hashes that were already computed with {@link hashLeaf}.
   * @throws ProtocolError `INVALID_INPUT` when a leaf hash is not 32 bytes.
   */
  static fromLeafHashes(leafHashes: readonly Uint8Array[]): MerkleTree {
    const flat = new Uint8Array(leafHashes.length * HASH_SIZE);
    leafHashes.forEach((hash, i) => {
      if (hash.length !== HASH_SIZE)
        invalidInput(`leafHashes[${i}]`, `must be ${HASH_SIZE} bytes, got ${hash.length}`);
      flat.set(hash, i * HASH_SIZE);
    });
    return new MerkleTree(flat);
  }

  /** Number of leaves. */
  get size(): number {
    return this.#size;
  }

  /** The tree head (Merkle tree hash); SHA-256 of the empty string for an empty tree. */
  root(): Uint8Array {
    if (this.size === 0) return emptyRoot();
    return this.#node(this.#levels.length - 1, 0);
  }

  /**
   * RFC 6962 audit path for leaf `index`, ordered from the leaf's sibling up to the root's child.
   * @throws ProtocolError `INVALID_INPUT` when `index` is not a leaf of this tree.
   */
  inclusionProof(index: number): Uint8Array[] {
    return this.#auditPath(index, (level, position) => this.#nodeIfAny(level, position)?.slice());
  }

  // Walks from leaf `index` to the root collecting siblings; a node without a sibling (the lone last node of
  // a level) was carried up unchanged and contributes nothing, exactly as in RFC 6962's PATH.
  #auditPath<T>(index: number, node: (level: number, position: number) => T | undefined): T[] {
    if (!Number.isInteger(index) || index < 0 || index >= this.size) {
      invalidInput('index', `must be an integer in [0, ${this.size}), got ${index}`);
    }
    const proof: T[] = [];
    let position = index;
    for (let level = 0; level < this.#levels.length - 1; level += 1) {
      const sibling = node(level, position % 2 === 0 ? position + 1 : position - 1);
      if (sibling !== undefined) proof.push(sibling);
      position = Math.floor(position / 2);
    }
    return proof;
  }

  /** {@link MerkleTree.inclusionProof} as hex, for records. */
  inclusionProofHex(index: number): Sha256Hex[] {
    this.#hexLevels ??= this.#levels.map((level) =>
      Array.from({ length: level.length / HASH_SIZE }, (_, i) =>
        toSha256Hex(level.subarray(i * HASH_SIZE, (i + 1) * HASH_SIZE)),
      ),
    );
    const hexLevels = this.#hexLevels;
    return this.#auditPath(index, (level, position) => hexLevels[level]?.[position]);
  }

  /**
   * RFC 6962 section 2.1.2 consistency proof from the first `oldSize` leaves to this whole tree.
   * @throws ProtocolError `INVALID_INPUT` when `oldSize` is not in [0, size].
   */
  consistencyProof(oldSize: number): Uint8Array[] {
    if (!Number.isInteger(oldSize) || oldSize < 0 || oldSize > this.size) {
      invalidInput('oldSize', `must be an integer in [0, ${this.size}], got ${oldSize}`);
    }
    if (oldSize === 0 || oldSize === this.size) return [];
    const proof: Uint8Array[] = [];
    this.#subproof(oldSize, 0, this.size, true, proof);
    return proof;
  }

  /** Root of the first `size` leaves, i.e. an earlier checkpoint of the same append-only log. */
  rootAt(size: number): Uint8Array {
    if (!Number.isInteger(size) || size < 0 || size > this.size) {
      invalidInput('size', `must be an integer in [0, ${this.size}], got ${size}`);
    }
    return size === 0 ? emptyRoot() : this.#range(0, size);
  }

  // SUBPROOF(m, D[start:end], b) of RFC 6962 section 2.1.2, appending to `out` in the RFC's order.
  #subproof(m: number, start: number, end: number, complete: boolean, out: Uint8Array[]): void {
    const n = end - start;
    if (m === n) {
      if (!complete) out.push(this.#range(start, end));
      return;
    }
    const k = largestPowerOfTwoBelow(n);
    if (m <= k) {
      this.#subproof(m, start, start + k, complete, out);
      out.push(this.#range(start + k, end));
    } else {
      this.#subproof(m - k, start + k, end, false, out);
      out.push(this.#range(start, start + k));
    }
  }

  // MTH(D[start:end]). Ranges from the RFC recursion that are nodes of the level structure are looked up;
  // others (inside an old, smaller tree's right edge) are rebuilt from their two halves.
  #range(start: number, end: number): Uint8Array {
    const n = end - start;
    let height = 0;
    while (2 ** height < n) height += 1; // integer ceil(log2 n); Math.log2 can round at large sizes
    const width = 2 ** height;
    if (start % width === 0 && (n === width || end === this.size)) return this.#node(height, start / width);
    const k = largestPowerOfTwoBelow(n);
    return hashChildren(this.#range(start, start + k), this.#range(start + k, end));
  }

  #node(level: number, position: number): Uint8Array {
    const node = this.#nodeIfAny(level, position);
    if (node === undefined) throw new RangeError(`no node at level ${level}, position ${position}`);
    return node.slice(); // a copy: callers must not be able to write into the tree
  }

  #nodeIfAny(level: number, position: number): Uint8Array | undefined {
    const nodes = this.#levels[level];
    if (nodes === undefined || position < 0 || (position + 1) * HASH_SIZE > nodes.length) return undefined;
    return nodes.subarray(position * HASH_SIZE, (position + 1) * HASH_SIZE);
  }
}

/** The largest power of two strictly below `n` (n >= 2), the RFC 6962 split point. */
export function largestPowerOfTwoBelow(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}
