/**
 * A one-peer ledger for contract unit tests: each `submit` runs a real contract method on a fresh
 * {@link FakeStub} with a fixed transaction id and time, commits its writes only if it returns,
 * and captures its event. `evaluate` runs and throws the writes away, as a query would.
 */
import type { ChaincodeStub, ClientIdentity } from 'fabric-shim-api';
import { VeriscanContext } from '../../../../chaincode/src/infra/context';
import { FakeStub, keysInRange, type WorldState, type Write } from './fake-stub';

/** A caller as its certificate describes it. */
export interface TestIdentity {
  readonly mspId: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly name: string;
}

class FakeIdentity implements ClientIdentity {
  readonly #identity: TestIdentity;

  constructor(identity: TestIdentity) {
    this.#identity = identity;
  }

  assertAttributeValue(attrName: string, attrValue: string): boolean {
    return this.#identity.attributes[attrName] === attrValue;
  }

  getAttributeValue(attrName: string): string | null {
    return this.#identity.attributes[attrName] ?? null;
  }

  getID(): string {
    return `x509::/CN=${this.#identity.name}::/CN=ca`;
  }

  getIDBytes(): Uint8Array {
    return Buffer.from(this.getID(), 'utf8');
  }

  getMSPID(): string {
    return this.#identity.mspId;
  }
}

class TestContext extends VeriscanContext {
  constructor(stub: FakeStub, identity: TestIdentity) {
    super();
    // The fake implements the part of the 60-method ChaincodeStub interface the contracts use;
    // anything else would fail loudly as "not a function", which a test would show.
    this.stub = stub as unknown as ChaincodeStub;
    this.clientIdentity = new FakeIdentity(identity);
  }
}

/** What one transaction did. */
export interface TxOutcome<T> {
  readonly txId: string;
  readonly result: T;
  readonly writes: ReadonlyMap<string, Write>;
  readonly reads: ReadonlySet<string>;
  readonly ranges: readonly { readonly start: string; readonly end: string }[];
  readonly event: { readonly name: string; readonly payload: unknown } | null;
}

/** Options of one transaction; by default a fresh id and the ledger clock. */
export interface TxOptions {
  readonly txId?: string;
  /** Transaction timestamp; defaults to the ledger clock. */
  readonly timeMs?: number;
}

export class TestLedger {
  readonly state: WorldState = new Map();
  readonly events: { readonly txId: string; readonly name: string; readonly payload: unknown }[] = [];
  nowMs: number;
  #counter = 0;

  constructor(startMs = Date.parse('2025-01-01T00:00:00.000Z')) {
    this.nowMs = startMs;
  }

  /** Moves the ledger clock forward. */
  advance(ms: number): void {
    this.nowMs += ms;
  }

  #run<T>(
    identity: TestIdentity,
    run: (ctx: VeriscanContext) => Promise<T>,
    options: TxOptions,
  ): { stub: FakeStub; promise: Promise<T>; txId: string } {
    this.#counter += 1;
    const txId = options.txId ?? `tx${String(this.#counter).padStart(6, '0')}`;
    const stub = new FakeStub({ state: this.state, txId, timeMs: options.timeMs ?? this.nowMs });
    const ctx = new TestContext(stub, identity);
    return { stub, promise: run(ctx), txId };
  }

  /**
   * Simulates several transactions against the same committed state (as if endorsed in parallel),
   * then commits them in order with Fabric's validation: a transaction whose read key or read range
   * was written by an earlier valid one in the batch is invalid (MVCC_READ_CONFLICT or
   * PHANTOM_READ_CONFLICT) and its writes are dropped. Returns each outcome's validation code.
   */
  async submitConcurrently(
    txs: readonly {
      readonly identity: TestIdentity;
      readonly run: (ctx: VeriscanContext) => Promise<unknown>;
    }[],
  ): Promise<('VALID' | 'MVCC_READ_CONFLICT' | 'PHANTOM_READ_CONFLICT')[]> {
    const simulated = txs.map(({ identity, run }) => this.#run(identity, run, {}));
    await Promise.all(simulated.map((s) => s.promise));
    const written = new Set<string>();
    const codes: ('VALID' | 'MVCC_READ_CONFLICT' | 'PHANTOM_READ_CONFLICT')[] = [];
    for (const { stub, txId } of simulated) {
      const mvcc = [...stub.reads].some((key) => written.has(key));
      const phantom = stub.ranges.some(
        ({ start, end }) =>
          keysInRange(new Map([...written].map((k) => [k, new Uint8Array(1)])), start, end).length > 0,
      );
      if (mvcc || phantom) {
        codes.push(mvcc ? 'MVCC_READ_CONFLICT' : 'PHANTOM_READ_CONFLICT');
        continue;
      }
      codes.push('VALID');
      for (const [key, value] of stub.writes) {
        written.add(key);
        if (value === null) this.state.delete(key);
        else this.state.set(key, value);
      }
      if (stub.event !== null)
        this.events.push({
          txId,
          name: stub.event.name,
          payload: JSON.parse(Buffer.from(stub.event.payload).toString('utf8')) as unknown,
        });
    }
    return codes;
  }

  /** Runs a write transaction; commits its writes and records its event only if it succeeds. */
  async submit<T>(
    identity: TestIdentity,
    run: (ctx: VeriscanContext) => Promise<T>,
    options: TxOptions = {},
  ): Promise<TxOutcome<T>> {
    const { stub, promise, txId } = this.#run(identity, run, options);
    const result = await promise;
    for (const [key, value] of stub.writes) {
      if (value === null) this.state.delete(key);
      else this.state.set(key, value);
    }
    const event =
      stub.event === null
        ? null
        : {
            name: stub.event.name,
            payload: JSON.parse(Buffer.from(stub.event.payload).toString('utf8')) as unknown,
          };
    if (event !== null) this.events.push({ txId, ...event });
    return { txId, result, writes: stub.writes, reads: stub.reads, ranges: stub.ranges, event };
  }

  /** Runs a read; its writes (there should be none) are discarded. */
  async evaluate<T>(
    identity: TestIdentity,
    run: (ctx: VeriscanContext) => Promise<T>,
    options: TxOptions = {},
  ): Promise<TxOutcome<T>> {
    const { stub, promise, txId } = this.#run(identity, run, options);
    const result = await promise;
    return { txId, result, writes: stub.writes, reads: stub.reads, ranges: stub.ranges, event: null };
  }

  /** Raw value of a key, parsed as JSON, or undefined. */
  get(key: string): unknown {
    const value = this.state.get(key);
    return value === undefined ? undefined : (JSON.parse(Buffer.from(value).toString('utf8')) as unknown);
  }

  /** Composite key as the shim builds it. */
  key(type: string, attributes: readonly string[]): string {
    return `\u0000${type}\u0000${attributes.map((a) => `${a}\u0000`).join('')}`;
  }

  /** Keys under a composite-key prefix, in ledger order. */
  keysUnder(type: string, attributes: readonly string[] = []): string[] {
    const prefix = this.key(type, attributes);
    return keysInRange(this.state, prefix, `${prefix}\u{10FFFF}`);
  }

  /** A full copy of the state, for determinism comparisons. */
  snapshot(): Map<string, string> {
    return new Map([...this.state].map(([k, v]) => [k, Buffer.from(v).toString('utf8')]));
  }
}
