import { canonicalize } from '@veriscan/protocol';
import { fail } from './errors';

/** A JSON value as stored on the ledger: no undefined, no functions, finite numbers only. */
export type Json = null | boolean | number | string | readonly Json[] | { readonly [key: string]: Json };

/**
 * Parses a transaction argument or a ledger value into `unknown`; callers narrow it with a parseX function.
 * @throws INVALID_ARGUMENT when the text is not JSON.
 */
export function parseJsonText(text: string, what: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return fail('INVALID_ARGUMENT', `${what} is not valid JSON`);
  }
}

/** Decodes ledger bytes (UTF-8 JSON) into `unknown`. */
export function parseJsonBytes(bytes: Uint8Array, what: string): unknown {
  return parseJsonText(Buffer.from(bytes).toString('utf8'), what);
}

/**
 * A record as the JSON it is stored and returned as. The parameter type makes the compiler check
 * that the record's type holds only JSON values; at run time the record is returned as it is.
 */
export function recordJson(record: Json): Json {
  return record;
}

/**
 * Canonical JSON (RFC 8785, the protocol's implementation): every endorsing peer must produce
 * byte-identical writes, so nothing may depend on property insertion order.
 */
export function canonicalJson(value: Json): string {
  return canonicalize(value);
}

/** Canonical JSON as UTF-8 bytes, the form every ledger value and event payload takes. */
export function canonicalBytes(value: Json): Uint8Array {
  return Buffer.from(canonicalJson(value), 'utf8');
}
