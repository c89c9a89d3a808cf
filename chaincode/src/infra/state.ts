import type { Context } from 'fabric-contract-api';
import type { Iterators } from 'fabric-shim';
import { canonicalBytes, parseJsonBytes, type Json } from './json';
import type { KeyType } from './keys';
import type { Parser } from './scalars';

/** A record read from a partial-composite-key scan. */
export interface Row<T> {
  readonly key: string;
  readonly attributes: readonly string[];
  readonly value: T;
}

/** One page of a paginated scan; `bookmark` is empty on the last page. */
export interface Page<T> {
  readonly rows: readonly Row<T>[];
  readonly bookmark: string;
}

/** The composite key of a record. */
export function keyOf(ctx: Context, type: KeyType, attributes: readonly string[]): string {
  return ctx.stub.createCompositeKey(type, [...attributes]);
}

/**
 * Reads and parses one record; `undefined` when absent. Fabric has no read-your-writes: within a
 * transaction this returns the committed value even after a putState of the same key.
 */
export async function readRecord<T>(
  ctx: Context,
  type: KeyType,
  attributes: readonly string[],
  parse: Parser<T>,
): Promise<T | undefined> {
  const key = keyOf(ctx, type, attributes);
  const bytes = await ctx.stub.getState(key);
  if (bytes.length === 0) return undefined;
  return parse(parseJsonBytes(bytes, key), type);
}

/** Writes a record as canonical JSON (never empty, which Fabric would treat as a delete). */
export async function writeRecord(
  ctx: Context,
  type: KeyType,
  attributes: readonly string[],
  value: Json,
): Promise<void> {
  await ctx.stub.putState(keyOf(ctx, type, attributes), canonicalBytes(value));
}

/** Deletes a record. */
export async function deleteRecord(
  ctx: Context,
  type: KeyType,
  attributes: readonly string[],
): Promise<void> {
  await ctx.stub.deleteState(keyOf(ctx, type, attributes));
}

/**
 * Every record under a prefix, in key order (UTF-8 bytes, as LevelDB orders them). The range is
 * re-checked at validation (phantom reads), so writes use it only where a concurrent insert
 * under the same prefix should indeed invalidate the transaction.
 */
export async function scanRecords<T>(
  ctx: Context,
  type: KeyType,
  prefix: readonly string[],
  parse: Parser<T>,
): Promise<Row<T>[]> {
  const iterator = await ctx.stub.getStateByPartialCompositeKey(type, [...prefix]);
  return drain(ctx, iterator, type, parse);
}

/** One page of a prefix scan; read-only transactions only (Fabric forbids paginated reads in writes). */
export async function scanPage<T>(
  ctx: Context,
  type: KeyType,
  prefix: readonly string[],
  pageSize: number,
  bookmark: string,
  parse: Parser<T>,
): Promise<Page<T>> {
  // The shim's typings promise `metadata`, but it leaves it out when the peer's metadata bytes are
  // empty (no records and no bookmark: an empty last page), so it is read as optional here.
  const response: {
    readonly iterator: Iterators.StateQueryIterator;
    readonly metadata?: { readonly bookmark: string };
  } = await ctx.stub.getStateByPartialCompositeKeyWithPagination(type, [...prefix], pageSize, bookmark);
  const rows = await drain(ctx, response.iterator, type, parse);
  return { rows, bookmark: response.metadata?.bookmark ?? '' };
}

async function drain<T>(
  ctx: Context,
  iterator: Iterators.StateQueryIterator,
  type: KeyType,
  parse: Parser<T>,
): Promise<Row<T>[]> {
  const rows: Row<T>[] = [];
  try {
    for (;;) {
      // The shim answers `{ done: true }` with no value at the end, whatever its typings say.
      const next: { readonly value?: Iterators.KV; readonly done?: boolean } = await iterator.next();
      if (next.value !== undefined) {
        const { key, value } = next.value;
        rows.push({
          key,
          attributes: ctx.stub.splitCompositeKey(key).attributes,
          value: parse(parseJsonBytes(value, key), type),
        });
      }
      if (next.done === true || next.value === undefined) break;
    }
  } finally {
    await iterator.close();
  }
  return rows;
}
