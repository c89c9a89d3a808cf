/**
 * The versioned world state of one peer (core/ledger/kvledger/txmgmt/statedb/stateleveldb): per
 * namespace, keys kept in UTF-8 byte order, each with the version (block, tx) that last wrote it.
 * It lives in memory and is rebuilt from the block store on start, the way Fabric can rebuild its
 * state database from blocks; the block store is the durable record.
 */
import BTree from 'sorted-btree';
import { compareUtf8 } from '../common/bytes';

export interface Version {
  readonly blockNum: number;
  readonly txNum: number;
}

export interface VersionedValue {
  readonly value: Uint8Array;
  readonly version: Version;
}

export interface KeyModification {
  readonly txId: string;
  readonly value: Uint8Array;
  readonly isDelete: boolean;
  /** Seconds and nanos of the transaction's channel-header timestamp. */
  readonly timestamp: { readonly seconds: number; readonly nanos: number };
}

export function sameVersion(a: Version | undefined, b: Version | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a.blockNum === b.blockNum && a.txNum === b.txNum;
}

/** One namespace's keys in a B+ tree ordered by UTF-8 bytes: O(log n) writes and range starts. */
class Namespace {
  readonly #tree = new BTree<string, VersionedValue>(undefined, compareUtf8);

  get(key: string): VersionedValue | undefined {
    return this.#tree.get(key);
  }

  put(key: string, value: VersionedValue): void {
    this.#tree.set(key, value);
  }

  delete(key: string): void {
    this.#tree.delete(key);
  }

  /** Keys in [start, end) in UTF-8 order; an empty end means the end of the namespace. */
  *range(start: string, end: string): Generator<[string, VersionedValue]> {
    for (const [key, value] of this.#tree.entries(start)) {
      if (end !== '' && compareUtf8(key, end) >= 0) return;
      yield [key, value];
    }
  }
}

export class StateDb {
  readonly #namespaces = new Map<string, Namespace>();
  readonly #history = new Map<string, KeyModification[]>();

  #ns(namespace: string): Namespace {
    let ns = this.#namespaces.get(namespace);
    if (ns === undefined) {
      ns = new Namespace();
      this.#namespaces.set(namespace, ns);
    }
    return ns;
  }

  get(namespace: string, key: string): VersionedValue | undefined {
    return this.#namespaces.get(namespace)?.get(key);
  }

  range(namespace: string, start: string, end: string): Generator<[string, VersionedValue]> {
    return this.#ns(namespace).range(start, end);
  }

  /** Applies one valid transaction's write (a delete when `value` is null). */
  apply(
    namespace: string,
    key: string,
    value: Uint8Array | null,
    version: Version,
    mod: Omit<KeyModification, 'value' | 'isDelete'>,
  ): void {
    const ns = this.#ns(namespace);
    if (value === null) ns.delete(key);
    else ns.put(key, { value, version });
    const historyKey = `${namespace}\u0000${key}`;
    let list = this.#history.get(historyKey);
    if (list === undefined) {
      list = [];
      this.#history.set(historyKey, list);
    }
    list.push({ ...mod, value: value ?? new Uint8Array(), isDelete: value === null });
  }

  /** Modifications of a key, newest first (GetHistoryForKey). */
  history(namespace: string, key: string): readonly KeyModification[] {
    return [...(this.#history.get(`${namespace}\u0000${key}`) ?? [])].reverse();
  }
}
