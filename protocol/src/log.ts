/**
 * Each lab's batches form one append-only log: an RFC 6962 tree whose leaf i is the digest of batch i
 * (`SHA-256("veriscan/batch/v1" || 0x00 || JCS({version, lab, sequence, root, count}))`). A checkpoint is
 * (log size, log root) after a batch; a consistency proof between any two checkpoints shows nothing anchored
 * earlier was changed or dropped.
 */
import { type Sha256Hex, sha256HexToBytes, toSha256Hex } from './bytes.js';
import { type Batch } from './batch.js';
import { invalidInput } from './errors.js';
import { type MemberId } from './ids.js';
import { emptyRoot } from './merkle/hashing.js';
import { MerkleTree } from './merkle/tree.js';
import { verifyConsistency, verifyInclusion } from './merkle/verify.js';
import { DomainTag, taggedRecordDigest } from './tagged-hash.js';
import { type ProtocolVersion, PROTOCOL_VERSION } from './version.js';
import { MAX_BATCH_SIZE } from './batch.js';
import { invalidRecord } from './errors.js';
import { isMemberId, MEMBER_ID_RULE } from './ids.js';
import { ObjectReader, parseHashList } from './parse/reader.js';

/** A log's size (number of batches) and Merkle root at one point in time. */
export interface LogCheckpoint {
  readonly size: number;
  readonly root: Sha256Hex;
}

/** The checkpoint of a log with no batches: size 0, root SHA-256(""). */
export const EMPTY_LOG: LogCheckpoint = { size: 0, root: toSha256Hex(emptyRoot()) };

/** The batch-anchor record: what `AnchorBatch` puts on the ledger. */
export interface BatchAnchor {
  readonly version: ProtocolVersion;
  readonly lab: MemberId;
  /** Position of this batch in the lab's log, 0 for the first. */
  readonly sequence: number;
  /** Merkle root over the batch's receipt hashes. */
  readonly root: Sha256Hex;
  /** Receipts in the batch. */
  readonly count: number;
  /** The lab's log right after this batch: `size` is `sequence + 1`. */
  readonly log: LogCheckpoint;
}

/** What lets a verifier (the chaincode) accept an anchor as the next entry of the lab's log. */
export interface AnchorLogProof {
  /** Consistency proof from the previous checkpoint (size `sequence`) to `anchor.log`. */
  readonly consistency: readonly Sha256Hex[];
  /** Inclusion proof of the batch's leaf at index `sequence` in `anchor.log`. */
  readonly inclusion: readonly Sha256Hex[];
}

/** The leaf data of a batch in its lab's log (32 bytes). The log checkpoint is not part of it. */
export function batchLeaf(batch: Pick<BatchAnchor, 'lab' | 'sequence' | 'root' | 'count'>): Uint8Array {
  const core = {
    version: PROTOCOL_VERSION,
    lab: batch.lab,
    sequence: batch.sequence,
    root: batch.root,
    count: batch.count,
  };
  return taggedRecordDigest(DomainTag.batch, core);
}

/**
 * True when `anchor` is exactly one batch appended to the log at `previous`: sizes line up, the new log
 * extends the old one, and the new last leaf is this batch.
 */
export function verifyAnchorAppend(
  previous: LogCheckpoint,
  anchor: BatchAnchor,
  proof: AnchorLogProof,
): boolean {
  if (previous.size !== anchor.sequence || anchor.log.size !== anchor.sequence + 1) return false;
  const newRoot = sha256HexToBytes(anchor.log.root);
  return (
    verifyConsistency(
      previous.size,
      anchor.log.size,
      proof.consistency.map(sha256HexToBytes),
      sha256HexToBytes(previous.root),
      newRoot,
    ) &&
    verifyInclusion(
      batchLeaf(anchor),
      anchor.sequence,
      anchor.log.size,
      proof.inclusion.map(sha256HexToBytes),
      newRoot,
    )
  );
}

/** True when `proof` shows the log at `newer` extends the log at `older` by appending only. */
export function verifyLogConsistency(
  older: LogCheckpoint,
  newer: LogCheckpoint,
  proof: readonly Sha256Hex[],
): boolean {
  return verifyConsistency(
    older.size,
    newer.size,
    proof.map(sha256HexToBytes),
    sha256HexToBytes(older.root),
    sha256HexToBytes(newer.root),
  );
}

/**
 * One lab's batch log as the lab keeps it: rebuilt from its anchors, then extended batch by batch. State is
 * private and grows only by {@link BatchLog.append}, so the log cannot be rewritten through this class.
 */
export class BatchLog {
  readonly #lab: MemberId;
  readonly #leaves: Uint8Array[] = [];
  #tree: MerkleTree = MerkleTree.fromLeaves([]);

  /**
   * @param options.anchors the lab's anchors so far, in sequence order; each is re-checked against the
   * recomputed log, so a log that was tampered with cannot be resumed.
   * @throws ProtocolError `INVALID_INPUT` when an anchor is out of order, from another lab, or its checkpoint
   * does not match the recomputed log.
   */
  constructor(options: Readonly<{ lab: MemberId; anchors?: readonly BatchAnchor[] }>) {
    this.#lab = options.lab;
    const anchors = options.anchors ?? [];
    anchors.forEach((anchor, i) => {
      if (anchor.lab !== this.#lab)
        invalidInput(`anchors[${i}].lab`, `must be ${this.#lab}, got ${anchor.lab}`);
      if (anchor.sequence !== i)
        invalidInput(`anchors[${i}].sequence`, `must be ${i}, got ${anchor.sequence}`);
      this.#leaves.push(batchLeaf(anchor));
    });
    this.#tree = MerkleTree.fromLeaves(this.#leaves);
    anchors.forEach((anchor, i) => {
      const expected = this.checkpoint(i + 1);
      if (anchor.log.size !== expected.size || anchor.log.root !== expected.root) {
        invalidInput(`anchors[${i}].log`, 'does not match the log recomputed from the anchors up to it');
      }
    });
  }

  /** Batches in the log. */
  get size(): number {
    return this.#leaves.length;
  }

  /** The checkpoint at `size` (default: now). */
  checkpoint(size: number = this.size): LogCheckpoint {
    return { size, root: toSha256Hex(this.#tree.rootAt(size)) };
  }

  /**
   * Appends a batch built with `buildBatch` and returns its anchor record and the proof the chaincode checks.
   * @throws ProtocolError `INVALID_INPUT` when the batch is from another lab or its sequence is not the next one.
   */
  append(batch: Batch): { anchor: BatchAnchor; proof: AnchorLogProof } {
    if (batch.lab !== this.#lab) invalidInput('batch.lab', `must be ${this.#lab}, got ${batch.lab}`);
    if (batch.sequence !== this.size)
      invalidInput('batch.sequence', `must be ${this.size}, got ${batch.sequence}`);
    const previousSize = this.size;
    const core = { lab: batch.lab, sequence: batch.sequence, root: batch.root, count: batch.count };
    this.#leaves.push(batchLeaf(core));
    this.#tree = MerkleTree.fromLeaves(this.#leaves);
    const anchor: BatchAnchor = { version: PROTOCOL_VERSION, ...core, log: this.checkpoint() };
    const proof: AnchorLogProof = {
      consistency: this.#tree.consistencyProof(previousSize).map(toSha256Hex),
      inclusion: this.#tree.inclusionProof(batch.sequence).map(toSha256Hex),
    };
    return { anchor, proof };
  }

  /**
   * Consistency proof between the checkpoints at `oldSize` and `newSize` (default: now).
   * @throws ProtocolError `INVALID_INPUT` when the sizes are not 0 <= oldSize <= newSize <= size.
   */
  consistencyProof(oldSize: number, newSize: number = this.size): Sha256Hex[] {
    if (!Number.isInteger(newSize) || newSize < 0 || newSize > this.size) {
      invalidInput('newSize', `must be an integer in [0, ${this.size}], got ${newSize}`);
    }
    return MerkleTree.fromLeaves(this.#leaves.slice(0, newSize)).consistencyProof(oldSize).map(toSha256Hex);
  }
}

/**
 * Parses a log checkpoint.
 * @throws ProtocolError `INVALID_RECORD` naming the bad field.
 */
export function parseLogCheckpoint(value: unknown, path = 'checkpoint'): LogCheckpoint {
  const r = new ObjectReader(value, path, ['size', 'root']);
  return { size: r.int('size', 0), root: r.sha256('root') };
}

/**
 * Parses a batch-anchor record; also checks `log.size` is `sequence + 1`, which every valid anchor satisfies.
 * @throws ProtocolError `INVALID_RECORD` naming the bad field.
 */
export function parseBatchAnchor(value: unknown, path = 'anchor'): BatchAnchor {
  const r = new ObjectReader(value, path, ['version', 'lab', 'sequence', 'root', 'count', 'log']);
  const anchor: BatchAnchor = {
    version: r.literal('version', PROTOCOL_VERSION),
    lab: r.branded('lab', isMemberId, MEMBER_ID_RULE),
    sequence: r.int('sequence', 0),
    root: r.sha256('root'),
    count: r.int('count', 1, MAX_BATCH_SIZE),
    log: r.nested('log', parseLogCheckpoint),
  };
  if (anchor.log.size !== anchor.sequence + 1) {
    invalidRecord(
      `${path}.log.size`,
      `must be sequence + 1 = ${anchor.sequence + 1}, got ${anchor.log.size}`,
    );
  }
  return anchor;
}

/**
 * Parses the proof that goes with an anchor.
 * @throws ProtocolError `INVALID_RECORD` naming the bad field.
 */
export function parseAnchorLogProof(value: unknown, path = 'logProof'): AnchorLogProof {
  const r = new ObjectReader(value, path, ['consistency', 'inclusion']);
  return {
    consistency: parseHashList(r.raw('consistency'), r.path('consistency')),
    inclusion: parseHashList(r.raw('inclusion'), r.path('inclusion')),
  };
}
