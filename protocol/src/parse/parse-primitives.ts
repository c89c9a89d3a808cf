/** Parsers for single values that travel on their own (a hash in a URL, a salt handed to a lab). */
import { type Sha256Hex } from '../bytes.js';
import { type Salt, isSalt } from '../commitment.js';
import { invalidRecord } from '../errors.js';
import { readSha256 } from './reader.js';

/**
 * Parses a {@link Sha256Hex}.
 * @throws ProtocolError `INVALID_RECORD` on a non-string, non-lowercase-hex or wrong-length value.
 */
export function parseSha256Hex(value: unknown, path = 'hash'): Sha256Hex {
  return readSha256(value, path);
}

/**
 * Parses a {@link Salt} (same form as a digest: 32 bytes as lowercase hex).
 * @throws ProtocolError `INVALID_RECORD` when malformed.
 */
export function parseSalt(value: unknown, path = 'salt'): Salt {
  readSha256(value, path);
  if (!isSalt(value)) invalidRecord(path, 'must be 64 lowercase hex characters');
  return value;
}
