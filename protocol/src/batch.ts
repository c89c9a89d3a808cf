/**
 * Receipt batches: a lab anchors many receipts with one transaction, as an RFC 6962 tree whose leaves are the
 * 32-byte receipt hashes. Each receipt gets an inclusion proof that anyone can check offline against the
 * anchored root.
 */
import { type Sha256Hex, sha256HexToBytes, toSha256Hex } from './bytes.js';
import { invalidInput } from './errors.js';
import { type MemberId } from './ids.js';
import { MerkleTree } from './merkle/tree.js';
import { verifyInclusion } from './merkle/verify.js';
import { type Receipt, receiptDigest, receiptHash } from './receipt.js';
import { type ProtocolVersion, PROTOCOL_VERSION } from './version.js';
import { isMemberId, MEMBER_ID_RULE } from './ids.js';
import { ObjectReader, parseHashList } from './parse/reader.js';

/** Most receipts one batch may hold; keeps proofs short and one anchor transaction bounded. */
export const MAX_BATCH_SIZE = 1_000_000;

/** Proof that one receipt is in one anchored batch. */
export interface ReceiptProof {
  readonly version: ProtocolVersion;
  /** The lab whose log holds the batch. */
  readonly lab: MemberId;
  /** The batch's sequence number in that lab's log. */
  readonly sequence: number;
  /** The receipt's position in the batch. */
  readonly index: number;
  /** Receipts in the batch (the tree size). */
  readonly count: number;
  /** RFC 6962 audit path, leaf's sibling first. */
  readonly path: readonly Sha256Hex[];
}

/** One batch as the lab builds it, before anchoring. */
export interface Batch {
  readonly lab: MemberId;
  readonly sequence: number;
  /** Merkle tree hash over the receipt hashes. */
  readonly root: Sha256Hex;
  readonly count: number;
  /** For each input receipt, in input order: its hash and its inclusion proof. */
  readonly entries: readonly { readonly receiptHash: Sha256Hex; readonly proof: ReceiptProof }[];
}

/** Input to {@link buildBatch}. */
export interface BatchInput {
  readonly lab: MemberId;
  /** Sequence number the batch will take in the lab's log (0 for the first batch). */
  readonly sequence: number;
  readonly receipts: readonly Receipt[];
}

/**
 * Hashes the receipts, builds the tree once and derives every inclusion proof from it.
 * @throws ProtocolError `INVALID_INPUT` on an empty or oversized batch, a receipt from another lab, or two
 * receipts for one request (a request is completed once).
 */
export function buildBatch(input: BatchInput): Batch {
  const { lab, sequence, receipts } = input;
  if (!Number.isSafeInteger(sequence) || sequence < 0)
    invalidInput('sequence', `must be a non-negative integer, got ${sequence}`);
  if (receipts.length === 0) invalidInput('receipts', 'a batch needs at least one receipt');
  if (receipts.length > MAX_BATCH_SIZE)
    invalidInput('receipts', `a batch holds at most ${MAX_BATCH_SIZE} receipts`);
  const seen = new Set<string>();
  receipts.forEach((receipt, i) => {
    if (receipt.lab !== lab)
      invalidInput(`receipts[${i}].lab`, `must be the batch's lab ${lab}, got ${receipt.lab}`);
    if (seen.has(receipt.requestId))
      invalidInput(`receipts[${i}].requestId`, `${receipt.requestId} appears twice`);
    seen.add(receipt.requestId);
  });
  const digests = receipts.map(receiptDigest);
  const tree = MerkleTree.fromLeaves(digests);
  const count = receipts.length;
  const entries = digests.map((digest, index) => ({
    receiptHash: toSha256Hex(digest),
    proof: {
      version: PROTOCOL_VERSION,
      lab,
      sequence,
      index,
      count,
      path: tree.inclusionProofHex(index),
    },
  }));
  return { lab, sequence, root: toSha256Hex(tree.root()), count, entries };
}

/** The part of an anchor that {@link verifyReceiptInBatch} needs. */
export interface AnchoredBatch {
  readonly lab: MemberId;
  readonly sequence: number;
  readonly root: Sha256Hex;
  readonly count: number;
}

/**
 * True when `proof` shows `receipt` in the anchored batch `anchor`: same lab throughout, same sequence, the
 * anchor's receipt count as tree size, and the audit path leading from the receipt hash to the anchor's root.
 */
export function verifyReceiptInBatch(receipt: Receipt, proof: ReceiptProof, anchor: AnchoredBatch): boolean {
  if (receipt.lab !== anchor.lab || proof.lab !== anchor.lab) return false;
  if (proof.sequence !== anchor.sequence || proof.count !== anchor.count) return false;
  return verifyInclusion(
    sha256HexToBytes(receiptHash(receipt)),
    proof.index,
    anchor.count,
    proof.path.map(sha256HexToBytes),
    sha256HexToBytes(anchor.root),
  );
}

/**
 * Parses a receipt's inclusion proof; checks `index < count`.
 * @throws ProtocolError `INVALID_RECORD` naming the bad field.
 */
export function parseReceiptProof(value: unknown, path = 'proof'): ReceiptProof {
  const r = new ObjectReader(value, path, ['version', 'lab', 'sequence', 'index', 'count', 'path']);
  const count = r.int('count', 1, MAX_BATCH_SIZE);
  return {
    version: r.literal('version', PROTOCOL_VERSION),
    lab: r.branded('lab', isMemberId, MEMBER_ID_RULE),
    sequence: r.int('sequence', 0),
    index: r.int('index', 0, count - 1),
    count,
    path: parseHashList(r.raw('path'), r.path('path')),
  };
}
