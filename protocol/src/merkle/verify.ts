/**
 * Proof verification as written in RFC 9162 sections 2.1.3.2 and 2.1.4.2 (the RFC 6962 successor, whose
 * algorithms are stated step by step and accept exactly the proofs RFC 6962 generates). Sizes use
 * arithmetic rather than bit operators because JavaScript's `>>` truncates to 32 bits.
 */
import { HASH_SIZE, hashChildren, hashLeaf } from './hashing.js';
import { equalBytes } from '../bytes.js';

const isOdd = (n: number): boolean => n % 2 === 1;
const half = (n: number): number => Math.floor(n / 2);
const isSize = (n: number): boolean => Number.isSafeInteger(n) && n >= 0;
const allDigests = (nodes: readonly Uint8Array[]): boolean =>
  nodes.every((node) => node.length === HASH_SIZE);

/**
 * The root an inclusion proof leads to from `leafHash`, or `null` when the proof has the wrong shape for
 * (`index`, `treeSize`).
 */
export function rootFromInclusionProof(
  leafHash: Uint8Array,
  index: number,
  treeSize: number,
  proof: readonly Uint8Array[],
): Uint8Array | null {
  if (!isSize(index) || !isSize(treeSize) || index >= treeSize) return null;
  if (leafHash.length !== HASH_SIZE || !allDigests(proof)) return null;
  let fn = index;
  let sn = treeSize - 1;
  let r = leafHash;
  for (const p of proof) {
    if (sn === 0) return null;
    if (isOdd(fn) || fn === sn) {
      r = hashChildren(p, r);
      while (!isOdd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      r = hashChildren(r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 ? r : null;
}

/** True when `proof` shows the leaf whose hash is `leafHash` at `index` in the tree of `treeSize` with `root`. */
export function verifyInclusionHash(
  leafHash: Uint8Array,
  index: number,
  treeSize: number,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): boolean {
  const computed = rootFromInclusionProof(leafHash, index, treeSize, proof);
  return computed !== null && equalBytes(computed, root);
}

/** True when `proof` shows the raw leaf data `leaf` at `index` in the tree of `treeSize` with `root`. */
export function verifyInclusion(
  leaf: Uint8Array,
  index: number,
  treeSize: number,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): boolean {
  return verifyInclusionHash(hashLeaf(leaf), index, treeSize, proof, root);
}

/**
 * True when `proof` shows that the tree of `newSize` with `newRoot` extends the tree of `oldSize` with
 * `oldRoot` by appending only. An empty old tree is consistent with anything (the proof must be empty);
 * equal sizes need equal roots and an empty proof.
 */
export function verifyConsistency(
  oldSize: number,
  newSize: number,
  proof: readonly Uint8Array[],
  oldRoot: Uint8Array,
  newRoot: Uint8Array,
): boolean {
  if (!isSize(oldSize) || !isSize(newSize) || oldSize > newSize) return false;
  if (!allDigests(proof)) return false;
  if (oldSize === newSize) return proof.length === 0 && equalBytes(oldRoot, newRoot);
  if (oldSize === 0) return proof.length === 0;
  if (proof.length === 0 || oldRoot.length !== HASH_SIZE || newRoot.length !== HASH_SIZE) return false;

  // Step 1: when the old tree is a complete subtree, its root is the implicit first element of the path.
  const path = isPowerOfTwo(oldSize) ? [oldRoot, ...proof] : proof;
  let fn = oldSize - 1;
  let sn = newSize - 1;
  while (isOdd(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  const [first, ...rest] = path;
  if (first === undefined) return false;
  let fr = first;
  let sr = first;
  for (const c of rest) {
    if (sn === 0) return false;
    if (isOdd(fn) || fn === sn) {
      fr = hashChildren(c, fr);
      sr = hashChildren(c, sr);
      while (!isOdd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      sr = hashChildren(sr, c);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && equalBytes(fr, oldRoot) && equalBytes(sr, newRoot);
}

function isPowerOfTwo(n: number): boolean {
  let k = 1;
  while (k < n) k *= 2;
  return k === n;
}
