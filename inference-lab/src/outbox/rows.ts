/**
 * Reading SQLite rows back into typed values. A row is `unknown` until each column is checked, and
 * ids and digests get their branded types back here, once, so nothing above the store handles a bare
 * string where a `RequestId` or a `Sha256Hex` belongs. A column that does not check is CORRUPT_STORE.
 */
import { isSha256Hex, type Sha256Hex } from '@veriscan/protocol';
import { LabError, LabErrorCode } from '../errors';

/** One row as better-sqlite3 returns it. */
export type Row = Readonly<Record<string, unknown>>;

function corrupt(message: string): never {
  throw new LabError(LabErrorCode.CORRUPT_STORE, message);
}

export function asRow(value: unknown): Row {
  if (typeof value !== 'object' || value === null) corrupt('database row is not an object');
  return value as Row;
}

export function str(row: Row, name: string): string {
  const v = row[name];
  if (typeof v !== 'string') corrupt(`database column ${name} is not text`);
  return v;
}

export function optStr(row: Row, name: string): string | null {
  return row[name] === null ? null : str(row, name);
}

export function int(row: Row, name: string): number {
  const v = row[name];
  if (typeof v !== 'number' || !Number.isSafeInteger(v)) corrupt(`database column ${name} is not an integer`);
  return v;
}

export function optInt(row: Row, name: string): number | null {
  return row[name] === null ? null : int(row, name);
}

export function json(row: Row, name: string): unknown {
  try {
    return JSON.parse(str(row, name));
  } catch (error) {
    if (error instanceof LabError) throw error;
    return corrupt(`database column ${name} is not JSON`);
  }
}

/** A text column with a branded type, checked by `is`. */
export function branded<T extends string>(
  row: Row,
  name: string,
  is: (v: unknown) => v is T,
  what: string,
): T {
  const v = str(row, name);
  if (!is(v)) corrupt(`database column ${name} is not ${what}`);
  return v;
}

/** A nullable digest column. */
export function optSha256(row: Row, name: string): Sha256Hex | null {
  return row[name] === null ? null : branded(row, name, isSha256Hex, 'a hex digest');
}

/** A column holding one of `states`. */
export function stateOf<S extends string>(row: Row, table: string, states: readonly S[]): S {
  const state = states.find((s) => s === row.state);
  if (state === undefined) corrupt(`${table}.state is unknown`);
  return state;
}
