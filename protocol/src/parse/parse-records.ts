/** Parsers for receipts, batch anchors, proofs and checkpoints. */
import { MAX_BATCH_SIZE, type ReceiptProof } from '../batch.js';
import { type Sha256Hex } from '../bytes.js';
import { invalidRecord } from '../errors.js';
import { isMemberId, isModelId, isRequestId, isSemver } from '../ids.js';
import { type AnchorLogProof, type BatchAnchor, type LogCheckpoint } from '../log.js';
import { type Receipt } from '../receipt.js';
import { MAX_DIMENSION } from '../pixels.js';
import { type TileProof, MAX_TILE_SIZE } from '../tiles.js';
import { PROTOCOL_VERSION } from '../version.js';
import { ObjectReader, readSha256 } from './reader.js';

/** Longest audit path accepted: enough for a tree of 2^64 leaves, so any longer path is malformed. */
export const MAX_PROOF_LENGTH = 64;

/** Largest latency a receipt may state: 30 days, far beyond any deadline. */
export const MAX_LATENCY_MS = 30 * 24 * 60 * 60 * 1000;

const ISO_UTC_MILLIS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const MEMBER_ID = 'a member id (a-z, 0-9, "-"; at most 64)';

/**
 * Parses a receipt.
 * @throws ProtocolError `INVALID_RECORD` with the dotted path of the first bad field (`receipt.traceHash`).
 */
export function parseReceipt(value: unknown, path = 'receipt'): Receipt {
  const r = new ObjectReader(value, path, [
    'version',
    'requestId',
    'lab',
    'model',
    'traceHash',
    'outputCommitment',
    'latencyMs',
    'completedAt',
  ]);
  return {
    version: r.literal('version', PROTOCOL_VERSION),
    requestId: r.branded(
      'requestId',
      isRequestId,
      'a request id (A-Z, a-z, 0-9, ".", "_", ":", "-"; at most 128)',
    ),
    lab: r.branded('lab', isMemberId, MEMBER_ID),
    model: r.nested('model', (v, p) => {
      const m = new ObjectReader(v, p, ['id', 'version']);
      return {
        id: m.branded('id', isModelId, 'a model id (a-z, 0-9, ".", "_", "-"; at most 64)'),
        version: m.branded('version', isSemver, 'a semantic version such as 1.0.0'),
      };
    }),
    traceHash: r.sha256('traceHash'),
    outputCommitment: r.sha256('outputCommitment'),
    latencyMs: r.int('latencyMs', 0, MAX_LATENCY_MS),
    completedAt: parseTimestamp(r.raw('completedAt'), r.path('completedAt')),
  };
}

/**
 * Parses a UTC timestamp in the one form records use, `YYYY-MM-DDTHH:mm:ss.sssZ`, and checks it is a real
 * instant (no 2024-02-30) by round-tripping it through `Date`.
 * @throws ProtocolError `INVALID_RECORD` naming the field.
 */
export function parseTimestamp(value: unknown, path: string): string {
  if (typeof value !== 'string' || !ISO_UTC_MILLIS.test(value)) {
    invalidRecord(path, 'must be a UTC timestamp like 2025-01-31T12:00:00.000Z');
  }
  const time = Date.parse(value);
  if (Number.isNaN(time) || new Date(time).toISOString() !== value)
    invalidRecord(path, `is not a real date and time: ${value}`);
  return value;
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
    lab: r.branded('lab', isMemberId, MEMBER_ID),
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
 * Parses a receipt's inclusion proof; checks `index < count`.
 * @throws ProtocolError `INVALID_RECORD` naming the bad field.
 */
export function parseReceiptProof(value: unknown, path = 'proof'): ReceiptProof {
  const r = new ObjectReader(value, path, ['version', 'lab', 'sequence', 'index', 'count', 'path']);
  const count = r.int('count', 1, MAX_BATCH_SIZE);
  return {
    version: r.literal('version', PROTOCOL_VERSION),
    lab: r.branded('lab', isMemberId, MEMBER_ID),
    sequence: r.int('sequence', 0),
    index: r.int('index', 0, count - 1),
    count,
    path: parseHashList(r.raw('path'), r.path('path')),
  };
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

/**
 * Parses a tile proof; checks `index` is inside the tile grid.
 * @throws ProtocolError `INVALID_RECORD` naming the bad field.
 */
export function parseTileProof(value: unknown, path = 'tileProof'): TileProof {
  const r = new ObjectReader(value, path, ['image', 'tileSize', 'index', 'path']);
  const image = r.nested('image', (v, p) => {
    const h = new ObjectReader(v, p, ['width', 'height', 'channels', 'bitDepth']);
    return {
      width: h.int('width', 1, MAX_DIMENSION),
      height: h.int('height', 1, MAX_DIMENSION),
      channels: h.oneOf('channels', [1, 2, 3, 4] as const),
      bitDepth: h.oneOf('bitDepth', [8, 16] as const),
    };
  });
  const tileSize = r.int('tileSize', 1, MAX_TILE_SIZE);
  const tiles = Math.ceil(image.width / tileSize) * Math.ceil(image.height / tileSize);
  return {
    image,
    tileSize,
    index: r.int('index', 0, tiles - 1),
    path: parseHashList(r.raw('path'), r.path('path')),
  };
}

/**
 * Parses a list of at most 64 {@link Sha256Hex} (an audit or consistency path).
 * @throws ProtocolError `INVALID_RECORD` naming the bad element.
 */
export function parseHashList(value: unknown, path: string): readonly Sha256Hex[] {
  if (!Array.isArray(value)) invalidRecord(path, 'must be an array of hex digests');
  if (value.length > MAX_PROOF_LENGTH)
    invalidRecord(path, `must have at most ${MAX_PROOF_LENGTH} entries, got ${value.length}`);
  return value.map((v: unknown, i) => readSha256(v, `${path}[${i}]`));
}
