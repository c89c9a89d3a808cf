/**
 * Building blocks for the record parsers. Every record field is required (absence is spelled `null` where
 * allowed) so each record has exactly one canonical JSON form, and every error message starts with the
 * dotted path of the field so the caller can tell which input was wrong.
 */
import { type Sha256Hex, isSha256Hex } from '../bytes.js';
import { canonicalize, type JsonObject, type JsonValue } from '../canonical-json.js';
import { invalidRecord } from '../errors.js';

const ISO_UTC_MILLIS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

const HEX = /^[0-9a-f]*$/;
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

/** A plain JSON object whose keys have been checked against a fixed list. */
export class ObjectReader {
  readonly #value: Readonly<Record<string, unknown>>;
  readonly #path: string;

  /**
   * @throws ProtocolError `INVALID_RECORD` when `value` is not a plain object, has a key outside `keys`, or
   * lacks one of them.
   */
  constructor(value: unknown, path: string, keys: readonly string[]) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      invalidRecord(path, `must be an object, got ${describe(value)}`);
    }
    const record = value as Readonly<Record<string, unknown>>; // narrowed: non-null, non-array object
    for (const key of Object.keys(record)) {
      if (!keys.includes(key)) invalidRecord(`${path}.${key}`, 'is not a known field');
    }
    for (const key of keys) {
      if (!Object.prototype.hasOwnProperty.call(record, key) || record[key] === undefined) {
        invalidRecord(`${path}.${key}`, 'is required');
      }
    }
    this.#value = record;
    this.#path = path;
  }

  /** Dotted path of `key`. */
  path(key: string): string {
    return `${this.#path}.${key}`;
  }

  /** The raw value of `key`, for a nested parser. */
  raw(key: string): unknown {
    return this.#value[key];
  }

  /** A safe integer in [min, max]. */
  int(key: string, min: number, max: number = Number.MAX_SAFE_INTEGER): number {
    return readInt(this.#value[key], this.path(key), min, max);
  }

  /** A string matching `pattern`; `what` describes the pattern in the error message. */
  string(key: string, pattern: RegExp, what: string): string {
    return readString(this.#value[key], this.path(key), pattern, what);
  }

  /** A string accepted by the type guard `guard` (a branded id); `what` describes it in the error message. */
  branded<T extends string>(key: string, guard: (value: unknown) => value is T, what: string): T {
    const value = this.#value[key];
    if (typeof value !== 'string') invalidRecord(this.path(key), `must be a string, got ${describe(value)}`);
    if (!guard(value))
      invalidRecord(this.path(key), `must be ${what}, got ${JSON.stringify(value.slice(0, 80))}`);
    return value;
  }

  /** A {@link Sha256Hex}. */
  sha256(key: string): Sha256Hex {
    return readSha256(this.#value[key], this.path(key));
  }

  /** Exactly `expected`. */
  literal<T extends string | number>(key: string, expected: T): T {
    const value = this.#value[key];
    if (value !== expected)
      invalidRecord(this.path(key), `must be ${JSON.stringify(expected)}, got ${describe(value)}`);
    return expected;
  }

  /** One of `allowed`. */
  oneOf<T extends string | number>(key: string, allowed: readonly T[]): T {
    const value = this.#value[key];
    const found = allowed.find((a) => a === value);
    if (found === undefined) {
      invalidRecord(
        this.path(key),
        `must be one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}, got ${describe(value)}`,
      );
    }
    return found;
  }

  /** An array of at most `max` items, each parsed by `item`. */
  array<T>(key: string, max: number, item: (value: unknown, path: string) => T): T[] {
    return readArray(this.#value[key], this.path(key), max, item);
  }

  /** `null`, or the value parsed by `parse`. */
  nullable<T>(key: string, parse: (value: unknown, path: string) => T): T | null {
    const value = this.#value[key];
    return value === null ? null : parse(value, this.path(key));
  }

  /** A nested object parsed by `parse`. */
  nested<T>(key: string, parse: (value: unknown, path: string) => T): T {
    return parse(this.#value[key], this.path(key));
  }
}

/** A safe integer in [min, max]. */
export function readInt(
  value: unknown,
  path: string,
  min: number,
  max: number = Number.MAX_SAFE_INTEGER,
): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value))
    invalidRecord(path, `must be an integer, got ${describe(value)}`);
  if (value < min)
    invalidRecord(
      path,
      min === 0 ? `must not be negative, got ${value}` : `must be at least ${min}, got ${value}`,
    );
  if (value > max) invalidRecord(path, `must be at most ${max}, got ${value}`);
  return value === 0 ? 0 : value; // JSON "-0" parses to -0; canonical data has no -0
}

/** A string matching `pattern`. */
export function readString(value: unknown, path: string, pattern: RegExp, what: string): string {
  if (typeof value !== 'string') invalidRecord(path, `must be a string, got ${describe(value)}`);
  if (!pattern.test(value)) invalidRecord(path, `must be ${what}, got ${JSON.stringify(value.slice(0, 80))}`);
  return value;
}

/** A {@link Sha256Hex}; tells bad characters apart from a wrong length. */
export function readSha256(value: unknown, path: string): Sha256Hex {
  if (typeof value !== 'string') invalidRecord(path, `must be a hex string, got ${describe(value)}`);
  if (!HEX.test(value)) invalidRecord(path, 'must be lowercase hex (0-9, a-f)');
  if (!isSha256Hex(value)) invalidRecord(path, `must be 64 hex characters (32 bytes), got ${value.length}`);
  return value;
}

/** An array of at most `max` items, each parsed by `item`. */
export function readArray<T>(
  value: unknown,
  path: string,
  max: number,
  item: (value: unknown, path: string) => T,
): T[] {
  if (!Array.isArray(value)) invalidRecord(path, `must be an array, got ${describe(value)}`);
  if (value.length > max) invalidRecord(path, `must have at most ${max} items, got ${value.length}`);
  return value.map((v: unknown, i) => item(v, `${path}[${i}]`));
}

/** Limits for {@link readJsonObject}. */
const MAX_JSON_DEPTH = 8;
const MAX_JSON_BYTES = 16_384;

/**
 * A free-form JSON object (such as preprocessing parameters), deep-copied as plain data: finite numbers, no
 * lone surrogates, at most 8 levels deep and 16 KiB in canonical form.
 */
export function readJsonObject(value: unknown, path: string): JsonObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    invalidRecord(path, `must be an object, got ${describe(value)}`);
  }
  const copy = copyJsonObject(value, path, 0);
  if (Buffer.byteLength(canonicalize(copy), 'utf8') > MAX_JSON_BYTES) {
    invalidRecord(path, `must be at most ${MAX_JSON_BYTES} bytes as canonical JSON`);
  }
  return copy;
}

function copyJson(value: unknown, path: string, depth: number): JsonValue {
  if (depth > MAX_JSON_DEPTH) invalidRecord(path, `nests deeper than ${MAX_JSON_DEPTH} levels`);
  if (value === null || typeof value === 'boolean') return value;
  if (typeof value === 'string') {
    if (LONE_SURROGATE.test(value)) invalidRecord(path, 'must not contain a lone surrogate (not I-JSON)');
    return value;
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) invalidRecord(path, `must be a finite number, got ${value}`);
    return value === 0 ? 0 : value;
  }
  if (Array.isArray(value)) return value.map((v: unknown, i) => copyJson(v, `${path}[${i}]`, depth + 1));
  if (typeof value === 'object') return copyJsonObject(value, path, depth);
  return invalidRecord(path, `a ${typeof value} is not JSON data`);
}

function copyJsonObject(value: object, path: string, depth: number): JsonObject {
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) invalidRecord(path, 'must be plain JSON data');
  const entries = Object.entries(value).map(([k, v]: [string, unknown]): [string, JsonValue] => {
    if (LONE_SURROGATE.test(k)) invalidRecord(path, 'has a key with a lone surrogate (not I-JSON)');
    return [k, copyJson(v, `${path}.${k}`, depth + 1)];
  });
  // fromEntries defines own properties, so a "__proto__" key stays data instead of replacing the prototype.
  return Object.fromEntries(entries);
}

/** A short description of a value's type for error messages, never echoing long or sensitive content. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string')
    return value.length <= 20 ? JSON.stringify(value) : `a string of length ${value.length}`;
  return `a ${typeof value}`;
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

/** Longest audit path accepted: enough for a tree of 2^64 leaves, so any longer path is malformed. */
export const MAX_PROOF_LENGTH = 64;

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
