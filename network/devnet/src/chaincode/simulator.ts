/**
 * Transaction simulation (core/ledger/kvledger/txmgmt/txmgr/tx_simulator.go): reads come from
 * committed state only (no read-your-writes), every read is recorded once with its version, writes
 * keep the last value, and range queries record what was handed to the chaincode.
 */
import { compareUtf8 } from '../common/bytes';
import type { RwSet, NamespaceRwSet } from '../ledger/rwset';
import type { KeyModification, StateDb, Version } from '../ledger/state-db';
import { DevnetError } from '../errors';

/** Fabric's query batch and limits (core.yaml ledger.state.totalQueryLimit, cc/query_response_generator.go). */
export const QUERY_BATCH = 100;
export const TOTAL_QUERY_LIMIT = 100000;

/** A simulation error that the peer reports to the shim as ERROR (the chaincode then throws). */
export class SimulationError extends DevnetError {
  constructor(message: string, options?: Readonly<{ cause?: unknown }>) {
    super('SIMULATION_REFUSED', message, options);
  }
}

interface NsRecord {
  reads: Map<string, Version | undefined>;
  rangeQueries: MutableRangeRead[];
  writes: Map<string, Uint8Array | null>;
}

interface MutableRangeRead {
  startKey: string;
  endKey: string;
  itrExhausted: boolean;
  reads: { key: string; version: Version | undefined }[];
}

/**
 * An open range query. Rows are snapshotted when the query starts; what the rw-set records follows
 * the peer's batching: each batch of 100 plus the one row prefetched for the next batch
 * (core/chaincode/query_response_generator.go), not what the chaincode consumed.
 */
export class RangeIterator {
  readonly #rows: readonly { readonly key: string; readonly value: Uint8Array; readonly version: Version }[];
  readonly #record: MutableRangeRead;
  readonly #requestedEnd: string;
  readonly #paginated: boolean;
  readonly #pageExhausted: boolean;
  #next = 0;

  constructor(
    rows: readonly { readonly key: string; readonly value: Uint8Array; readonly version: Version }[],
    record: MutableRangeRead,
    requestedEnd: string,
    paginated: boolean,
    pageExhausted: boolean,
  ) {
    this.#rows = rows;
    this.#record = record;
    this.#requestedEnd = requestedEnd;
    this.#paginated = paginated;
    this.#pageExhausted = pageExhausted;
  }

  /** Hands out the next batch and updates the recorded range read. */
  nextBatch(): { rows: readonly { readonly key: string; readonly value: Uint8Array }[]; hasMore: boolean } {
    const batch = this.#rows.slice(this.#next, this.#next + QUERY_BATCH);
    this.#next += batch.length;
    const hasMore = this.#next < this.#rows.length;
    const recorded = this.#paginated || !hasMore ? this.#next : Math.min(this.#next + 1, this.#rows.length);
    this.#record.reads = this.#rows.slice(0, recorded).map((r) => ({ key: r.key, version: r.version }));
    this.#finish(this.#paginated ? this.#pageExhausted : !hasMore);
    return { rows: batch, hasMore };
  }

  #finish(exhausted: boolean): void {
    const last = this.#record.reads[this.#record.reads.length - 1];
    this.#record.itrExhausted = exhausted;
    this.#record.endKey = exhausted || last === undefined ? this.#requestedEnd : last.key;
  }
}

export interface RangeResult {
  readonly iterator: RangeIterator;
  /** For paginated queries: the key to resume from, or '' when exhausted. */
  readonly bookmark: string;
  readonly paginated: boolean;
  readonly fetched: number;
}

export class TxSimulator {
  readonly #state: StateDb;
  readonly #namespaces = new Map<string, NsRecord>();
  readonly #txId: string;
  #writePerformed = false;
  #paginatedQueryPerformed = false;

  /** `txId` appears in the refusals, as in Fabric's txmgr. */
  constructor(state: StateDb, txId = '') {
    this.#state = state;
    this.#txId = txId;
  }

  // core/ledger/kvledger/txmgmt/txmgr/tx_simulator.go checkPaginatedQueryPerformed, typo included.
  #refuseWriteAfterPaginatedQuery(): void {
    if (this.#paginatedQueryPerformed) {
      throw new SimulationError(
        `txid [${this.#txId}]: unsuppored transaction. Transaction has already performed a paginated query. Writes are not allowed`,
      );
    }
  }

  #ns(namespace: string): NsRecord {
    let ns = this.#namespaces.get(namespace);
    if (ns === undefined) {
      ns = { reads: new Map(), rangeQueries: [], writes: new Map() };
      this.#namespaces.set(namespace, ns);
    }
    return ns;
  }

  getState(namespace: string, key: string): Uint8Array {
    const current = this.#state.get(namespace, key);
    const ns = this.#ns(namespace);
    if (!ns.reads.has(key)) ns.reads.set(key, current?.version);
    return current?.value ?? new Uint8Array();
  }

  /** Records a read of `key` without returning it (the `_lifecycle` sequence read of every invocation). */
  recordRead(namespace: string, key: string): void {
    this.getState(namespace, key);
  }

  putState(namespace: string, key: string, value: Uint8Array): void {
    this.#refuseWriteAfterPaginatedQuery();
    this.#writePerformed = true;
    // An empty value is a delete (rwsetutil newKVWrite).
    this.#ns(namespace).writes.set(key, value.length === 0 ? null : value);
  }

  deleteState(namespace: string, key: string): void {
    this.#refuseWriteAfterPaginatedQuery();
    this.#writePerformed = true;
    this.#ns(namespace).writes.set(key, null);
  }

  /**
   * Runs a range query over committed state. Unpaginated queries record every row they return; a
   * paginated one returns at most `pageSize` rows starting at the bookmark.
   */
  range(
    namespace: string,
    startKey: string,
    endKey: string,
    page?: { pageSize: number; bookmark: string },
  ): RangeResult {
    if (page !== undefined) {
      // tx_simulator.go checkBeforePaginatedQueries, typo included.
      if (this.#writePerformed) {
        throw new SimulationError(
          `txid [${this.#txId}]: unsuppored transaction. Paginated queries are supported only in a read-only transaction`,
        );
      }
      this.#paginatedQueryPerformed = true;
    }
    const start =
      page !== undefined && page.bookmark !== '' && compareUtf8(page.bookmark, startKey) > 0
        ? page.bookmark
        : startKey;
    const limit =
      page !== undefined && page.pageSize > 0
        ? Math.min(page.pageSize, TOTAL_QUERY_LIMIT)
        : TOTAL_QUERY_LIMIT;
    const rows: { key: string; value: Uint8Array; version: Version }[] = [];
    let bookmark = '';
    for (const [key, value] of this.#state.range(namespace, start, endKey)) {
      if (rows.length === limit) {
        bookmark = key;
        break;
      }
      rows.push({ key, value: value.value, version: value.version });
    }
    const record: MutableRangeRead = { startKey: start, endKey, itrExhausted: false, reads: [] };
    this.#ns(namespace).rangeQueries.push(record);
    const iterator = new RangeIterator(rows, record, endKey, page !== undefined, bookmark === '');
    return { iterator, bookmark, paginated: page !== undefined, fetched: rows.length };
  }

  history(namespace: string, key: string): readonly KeyModification[] {
    return this.#state.history(namespace, key);
  }

  /** The read-write set of everything simulated so far. */
  rwset(): RwSet {
    const out = new Map<string, NamespaceRwSet>();
    for (const [name, ns] of this.#namespaces) {
      out.set(name, { reads: ns.reads, rangeQueries: ns.rangeQueries, writes: ns.writes });
    }
    return out;
  }
}
