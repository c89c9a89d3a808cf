/**
 * Decoding stored records. Ledger values are canonical JSON, and a reader that accepted any JSON spelling
 * would let two byte strings stand for one record (and one of them hash differently). So a stored record must
 * parse, pass its record parser, and re-encode to exactly the bytes it came from. That also rejects duplicate
 * keys, which `JSON.parse` would otherwise resolve silently to the last one.
 */
import { canonicalize } from '../canonical-json.js';
import { invalidRecord } from '../errors.js';

/**
 * Parses `text` (or UTF-8 bytes) as JSON, runs `parse` on it, and checks the text was the canonical form.
 * @throws ProtocolError `INVALID_RECORD` when the text is not JSON, fails `parse`, or is not canonical.
 */
export function decodeCanonical<T>(
  input: string | Uint8Array,
  parse: (value: unknown, path: string) => T,
  path: string,
): T {
  let value: unknown;
  let text: string;
  try {
    // fatal: invalid UTF-8 must fail, not become U+FFFD (which would re-encode to other bytes);
    // ignoreBOM: keep a byte-order mark in the text so that it fails the canonical comparison.
    text =
      typeof input === 'string'
        ? input
        : new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(input);
    value = JSON.parse(text);
  } catch {
    invalidRecord(path, 'is not valid UTF-8 JSON');
  }
  const record = parse(value, path);
  if (canonicalize(record) !== text) invalidRecord(path, 'is not in canonical JSON form (RFC 8785)');
  return record;
}
