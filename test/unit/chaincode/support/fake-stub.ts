/**
 * An in-memory stand-in for fabric-shim's ChaincodeStub, faithful where the contracts depend on
 * Fabric's behaviour (DEVNET.md §3–4):
 * - no read-your-writes: reads see the committed state only, never this transaction's writes;
 * - putState with an empty value is a delete;
 * - composite keys as the shim builds them, range scans ordered by UTF-8 bytes (LevelDB order);
 * - paginated queries with bookmarks, refused in a transaction that writes, and no metadata for an
 *   empty last page (what the shim makes of the peer's empty metadata bytes);
 * - only the last setEvent of a transaction survives.
 */
import Long from 'long';

const MIN_UNICODE = '\u0000';
const MAX_UNICODE = '\u{10FFFF}';

/** A committed world state, shared by the transactions of one test ledger. */
export type WorldState = Map<string, Uint8Array>;

/** One key-value pair as the shim's iterators return it. */
interface KV {
  readonly namespace: string;
  readonly key: string;
  readonly value: Uint8Array;
}

/** Keys of `state` in [start, end), ordered by their UTF-8 bytes as LevelDB orders them. */
export function keysInRange(state: WorldState, start: string, end: string): string[] {
  const startBytes = Buffer.from(start, 'utf8');
  const endBytes = Buffer.from(end, 'utf8');
  return [...state.keys()]
    .map((key) => ({ key, bytes: Buffer.from(key, 'utf8') }))
    .filter(({ bytes }) => Buffer.compare(bytes, startBytes) >= 0 && Buffer.compare(bytes, endBytes) < 0)
    .sort((a, b) => Buffer.compare(a.bytes, b.bytes))
    .map(({ key }) => key);
}

class ListIterator {
  #index = 0;
  closed = false;
  readonly #items: readonly KV[];

  constructor(items: readonly KV[]) {
    this.#items = items;
  }

  next(): Promise<{ value?: KV; done: boolean }> {
    const value = this.#items[this.#index];
    this.#index += 1;
    return Promise.resolve(value === undefined ? { done: true } : { value, done: false });
  }

  close(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
  }
}

/** A write of this transaction: bytes, or `null` for a delete. */
export type Write = Uint8Array | null;

/** The stub of one transaction. */
export class FakeStub {
  readonly writes = new Map<string, Write>();
  /** Keys read with getState: Fabric re-checks their versions at validation (MVCC). */
  readonly reads = new Set<string>();
  /** Ranges read: Fabric re-runs them at validation (phantom reads). */
  readonly ranges: { readonly start: string; readonly end: string }[] = [];
  event: { readonly name: string; readonly payload: Uint8Array } | null = null;
  readonly #state: WorldState;
  readonly #txId: string;
  readonly #timeMs: number;
  #paginated = false;

  constructor(options: { readonly state: WorldState; readonly txId: string; readonly timeMs: number }) {
    this.#state = options.state;
    this.#txId = options.txId;
    this.#timeMs = options.timeMs;
  }

  getTxID(): string {
    return this.#txId;
  }

  getTxTimestamp(): { seconds: Long; nanos: number } {
    const seconds = Math.floor(this.#timeMs / 1000);
    return { seconds: Long.fromNumber(seconds, true), nanos: (this.#timeMs - seconds * 1000) * 1_000_000 };
  }

  getDateTimestamp(): Date {
    return new Date(this.#timeMs);
  }

  getState(key: string): Promise<Uint8Array> {
    // Fabric's simulator answers from committed state: a putState earlier in this transaction is invisible.
    this.reads.add(key);
    return Promise.resolve(this.#state.get(key) ?? new Uint8Array(0));
  }

  putState(key: string, value: Uint8Array): Promise<void> {
    this.#checkWritable();
    if (key.length === 0) throw new Error('key must not be an empty string');
    this.writes.set(key, value.length === 0 ? null : Uint8Array.from(value));
    return Promise.resolve();
  }

  deleteState(key: string): Promise<void> {
    this.#checkWritable();
    this.writes.set(key, null);
    return Promise.resolve();
  }

  #checkWritable(): void {
    if (this.#paginated)
      throw new Error('txn simulator: paginated queries are not allowed in an update transaction');
  }

  createCompositeKey(objectType: string, attributes: string[]): string {
    validateCompositeKeyAttribute(objectType);
    let key = MIN_UNICODE + objectType + MIN_UNICODE;
    for (const attribute of attributes) {
      validateCompositeKeyAttribute(attribute);
      key = key + attribute + MIN_UNICODE;
    }
    return key;
  }

  splitCompositeKey(compositeKey: string): { objectType: string; attributes: string[] } {
    if (!compositeKey.startsWith(MIN_UNICODE)) return { objectType: '', attributes: [] };
    const parts = compositeKey.slice(1, -1).split(MIN_UNICODE);
    const [objectType = '', ...attributes] = parts;
    return { objectType, attributes };
  }

  getStateByPartialCompositeKey(objectType: string, attributes: string[]): Promise<ListIterator> {
    const start = this.createCompositeKey(objectType, attributes);
    return Promise.resolve(new ListIterator(this.#rows(start, start + MAX_UNICODE)));
  }

  getStateByPartialCompositeKeyWithPagination(
    objectType: string,
    attributes: string[],
    pageSize: number,
    bookmark?: string,
  ): Promise<{ iterator: ListIterator; metadata?: { fetchedRecordsCount: number; bookmark: string } }> {
    if (this.writes.size > 0)
      throw new Error('txn simulator: paginated queries are not allowed in an update transaction');
    this.#paginated = true;
    const prefix = this.createCompositeKey(objectType, attributes);
    const start = bookmark !== undefined && bookmark !== '' ? bookmark : prefix;
    const all = this.#rows(start, prefix + MAX_UNICODE);
    const page = all.slice(0, pageSize);
    const next = all[pageSize];
    const metadata = { fetchedRecordsCount: page.length, bookmark: next === undefined ? '' : next.key };
    // The peer sends QueryResponseMetadata as protobuf bytes; with count 0 and bookmark "" they are
    // empty, and the shim then leaves `metadata` out altogether (fabric-shim handler.js).
    if (metadata.fetchedRecordsCount === 0 && metadata.bookmark === '')
      return Promise.resolve({ iterator: new ListIterator(page) });
    return Promise.resolve({ iterator: new ListIterator(page), metadata });
  }

  #rows(start: string, end: string): KV[] {
    this.ranges.push({ start, end });
    return keysInRange(this.#state, start, end).map((key) => ({
      namespace: 'veriscan',
      key,
      value: this.#state.get(key) ?? new Uint8Array(0),
    }));
  }

  setEvent(name: string, payload: Uint8Array): void {
    if (name === '') throw new Error('Event name must be a non-empty string');
    // Fabric keeps only the last event of a transaction.
    this.event = { name, payload: Uint8Array.from(payload) };
  }
}

function validateCompositeKeyAttribute(attribute: string): void {
  if (attribute.includes(MIN_UNICODE) || attribute.includes(MAX_UNICODE)) {
    throw new Error(
      `input contains unicode ${attribute} starting with or ending with the reserved characters`,
    );
  }
}
