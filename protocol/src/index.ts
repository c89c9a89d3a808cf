/**
 * Public surface of @veriscan/protocol: canonical JSON, domain-separated hashes, pixel and tile digests,
 * salted commitments, RFC 6962 Merkle proofs, the pixel trace, receipts, batches and batch logs, and the
 * parsers that turn untrusted data into these records. Pure: no I/O, no clock, no randomness of its own.
 * The byte-level specification is docs/pixel-trace.md.
 */
export { PROTOCOL_VERSION, type ProtocolVersion } from './version.js';
export { CodedError, ProtocolError, ProtocolErrorCode } from './errors.js';

// Canonical JSON and hashing
export { canonicalize, canonicalBytes, type JsonObject, type JsonValue } from './canonical-json.js';
export {
  type Sha256Hex,
  isSha256Hex,
  toSha256Hex,
  sha256HexToBytes,
  bytesToHex,
  hexToBytes,
} from './bytes.js';
export { DomainTag, taggedHash, sha256Hex } from './tagged-hash.js';
export * as merkle from './merkle/index.js';

// Identifiers
export {
  type MemberId,
  type ModelId,
  type RequestId,
  IdPattern,
  isMemberId,
  isModelId,
  isRequestId,
  isSemver,
} from './ids.js';

// Pixels, tiles, tensors, outputs
export { type Channels, type PixelHeader, type PixelImage, MAX_DIMENSION, hashPixels } from './pixels.js';
export {
  type TileProof,
  type TileRect,
  DEFAULT_TILE_SIZE,
  MAX_TILE_SIZE,
  extractTile,
  tileGrid,
  tileProof,
  tileRect,
  tileRoot,
  verifyTileProof,
} from './tiles.js';
export { type Tensor, hashTensor } from './tensor.js';
export {
  type ArgmaxInput,
  type LogitsLayout,
  SCORE_SCALE,
  argmaxMask,
  quantizeScore,
  roundHalfEven,
} from './quantize.js';
export { type ClassMask, type QuantisedOutput, MAX_SCORES, hashOutput } from './output.js';

// Commitments
export {
  type CommitmentKind,
  type RandomSource,
  type Salt,
  SALT_BYTES,
  isSalt,
  newSalt,
  outputCommitment,
  scanCommitment,
  tensorCommitment,
  tileRootCommitment,
  verifyCommitment,
} from './commitment.js';

// The pixel trace
export { type DeterminismProfile, ExecutionMode, GraphOptimizationLevel } from './profile.js';
export {
  type PixelTrace,
  type ScanDigests,
  type TraceInput,
  type TraceModel,
  type TraceOutput,
  type TracePixels,
  type TracePreprocess,
  buildTrace,
  commitScan,
  traceHash,
} from './trace.js';
export { type TraceCheck, type TraceCheckKind, type TraceVerification, verifyTrace } from './verify-trace.js';

// Receipts, batches, the batch log
export { type Receipt, type ReceiptInput, buildReceipt, receiptHash } from './receipt.js';
export {
  type Batch,
  type BatchInput,
  type ReceiptProof,
  MAX_BATCH_SIZE,
  buildBatch,
  verifyReceiptInBatch,
} from './batch.js';
export {
  type AnchorLogProof,
  type BatchAnchor,
  type LogCheckpoint,
  BatchLog,
  EMPTY_LOG,
  batchLeaf,
  verifyAnchorAppend,
  verifyLogConsistency,
} from './log.js';

// Parsers of untrusted data
export { parseTrace } from './trace.js';
export { parseDeterminismProfile } from './profile.js';
export { parseAnchorLogProof, parseBatchAnchor, parseLogCheckpoint } from './log.js';
export { parseReceipt } from './receipt.js';
export { parseReceiptProof } from './batch.js';
export { parseTileProof } from './tiles.js';
export { parseHashList, parseTimestamp } from './parse/reader.js';
export { decodeCanonical } from './parse/decode.js';
export { parseSalt, parseSha256Hex } from './parse/parse-primitives.js';
