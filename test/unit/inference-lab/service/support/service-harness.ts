/** Builds a LabService over a database file with fakes around it, and "crashes" it by closing the database. */
import { join } from 'node:path';
import { openLabDatabase, type LabDatabase } from '../../../../../inference-lab/src/outbox/database';
import { LabStore } from '../../../../../inference-lab/src/outbox/lab-store';
import { LabService } from '../../../../../inference-lab/src/service/lab-service';
import type { LabMetrics } from '../../../../../inference-lab/src/telemetry/metrics';
import { OutputStore } from '../../../../../inference-lab/src/outbox/output-store';
import type { BatchSettings } from '../../../../../inference-lab/src/config';
import {
  FakeLedger,
  FakeRuntime,
  LAB,
  fakeFetch,
  silentLogger,
  testMetrics,
  type TestScan,
} from './fixtures';

export interface Harness {
  readonly db: LabDatabase;
  readonly store: LabStore;
  readonly service: LabService;
  readonly metrics: LabMetrics;
  readonly runtime: FakeRuntime;
}

/** A service on `dir`'s database (reopened if it exists), the given ledger and scans. */
export function harness(
  options: Readonly<{
    dir: string;
    ledger: FakeLedger;
    scans: ReadonlyMap<string, TestScan>;
    batch?: BatchSettings;
    runtime?: FakeRuntime;
    concurrency?: number;
  }>,
): Harness {
  const db = openLabDatabase(join(options.dir, 'lab.sqlite'));
  const store = new LabStore(db);
  const metrics = testMetrics();
  const runtime = options.runtime ?? new FakeRuntime();
  const service = new LabService({
    labId: LAB,
    batch: options.batch ?? { mode: 'single' },
    concurrency: options.concurrency ?? 2,
    ledger: options.ledger,
    subscribe: () => ({ start: () => Promise.resolve(), stop: () => Promise.resolve() }),
    fetchScan: fakeFetch(options.scans),
    runtime,
    store,
    outputs: new OutputStore(join(options.dir, 'outputs')),
    metrics,
    log: silentLogger(),
    retryDelayMs: () => 0,
  });
  return { db, store, service, metrics, runtime };
}
