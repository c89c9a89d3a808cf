/**
 * RFC 8785 JSON Canonicalization Scheme (JCS), hand-written because ECMAScript already supplies the two hard
 * parts the RFC builds on: `String(number)` is the RFC's number serialisation (ECMA-262 Number::toString) and
 * `JSON.stringify(string)` its string escaping. What is left is key order (UTF-16 code units, which is what
 * the default `Array.prototype.sort` compares) and refusing values I-JSON (RFC 7493) does not allow.
 */
import { invalidInput } from './errors.js';

/** A JSON value as the canonicaliser accepts it. */
export type JsonValue = null | boolean | number | string | readonly JsonValue[] | JsonObject;

/** A JSON object. */
export interface JsonObject {
  readonly [key: string]: JsonValue;
}

// In a `u`-mode regex a well-formed surrogate pair is one code point, so this only matches lone surrogates.
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

/**
 * The RFC 8785 canonical form of `value` as a string. Object members whose value is `undefined` are left
 * out (as `JSON.stringify` does), so an optional TypeScript field that is absent and one that is
 * `undefined` canonicalise the same.
 * @throws ProtocolError `INVALID_INPUT` on non-finite numbers, lone surrogates, `undefined` in an array,
 * and anything that is not plain JSON data (class instances, typed arrays, bigint, functions, symbols).
 */
export function canonicalize(value: unknown): string {
  return write(value, []);
}

/** The UTF-8 bytes of {@link canonicalize}; what every hash in this package is taken over. */
export function canonicalBytes(value: unknown): Uint8Array {
  return Buffer.from(canonicalize(value), 'utf8');
}

// The path to the current value is kept as a stack and only turned into text for an error message:
// receipts are canonicalised 10,000 at a time when a batch is built, and almost never fail.
type PathStack = (string | number)[];

function fail(path: PathStack, reason: string): never {
  const text = path.map((step) => (typeof step === 'number' ? `[${step}]` : `.${step}`)).join('');
  return invalidInput(`$${text}`, reason);
}

function write(value: unknown, path: PathStack): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) fail(path, `JSON has no ${String(value)}`);
      return String(value); // ECMA-262 Number::toString, as RFC 8785 section 3.2.2.3 requires; -0 gives "0".
    case 'string':
      return quote(value, path);
    case 'object':
      return Array.isArray(value) ? writeArray(value, path) : writeObject(value, path);
    default:
      return fail(path, `a ${typeof value} is not JSON data`);
  }
}

function writeArray(items: readonly unknown[], path: PathStack): string {
  let out = '[';
  for (let i = 0; i < items.length; i += 1) {
    path.push(i);
    const item = items[i];
    if (item === undefined) fail(path, 'undefined is not JSON data');
    out += (i > 0 ? ',' : '') + write(item, path);
    path.pop();
  }
  return out + ']';
}

function writeObject(object: object, path: PathStack): string {
  const proto: unknown = Object.getPrototypeOf(object);
  if (proto !== Object.prototype && proto !== null) {
    fail(path, 'only plain objects are JSON data (typed arrays, dates and class instances are not)');
  }
  const record = object as Readonly<Record<string, unknown>>; // a plain object: its own keys are its data
  // The default sort compares UTF-16 code units, exactly the order RFC 8785 section 3.2.3 prescribes.
  const keys = Object.keys(record).sort();
  let out = '{';
  let first = true;
  for (const key of keys) {
    const member = record[key];
    if (member === undefined) continue;
    path.push(key);
    out += (first ? '' : ',') + quote(key, path) + ':' + write(member, path);
    path.pop();
    first = false;
  }
  return out + '}';
}

function quote(text: string, path: PathStack): string {
  if (LONE_SURROGATE.test(text)) fail(path, 'a string with a lone surrogate is not I-JSON');
  // Since ES2019 JSON.stringify escapes exactly ", \, \b \f \n \r \t and other controls as lowercase \u00xx,
  // which is the set and spelling RFC 8785 section 3.2.2.2 requires.
  return JSON.stringify(text);
}
