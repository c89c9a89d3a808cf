/**
 * Domain-separated SHA-256. Every Veriscan digest is `SHA-256(tag || 0x00 || message)` with an ASCII tag
 * naming what is hashed and its version, so a digest of one kind can never be replayed as another (a tile
 * digest as a receipt hash, a version-1 trace as a version-2 one). Tags contain no 0x00 byte, so the prefix is unambiguous.
 */
import { type Sha256Hex, toSha256Hex } from './bytes.js';
import { canonicalize } from './canonical-json.js';
import { sha256, sha256Parts } from './sha256.js';

/**
 * Every domain tag of the protocol. A tag's suffix is the protocol version that defined its byte layout;
 * changing a layout means a new tag, never a reused one. Version 2 changed only the trace record (and
 * added the tensor commitment), so the other digests keep their version-1 tags and values.
 */
export const DomainTag = {
  pixels: 'veriscan/pixels/v1',
  tile: 'veriscan/tile/v1',
  tileRoot: 'veriscan/tile-root/v1',
  tensor: 'veriscan/tensor/v1',
  output: 'veriscan/output/v1',
  scanCommitment: 'veriscan/commit/scan/v1',
  tileRootCommitment: 'veriscan/commit/tile-root/v1',
  outputCommitment: 'veriscan/commit/output/v1',
  tensorCommitment: 'veriscan/commit/tensor/v2',
  trace: 'veriscan/trace/v2',
  receipt: 'veriscan/receipt/v1',
  batch: 'veriscan/batch/v1',
} as const;

/** One of the {@link DomainTag} values. */
export type DomainTag = (typeof DomainTag)[keyof typeof DomainTag];

const prefixes = new Map<string, Buffer>(
  Object.values(DomainTag).map((tag) => [tag, Buffer.concat([Buffer.from(tag, 'ascii'), Buffer.of(0)])]),
);

/** The bytes `tag || 0x00` that start every message of that kind. */
export function prefix(tag: DomainTag): Buffer {
  // Every DomainTag is in the map; the fallback only keeps the type checker honest.
  return prefixes.get(tag) ?? Buffer.concat([Buffer.from(tag, 'ascii'), Buffer.of(0)]);
}

/** `SHA-256(tag || 0x00 || parts[0] || parts[1] || ...)` as 32 bytes. */
export function taggedDigest(tag: DomainTag, ...parts: readonly Uint8Array[]): Uint8Array {
  return sha256Parts([prefix(tag), ...parts]);
}

/**
 * `SHA-256(tag || 0x00 || JCS(value))`, the hash of a JSON record. Writes tag and text into one buffer
 * because records are hashed by the ten thousand when a batch is built.
 * @throws ProtocolError `INVALID_INPUT` when `value` is not canonicalisable JSON data.
 */
export function taggedRecordDigest(tag: DomainTag, value: unknown): Uint8Array {
  return taggedTextDigest(tag, canonicalize(value));
}

/** `SHA-256(tag || 0x00 || UTF-8(text))`, for callers that already hold the canonical text. */
export function taggedTextDigest(tag: DomainTag, text: string): Uint8Array {
  const head = prefix(tag);
  const message = Buffer.allocUnsafe(head.length + Buffer.byteLength(text, 'utf8'));
  head.copy(message, 0);
  message.write(text, head.length, 'utf8');
  return sha256(message);
}

/** {@link taggedDigest} as {@link Sha256Hex}. */
export function taggedHash(tag: DomainTag, ...parts: readonly Uint8Array[]): Sha256Hex {
  return toSha256Hex(taggedDigest(tag, ...parts));
}

/** Plain SHA-256 (no tag) as {@link Sha256Hex}: for files whose hash is registered elsewhere, like ONNX models. */
export function sha256Hex(data: Uint8Array): Sha256Hex {
  return toSha256Hex(sha256(data));
}
