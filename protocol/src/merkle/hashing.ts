/**
 * RFC 6962 section 2.1 hashing: `SHA-256(0x00 || leaf)` for leaves and `SHA-256(0x01 || left || right)` for
 * interior nodes. The distinct prefixes stop a leaf from being passed off as an interior node (second
 * preimage), which a plain Merkle tree allows.
 */
import { sha256 } from '../sha256.js';

/** Bytes of one SHA-256 digest, and of every node in the tree. */
export const HASH_SIZE = 32;

/** Root of the empty tree: SHA-256 of the empty string (RFC 6962 section 2.1). */
export function emptyRoot(): Uint8Array {
  return sha256(new Uint8Array(0));
}

/** `SHA-256(0x00 || leaf)`. */
export function hashLeaf(leaf: Uint8Array): Uint8Array {
  if (leaf.length === HASH_SIZE) {
    // Most leaves are digests; reuse one buffer (the hash call copies its input synchronously).
    leafScratch.set(leaf, 1);
    return sha256(leafScratch);
  }
  const joined = Buffer.allocUnsafe(1 + leaf.length);
  joined[0] = 0x00;
  joined.set(leaf, 1);
  return sha256(joined);
}

/** `SHA-256(0x01 || left || right)`. */
export function hashChildren(left: Uint8Array, right: Uint8Array): Uint8Array {
  if (left.length === HASH_SIZE && right.length === HASH_SIZE) {
    nodeScratch.set(left, 1);
    nodeScratch.set(right, 1 + HASH_SIZE);
    return sha256(nodeScratch);
  }
  const joined = Buffer.allocUnsafe(1 + left.length + right.length);
  joined[0] = 0x01;
  joined.set(left, 1);
  joined.set(right, 1 + left.length);
  return sha256(joined);
}

// Scratch buffers for the common all-digest case; single-threaded JavaScript makes sharing them safe.
const leafScratch = Buffer.alloc(1 + HASH_SIZE, 0x00);
const nodeScratch = Buffer.alloc(1 + 2 * HASH_SIZE, 0x01);
