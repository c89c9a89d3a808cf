/**
 * Parsers for the scalar fields of arguments and records. Each takes `unknown` and the field's path
 * and either returns a narrowed value or throws `INVALID_ARGUMENT` naming the field.
 */
import {
  isMemberId,
  isModelId,
  isRequestId,
  isSha256Hex,
  type MemberId,
  type ModelId,
  type RequestId,
  type Sha256Hex,
} from '@veriscan/protocol';
import { isEntryId, type EntryId, type Semver } from '@veriscan/ledger-api/wire';
import { fail } from './errors';

// Ids, digests, versions and entry ids share the brands of protocol and ledger-api, so the records the
// chaincode stores are of the very types clients parse them into.
export type { EntryId, MemberId, ModelId, RequestId, Semver };
/** A SHA-256 digest or salted commitment: 64 lowercase hex characters (the protocol's `Sha256Hex`). */
export type HexDigest = Sha256Hex;

/** A parser from `unknown` to `T`; `path` names the field in error messages. */
export type Parser<T> = (value: unknown, path: string) => T;

const SLUG = /^[a-z0-9][a-z0-9-]{0,62}$/;
const REQUEST_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;
const SEMVER = /^(0|[1-9][0-9]{0,8})\.(0|[1-9][0-9]{0,8})\.(0|[1-9][0-9]{0,8})$/;
const HEX64 = /^[0-9a-f]{64}$/;
const ENTRY_ID = /^[a-z]+:[A-Za-z0-9._:-]{1,200}$/;

/** A string of bounded length, optionally matching `pattern` (described by `expect`). */
export function text(options: {
  readonly min?: number;
  readonly max: number;
  readonly pattern?: RegExp;
  readonly expect?: string;
}): Parser<string> {
  return (value, path) => {
    if (typeof value !== 'string') return fail('INVALID_ARGUMENT', `${path} must be a string`);
    const min = options.min ?? 0;
    if (value.length < min || value.length > options.max) {
      return fail('INVALID_ARGUMENT', `${path} must be ${min}..${options.max} characters`);
    }
    if (options.pattern !== undefined && !options.pattern.test(value)) {
      return fail(
        'INVALID_ARGUMENT',
        `${path} must be ${options.expect ?? `like ${options.pattern.source}`}`,
      );
    }
    return value;
  };
}

/** A string matching `pattern` that the type guard `is` then brands (the guard may be looser than `pattern`). */
function branded<T extends string>(
  pattern: RegExp,
  expect: string,
  max: number,
  is: (value: unknown) => value is T,
): Parser<T> {
  const parse = text({ min: 1, max, pattern, expect });
  return (value, path) => {
    const checked = parse(value, path);
    if (!is(checked)) return fail('INVALID_ARGUMENT', `${path} must be ${expect}`);
    return checked;
  };
}

const isSemverText = (value: unknown): value is Semver => typeof value === 'string' && SEMVER.test(value);

/** Lowercase slug such as `hospital-a` or `lab-1` (a subset of the protocol's member ids). */
export const memberId: Parser<MemberId> = branded(SLUG, 'a lowercase slug (a-z, 0-9, -)', 63, isMemberId);
/** Lowercase slug such as `brain-tissue` (a subset of the protocol's model ids). */
export const modelId: Parser<ModelId> = branded(SLUG, 'a lowercase slug (a-z, 0-9, -)', 63, isModelId);
/** Client-chosen request id: letters, digits and `._:-`, at most 128 characters. */
export const requestId: Parser<RequestId> = branded(
  REQUEST_ID,
  'letters, digits and ._:- (max 128)',
  128,
  isRequestId,
);

/** A request id, or "" for an entry that belongs to no request (a priority change, a compaction). */
export const requestIdOrNone: Parser<RequestId | ''> = (value, path) =>
  value === '' ? '' : requestId(value, path);
/** `MAJOR.MINOR.PATCH` without pre-release or build parts, so versions order numerically. */
export const semver: Parser<Semver> = branded(SEMVER, 'a version MAJOR.MINOR.PATCH', 32, isSemverText);
/** 64 lowercase hex characters (a SHA-256 digest or commitment). */
export const hexDigest: Parser<HexDigest> = branded(HEX64, '64 lowercase hex characters', 64, isSha256Hex);
/** A reputation entry id such as `mint:req-1` or `change:<txid>`. */
export const entryId: Parser<EntryId> = branded(ENTRY_ID, 'a reputation entry id kind:ref', 210, isEntryId);

/** A Fabric transaction id as records store it (1..128 characters). */
export const txId: Parser<string> = text({ min: 1, max: 128 });

/** An integer within [min, max]. */
export function integer(min: number, max: number): Parser<number> {
  return (value, path) => {
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
      return fail('INVALID_ARGUMENT', `${path} must be an integer in ${min}..${max}`);
    }
    return value;
  };
}

/** A finite number within [min, max]. */
export function finite(min: number, max: number): Parser<number> {
  return (value, path) => {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
      return fail('INVALID_ARGUMENT', `${path} must be a number in ${min}..${max}`);
    }
    return value;
  };
}

/** A boolean. */
export const bool: Parser<boolean> = (value, path) => {
  if (typeof value !== 'boolean') return fail('INVALID_ARGUMENT', `${path} must be true or false`);
  return value;
};

/** One of a closed set of strings. */
export function oneOf<const T extends string>(values: readonly T[]): Parser<T> {
  return (value, path) => {
    const found = values.find((candidate) => candidate === value);
    if (found === undefined) return fail('INVALID_ARGUMENT', `${path} must be one of ${values.join(', ')}`);
    return found;
  };
}

/** An array of bounded length whose items all pass `item`. */
export function arrayOf<T>(item: Parser<T>, min: number, max: number): Parser<readonly T[]> {
  return (value, path) => {
    if (!Array.isArray(value)) return fail('INVALID_ARGUMENT', `${path} must be an array`);
    if (value.length < min || value.length > max) {
      return fail('INVALID_ARGUMENT', `${path} must hold ${min}..${max} items`);
    }
    return value.map((element: unknown, index) => item(element, `${path}[${index}]`));
  };
}

/** An ISO-8601 UTC time as written by {@link formatTime} (`YYYY-MM-DDTHH:mm:ss.sssZ`). */
export const isoTime: Parser<string> = (value, path) => {
  if (
    typeof value !== 'string' ||
    !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(value) ||
    Number.isNaN(Date.parse(value))
  ) {
    return fail('INVALID_ARGUMENT', `${path} must be an ISO-8601 UTC time`);
  }
  return value;
};

/** Formats milliseconds since the epoch the one way records store time. */
export function formatTime(ms: number): string {
  return new Date(ms).toISOString();
}

/** Parses a decimal string argument (Fabric passes every argument as a string). */
export function decimalArg(min: number, max: number): Parser<number> {
  return (value, path) => {
    if (typeof value !== 'string' || !/^(0|[1-9][0-9]{0,14})$/.test(value)) {
      return fail('INVALID_ARGUMENT', `${path} must be a decimal integer`);
    }
    return integer(min, max)(Number(value), path);
  };
}
