/**
 * RFC 6962 (Certificate Transparency) Merkle trees, re-exported by the package as the namespace `merkle`.
 * Leaves are raw bytes; callers that want domain separation put a tagged digest in the leaf (as tiles,
 * receipts and batches do), so that any CT-compatible verifier can still check the proofs.
 */
import { emptyRoot } from './hashing.js';
import { MerkleTree } from './tree.js';

export { HASH_SIZE, emptyRoot, hashChildren, hashLeaf } from './hashing.js';
export { MerkleTree } from './tree.js';
export { rootFromInclusionProof, verifyConsistency, verifyInclusion, verifyInclusionHash } from './verify.js';

/** Merkle tree hash of `leaves` (raw leaf data); SHA-256 of the empty string for no leaves. */
export function root(leaves: readonly Uint8Array[]): Uint8Array {
  return leaves.length === 0 ? emptyRoot() : MerkleTree.fromLeaves(leaves).root();
}

/**
 * Audit path of leaf `index` in the tree over `leaves`, from the leaf's sibling upwards.
 * @throws ProtocolError `INVALID_INPUT` when `index` is outside the tree.
 */
export function inclusionProof(leaves: readonly Uint8Array[], index: number): Uint8Array[] {
  return MerkleTree.fromLeaves(leaves).inclusionProof(index);
}

/**
 * Consistency proof from the tree over `leaves.slice(0, oldSize)` to the tree over all of `leaves`.
 * @throws ProtocolError `INVALID_INPUT` when `oldSize` is not in [0, leaves.length].
 */
export function consistencyProof(leaves: readonly Uint8Array[], oldSize: number): Uint8Array[] {
  return MerkleTree.fromLeaves(leaves).consistencyProof(oldSize);
}
