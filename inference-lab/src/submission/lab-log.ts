/**
 * The lab's batches as one append-only log (protocol `BatchLog`, RFC 6962): the anchored batches,
 * plus at most one built batch waiting for its `AnchorBatch`. Batches anchor strictly in sequence,
 * so the open batch is always the next leaf; if the chaincode refuses it, the log is rebuilt from
 * the anchored batches and the batch rebuilt under the same sequence.
 */
import {
  BatchLog,
  buildBatch,
  EMPTY_LOG,
  type AnchorLogProof,
  type BatchAnchor,
  type LogCheckpoint,
  type MemberId,
  type Receipt,
  type ReceiptProof,
  type Sha256Hex,
} from '@veriscan/protocol';
import { LabError, LabErrorCode } from '../errors';

/** A batch ready to anchor: the `AnchorBatch` argument and each receipt's inclusion proof. */
export interface PreparedBatch {
  readonly anchor: BatchAnchor;
  readonly logProof: AnchorLogProof;
  /** In leaf order, as the receipts must be sent. */
  readonly entries: readonly {
    readonly receipt: Receipt;
    readonly receiptHash: Sha256Hex;
    readonly proof: ReceiptProof;
  }[];
}

export class LabLog {
  readonly #lab: MemberId;
  readonly #anchored: BatchAnchor[];
  #log: BatchLog;
  #open: BatchAnchor | undefined;

  /**
   * @param anchored the lab's anchored batches in sequence order
   * @param open the built batch not anchored yet, if any (it must be the next sequence)
   * @throws ProtocolError when the anchors do not form the log their checkpoints claim
   */
  constructor(lab: MemberId, anchored: readonly BatchAnchor[], open?: BatchAnchor) {
    this.#lab = lab;
    this.#anchored = [...anchored];
    this.#log = new BatchLog({ lab, anchors: open === undefined ? anchored : [...anchored, open] });
    this.#open = open;
  }

  /** Anchored batches. */
  get size(): number {
    return this.#anchored.length;
  }

  /** The anchored batches, in order. */
  get anchors(): readonly BatchAnchor[] {
    return this.#anchored;
  }

  /** The checkpoint after `size` anchored batches (default: all). */
  checkpoint(size: number = this.size): LogCheckpoint {
    if (size === 0) return EMPTY_LOG;
    const anchor = this.#anchored[size - 1];
    if (anchor === undefined) throw new RangeError(`the log has ${this.size} anchored batches, not ${size}`);
    return anchor.log;
  }

  /** Consistency proof between two anchored sizes. @throws ProtocolError on sizes out of range */
  consistencyProof(oldSize: number, newSize: number = this.size): Sha256Hex[] {
    if (newSize > this.size)
      throw new RangeError(`the log has ${this.size} anchored batches, not ${newSize}`);
    return this.#log.consistencyProof(oldSize, newSize);
  }

  /**
   * Builds the next batch from `receipts` (leaf order = input order) and appends it as the open batch.
   * @throws Error when a batch is already open
   */
  prepare(receipts: readonly Receipt[]): PreparedBatch {
    if (this.#open !== undefined)
      throw new LabError(LabErrorCode.INVALID_STATE, `batch ${this.#open.sequence} is still open`);
    const batch = buildBatch({ lab: this.#lab, sequence: this.size, receipts });
    const { anchor, proof } = this.#log.append(batch);
    this.#open = anchor;
    return {
      anchor,
      logProof: proof,
      entries: batch.entries.map((e, i) => {
        const receipt = receipts[i];
        if (receipt === undefined)
          throw new LabError(LabErrorCode.INVALID_STATE, 'batch entries and receipts differ in length');
        return { receipt, receiptHash: e.receiptHash, proof: e.proof };
      }),
    };
  }

  /** The open batch was anchored. */
  commitOpen(): void {
    if (this.#open === undefined) throw new LabError(LabErrorCode.INVALID_STATE, 'no open batch to commit');
    this.#anchored.push(this.#open);
    this.#open = undefined;
  }

  /** The open batch will not be anchored as built: forget it (the log returns to the anchored batches). */
  dropOpen(): void {
    this.#open = undefined;
    this.#log = new BatchLog({ lab: this.#lab, anchors: this.#anchored });
  }

  /** Adds batches anchored on the ledger but unknown here (after lost local state). Drops any open batch. */
  adopt(anchors: readonly BatchAnchor[]): void {
    this.#anchored.push(...anchors);
    this.dropOpen();
  }
}
