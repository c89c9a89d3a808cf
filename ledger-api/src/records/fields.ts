/**
 * Small readers shared by the record parsers: bytes → `unknown` → narrowed fields. Every failure
 * is a {@link LedgerError} `UNEXPECTED_ANSWER` whose message names the offending field path
 * (`request.status must be a request status`). Unknown extra fields are ignored.
 */
import { isSemver } from '@veriscan/protocol';
import { LedgerError, LedgerErrorCode } from '../errors';

/** A decoded JSON object, read field by field. */
export type RecordObject = Readonly<Record<string, unknown>>;

/** A type guard for one field's value. */
export type Check<T> = (value: unknown) => value is T;

/** Parses a nested value; `what` names it in error messages. */
export type Parse<T> = (value: unknown, what: string) => T;

/** Throws the parse failure every reader reports. */
export function refuse(message: string): never {
  throw new LedgerError(LedgerErrorCode.UNEXPECTED_ANSWER, message);
}

/** True for a JSON object (not null, not an array). */
export function isObject(value: unknown): value is RecordObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** Decodes UTF-8 bytes; throws UNEXPECTED_ANSWER on malformed UTF-8. */
export function decodeText(bytes: Uint8Array, what: string): string {
  try {
    return UTF8.decode(bytes);
  } catch {
    return refuse(`${what} is not UTF-8 text`);
  }
}

/** Decodes UTF-8 JSON bytes into `unknown`; throws UNEXPECTED_ANSWER when they are not JSON. */
export function decodeJson(bytes: Uint8Array, what: string): unknown {
  const text = decodeText(bytes, what);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return refuse(`${what} is not JSON`);
  }
}

/** Accepts only an empty answer (a transaction that returns nothing). */
export function expectEmpty(bytes: Uint8Array, what: string): void {
  if (bytes.length !== 0) refuse(`${what} must be empty`);
}

/** Narrows `value` to an object; throws `<what> must be an object`. */
export function objectAt(value: unknown, what: string): RecordObject {
  if (!isObject(value)) refuse(`${what} must be an object`);
  return value;
}

/** Reads a required field checked by `check`; throws `<what>.<key> must be <expected>`. */
export function readField<T>(
  obj: RecordObject,
  key: string,
  what: string,
  check: Check<T>,
  expected: string,
): T {
  const value = Object.prototype.hasOwnProperty.call(obj, key) ? obj[key] : undefined;
  if (!check(value)) refuse(`${what}.${key} must be ${expected}`);
  return value;
}

/** Reads a required nested field with `parse`, which names it `<what>.<key>`. */
export function readNested<T>(obj: RecordObject, key: string, what: string, parse: Parse<T>): T {
  const value = Object.prototype.hasOwnProperty.call(obj, key) ? obj[key] : undefined;
  return parse(value, `${what}.${key}`);
}

/** Reads a required array field, each item parsed by `item` as `<what>.<key>[i]`. */
export function readArray<T>(obj: RecordObject, key: string, what: string, item: Parse<T>): readonly T[] {
  const value = Object.prototype.hasOwnProperty.call(obj, key) ? obj[key] : undefined;
  if (!Array.isArray(value)) return refuse(`${what}.${key} must be an array`);
  return value.map((element: unknown, index) => item(element, `${what}.${key}[${index}]`));
}

/** Turns a type guard into an item parser for {@link readArray}. */
export function checked<T>(check: Check<T>, expected: string): Parse<T> {
  return (value, what) => {
    if (!check(value)) refuse(`${what} must be ${expected}`);
    return value;
  };
}

/** Allows `null` besides what `check` accepts. */
export function nullable<T>(check: Check<T>): Check<T | null> {
  return (value): value is T | null => value === null || check(value);
}

/** Allows `null` besides what `parse` accepts. */
export function nullableParse<T>(parse: Parse<T>): Parse<T | null> {
  return (value, what) => (value === null ? null : parse(value, what));
}

/** One of a closed set of strings. */
export function oneOf<T extends string>(values: readonly T[]): Check<T> {
  return (value): value is T => values.some((candidate) => candidate === value);
}

/** A string. */
export const isString: Check<string> = (value): value is string => typeof value === 'string';

/** A non-empty string. */
export const isNonEmptyString: Check<string> = (value): value is string =>
  typeof value === 'string' && value.length > 0;

/** `true` exactly. */
export const isTrue: Check<true> = (value): value is true => value === true;

/** A finite number. */
export const isFiniteNumber: Check<number> = (value): value is number =>
  typeof value === 'number' && Number.isFinite(value);

/** A safe integer of any sign. */
export const isInteger: Check<number> = (value): value is number =>
  typeof value === 'number' && Number.isSafeInteger(value);

/** A safe integer ≥ 0. */
export const isCount: Check<number> = (value): value is number => isInteger(value) && value >= 0;

/** A safe integer ≥ 1. */
export const isPositive: Check<number> = (value): value is number => isInteger(value) && value >= 1;

const ISO_UTC_MILLIS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** An ISO-8601 UTC time as the chaincode writes it (`YYYY-MM-DDTHH:mm:ss.sssZ`), a real instant. */
export const isIsoTime: Check<string> = (value): value is string => {
  if (typeof value !== 'string' || !ISO_UTC_MILLIS.test(value)) return false;
  const ms = Date.parse(value);
  return !Number.isNaN(ms) && new Date(ms).toISOString() === value;
};

/** A model version (Semantic Versioning, as the protocol accepts it). */
declare const semverBrand: unique symbol;
/** A model version `MAJOR.MINOR.PATCH`, branded so an arbitrary string cannot pass for one. */
export type Semver = string & { readonly [semverBrand]: true };

/** True for a model version (the protocol's semver rule; the chaincode writes a stricter subset). */
export const isVersion: Check<Semver> = (value): value is Semver => isSemver(value);

const MSP_ID = /^[A-Za-z0-9.-]{1,64}$/;

/** An MSP id such as `HospitalAMSP`. */
export const isMspId: Check<string> = (value): value is string =>
  typeof value === 'string' && MSP_ID.test(value);

/** A Fabric transaction id as records store it (1..128 characters). */
export const isTxId: Check<string> = (value): value is string =>
  typeof value === 'string' && value.length >= 1 && value.length <= 128;
