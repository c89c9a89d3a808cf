/**
 * The chaincode's narrow window onto `@veriscan/protocol`: parse and hash traces, receipts and batch
 * anchors, and verify a batch extends its lab's log. Protocol refusals (`ProtocolError`, message
 * `field: reason`) become `INVALID_ARGUMENT` so the field travels to the client.
 */
import {
  EMPTY_LOG,
  ProtocolError,
  merkle,
  parseAnchorLogProof,
  parseBatchAnchor,
  parseReceipt,
  parseTrace,
  receiptHash,
  sha256HexToBytes,
  toSha256Hex,
  traceHash,
  verifyAnchorAppend,
  type AnchorLogProof,
  type BatchAnchor as ProtocolAnchor,
  type LogCheckpoint,
  type PixelTrace,
  type Receipt as ProtocolReceipt,
} from '@veriscan/protocol';
import { fail } from '../infra/errors';
import { hexDigest, type HexDigest } from '../infra/scalars';

export type { AnchorLogProof, LogCheckpoint, PixelTrace, ProtocolAnchor, ProtocolReceipt };

function guarded<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof ProtocolError) return fail('INVALID_ARGUMENT', error.message);
    throw error;
  }
}

/** A parsed trace and its `traceHash`. */
export function checkTrace(
  value: unknown,
  path: string,
): { readonly trace: PixelTrace; readonly hash: HexDigest } {
  return guarded(() => {
    const trace = parseTrace(value, path);
    return { trace, hash: hexDigest(traceHash(trace), `${path} hash`) };
  });
}

/** A parsed receipt, its `receiptHash`, and its digests as chaincode digests. */
export function checkReceipt(
  value: unknown,
  path: string,
): {
  readonly receipt: ProtocolReceipt;
  readonly hash: HexDigest;
  readonly traceHash: HexDigest;
  readonly outputCommitment: HexDigest;
} {
  return guarded(() => {
    const receipt = parseReceipt(value, path);
    return {
      receipt,
      hash: hexDigest(receiptHash(receipt), `${path} hash`),
      traceHash: hexDigest(receipt.traceHash, `${path}.traceHash`),
      outputCommitment: hexDigest(receipt.outputCommitment, `${path}.outputCommitment`),
    };
  });
}

/** A parsed batch anchor. */
export function checkAnchor(value: unknown, path: string): ProtocolAnchor {
  return guarded(() => parseBatchAnchor(value, path));
}

/** A parsed log-append proof. */
export function checkLogProof(value: unknown, path: string): AnchorLogProof {
  return guarded(() => parseAnchorLogProof(value, path));
}

/** RFC 6962 root over the receipts' hashes, in order, exactly as the protocol's batch builder computes it. */
export function batchRoot(receipts: readonly ProtocolReceipt[]): HexDigest {
  return guarded(() => {
    const root = merkle.root(receipts.map((receipt) => sha256HexToBytes(receiptHash(receipt))));
    return hexDigest(toSha256Hex(root), 'root');
  });
}

/** True when `anchor` appends exactly one batch to the log at `previous` (the empty log for sequence 0). */
export function appendsToLog(
  previous: LogCheckpoint | null,
  anchor: ProtocolAnchor,
  proof: AnchorLogProof,
): boolean {
  return guarded(() => verifyAnchorAppend(previous ?? EMPTY_LOG, anchor, proof));
}
