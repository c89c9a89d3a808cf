/**
 * Byte and hex helpers. Hex in records is always lowercase so that a digest has exactly one textual form;
 * otherwise two canonical JSON documents could differ only by the case of a hash.
 */
import { invalidInput } from './errors.js';

declare const sha256HexBrand: unique symbol;

/** A SHA-256 digest as 64 lowercase hex characters. Branded so an arbitrary string cannot pass for one. */
export type Sha256Hex = string & { readonly [sha256HexBrand]: true };

const SHA256_HEX = /^[0-9a-f]{64}$/;
const LOWER_HEX = /^(?:[0-9a-f]{2})*$/;

/** True when `value` is 64 lowercase hex characters. */
export function isSha256Hex(value: unknown): value is Sha256Hex {
  return typeof value === 'string' && SHA256_HEX.test(value);
}

/**
 * Encodes a 32-byte digest as {@link Sha256Hex}.
 * @throws ProtocolError `INVALID_INPUT` when `digest` is not 32 bytes long.
 */
export function toSha256Hex(digest: Uint8Array): Sha256Hex {
  if (digest.length !== 32) invalidInput('digest', `must be 32 bytes, got ${digest.length}`);
  return Buffer.from(digest.buffer, digest.byteOffset, digest.byteLength).toString('hex') as Sha256Hex;
}

/** Decodes a {@link Sha256Hex} to its 32 bytes. */
export function sha256HexToBytes(hex: Sha256Hex): Uint8Array {
  return Buffer.from(hex, 'hex');
}

/** Lowercase hex of any byte string. */
export function bytesToHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

/**
 * Strict hex decoding: Node's `Buffer.from(x, 'hex')` silently stops at the first bad character, which would
 * turn a corrupt proof into a shorter valid-looking one.
 * @throws ProtocolError `INVALID_INPUT` on odd length, uppercase or non-hex characters.
 */
export function hexToBytes(hex: string, field = 'hex'): Uint8Array {
  if (!LOWER_HEX.test(hex)) invalidInput(field, 'must be lowercase hex with an even number of digits');
  return Buffer.from(hex, 'hex');
}

/** Byte-wise equality; lengths must match too. */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.compare(a, b) === 0;
}

/** Big-endian unsigned 32-bit integer, the width every length and coordinate field uses. */
export function u32be(value: number, field: string): Uint8Array {
  if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) {
    invalidInput(field, `must be an integer in [0, 2^32 - 1], got ${value}`);
  }
  const out = Buffer.allocUnsafe(4);
  out.writeUInt32BE(value, 0);
  return out;
}

/** Big-endian unsigned 16-bit integer. */
export function u16be(value: number, field: string): Uint8Array {
  if (!Number.isInteger(value) || value < 0 || value > 0xffff) {
    invalidInput(field, `must be an integer in [0, 65535], got ${value}`);
  }
  const out = Buffer.allocUnsafe(2);
  out.writeUInt16BE(value, 0);
  return out;
}

/** One unsigned byte. */
export function u8(value: number, field: string): Uint8Array {
  if (!Number.isInteger(value) || value < 0 || value > 0xff) {
    invalidInput(field, `must be an integer in [0, 255], got ${value}`);
  }
  return Uint8Array.of(value);
}

/** True on little-endian hosts, where typed-array samples must be byte-swapped to reach big-endian. */
export const HOST_IS_LITTLE_ENDIAN = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

/** The samples of a `Uint16Array` as big-endian bytes (a copy; the input is never modified). */
export function uint16ToBigEndian(samples: Uint16Array): Uint8Array {
  const out = Buffer.from(samples.buffer.slice(samples.byteOffset, samples.byteOffset + samples.byteLength));
  if (HOST_IS_LITTLE_ENDIAN) out.swap16();
  return out;
}

/** The values of a `Float32Array` as big-endian IEEE 754 binary32 bytes (a copy). */
export function float32ToBigEndian(values: Float32Array): Uint8Array {
  const out = Buffer.from(values.buffer.slice(values.byteOffset, values.byteOffset + values.byteLength));
  if (HOST_IS_LITTLE_ENDIAN) out.swap32();
  return out;
}
