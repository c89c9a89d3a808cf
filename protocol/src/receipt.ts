/**
 * The receipt: the public record of one completed inference. It binds the request, the lab, the model, the
 * trace hash and a salted commitment to the output; it holds no output values or summary, because anything
 * derived from the output is patient data.
 */
import { type Sha256Hex, toSha256Hex } from './bytes.js';
import { type MemberId, type ModelId, type RequestId } from './ids.js';
import { canonicalize } from './canonical-json.js';
import { DomainTag, taggedTextDigest } from './tagged-hash.js';
import { type ProtocolVersion, PROTOCOL_VERSION } from './version.js';
import { isMemberId, isModelId, isRequestId, isSemver, MEMBER_ID_RULE } from './ids.js';
import { ObjectReader, parseTimestamp } from './parse/reader.js';

/** The receipt record. */
export interface Receipt {
  readonly version: ProtocolVersion;
  readonly requestId: RequestId;
  /** The lab that ran the inference. */
  readonly lab: MemberId;
  readonly model: { readonly id: ModelId; readonly version: string };
  /** `traceHash` of the pixel trace. */
  readonly traceHash: Sha256Hex;
  /** `outputCommitment(salt, hashOutput(output))`, with the request's salt. */
  readonly outputCommitment: Sha256Hex;
  /** Milliseconds from assignment to completion, as the lab measured them. */
  readonly latencyMs: number;
  /** Completion time as the lab stated it, `YYYY-MM-DDTHH:mm:ss.sssZ` (what `Date#toISOString` prints). */
  readonly completedAt: string;
}

/** `SHA-256("veriscan/receipt/v1" || 0x00 || JCS(receipt))`; also the leaf data of a batch tree. */
export function receiptHash(receipt: Receipt): Sha256Hex {
  return toSha256Hex(receiptDigest(receipt));
}

/** {@link receiptHash} as 32 bytes. */
export function receiptDigest(receipt: Receipt): Uint8Array {
  return taggedTextDigest(DomainTag.receipt, receiptCanonicalJson(receipt));
}

// Characters that never need escaping in a JSON string: printable ASCII without quote or backslash.
const PLAIN_ASCII = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

/**
 * RFC 8785 form of a receipt. Receipts are hashed ten thousand at a time when a batch is built, and every
 * field of a well-formed receipt is plain ASCII (ids, hex, semver, timestamp) or a safe integer, so the text
 * is assembled directly in sorted key order. Anything unusual (an extra or missing key, a character that
 * would need escaping) takes the general canonicaliser; a unit test holds the two paths equal.
 */
export function receiptCanonicalJson(r: Receipt): string {
  const strings = [
    r.requestId,
    r.lab,
    r.model.id,
    r.model.version,
    r.traceHash,
    r.outputCommitment,
    r.completedAt,
  ];
  // Typed receipts always carry version 1, but a receipt may come from plain JavaScript; check it at runtime.
  const version: number = r.version;
  const plain =
    version === PROTOCOL_VERSION &&
    Number.isSafeInteger(r.latencyMs) &&
    Object.keys(r).length === RECEIPT_KEYS &&
    Object.keys(r.model).length === 2 &&
    strings.every((v) => typeof v === 'string' && PLAIN_ASCII.test(v));
  if (!plain) return canonicalize(r);
  return (
    `{"completedAt":"${r.completedAt}","lab":"${r.lab}","latencyMs":${r.latencyMs},` +
    `"model":{"id":"${r.model.id}","version":"${r.model.version}"},"outputCommitment":"${r.outputCommitment}",` +
    `"requestId":"${r.requestId}","traceHash":"${r.traceHash}","version":${PROTOCOL_VERSION}}`
  );
}

const RECEIPT_KEYS = 8;

/** Fields of a receipt other than its version. */
export type ReceiptInput = Readonly<{
  requestId: string;
  lab: string;
  model: Readonly<{ id: string; version: string }>;
  traceHash: Sha256Hex;
  outputCommitment: Sha256Hex;
  latencyMs: number;
  completedAt: string;
}>;

/**
 * A receipt of the current protocol version, checked by `parseReceipt` so ids and times are well-formed.
 * @throws ProtocolError `INVALID_RECORD` naming the bad field.
 */
export function buildReceipt(input: ReceiptInput): Receipt {
  return parseReceipt({ version: PROTOCOL_VERSION, ...input, model: { ...input.model } });
}

/** Largest latency a receipt may state: 30 days, far beyond any deadline. */
export const MAX_LATENCY_MS = 30 * 24 * 60 * 60 * 1000;

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
    lab: r.branded('lab', isMemberId, MEMBER_ID_RULE),
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
