import { expect } from 'chai';
import { join } from 'node:path';
import {
  EMPTY_LOG,
  verifyAnchorAppend,
  verifyLogConsistency,
  verifyReceiptInBatch,
  type BatchAnchor,
} from '@veriscan/protocol';
import { BatchAnchorer } from '../../../../inference-lab/src/submission/batch-anchorer';
import { decideBatch } from '../../../../inference-lab/src/submission/batch-policy';
import { openLabDatabase } from '../../../../inference-lab/src/outbox/database';
import { LabStore } from '../../../../inference-lab/src/outbox/lab-store';
import {
  FakeLedger,
  FakeRuntime,
  LAB,
  newScan,
  silentLogger,
  tempDir,
  testMetrics,
  unavailable,
} from './support/fixtures';
import { Tx } from '@veriscan/ledger-api';

/** Records a finished result for a fresh assigned scan, as processJob would. */
async function recordResult(store: LabStore, ledger: FakeLedger, id: string, now: number): Promise<void> {
  const scan = newScan(id);
  ledger.assign(scan.request);
  store.jobs.enqueue(scan.request, now);
  const run = await new FakeRuntime().run({
    scanBytes: scan.file,
    mediaType: 'image/png',
    salt: scan.salt,
    tileSize: 2,
    model: { id: 'brain-tissue', version: '1.0.0', sha256: scan.request.onnxSha256 },
  });
  const { buildReceipt, receiptHash } = await import('@veriscan/protocol');
  const receipt = buildReceipt({
    requestId: id,
    lab: LAB,
    model: { id: 'brain-tissue', version: '1.0.0' },
    traceHash: run.traceHash,
    outputCommitment: run.trace.output.outputCommitment,
    latencyMs: 5,
    completedAt: new Date(now).toISOString(),
  });
  store.recordResult(
    {
      requestId: scan.request.requestId,
      hospitalId: scan.request.hospitalId,
      trace: run.trace,
      receipt,
      traceHash: run.traceHash,
      receiptHash: receiptHash(receipt),
      maskSha256: null,
      scoresSha256: null,
    },
    now,
  );
}

function anchorer(
  store: LabStore,
  ledger: FakeLedger,
  clock: { now: number },
  size = 3,
  intervalMs = 1000,
): BatchAnchorer {
  return new BatchAnchorer({
    ledger,
    store,
    metrics: testMetrics(),
    log: silentLogger(),
    labId: LAB,
    size,
    intervalMs,
    now: () => clock.now,
    retryDelayMs: () => 0,
  });
}

describe('inference-lab batching: N receipts or T ms, proofs, one append-only log', () => {
  describe('decideBatch', () => {
    it('anchors as soon as N receipts wait', () => {
      expect(
        decideBatch({ pending: 5, oldestAt: 1000, now: 1001, size: 5, intervalMs: 60_000 }),
      ).to.deep.equal({ flush: true, take: 5 });
    });
    it('anchors fewer than N once the oldest has waited T ms, and not a millisecond before', () => {
      expect(decideBatch({ pending: 2, oldestAt: 1000, now: 1999, size: 5, intervalMs: 1000 })).to.deep.equal(
        { flush: false, wakeAt: 2000 },
      );
      expect(decideBatch({ pending: 2, oldestAt: 1000, now: 2000, size: 5, intervalMs: 1000 })).to.deep.equal(
        { flush: true, take: 2 },
      );
    });
    it('takes at most N receipts per batch and anchors whatever waits when forced', () => {
      expect(decideBatch({ pending: 12, oldestAt: 0, now: 0, size: 5, intervalMs: 1000 })).to.deep.equal({
        flush: true,
        take: 5,
      });
      expect(
        decideBatch({ pending: 1, oldestAt: 0, now: 0, size: 5, intervalMs: 1000, force: true }),
      ).to.deep.equal({ flush: true, take: 1 });
      expect(
        decideBatch({ pending: 0, oldestAt: undefined, now: 0, size: 5, intervalMs: 1000, force: true }),
      ).to.deep.equal({ flush: false, wakeAt: undefined });
    });
  });

  it('anchors batches whose every receipt proof verifies against its anchor, chained into one consistent log', async () => {
    const store = new LabStore(openLabDatabase(':memory:'));
    const ledger = new FakeLedger();
    const clock = { now: 10_000 };
    const a = anchorer(store, ledger, clock, 3, 1000);
    for (let i = 0; i < 7; i++) await recordResult(store, ledger, `req-b-${i}`, clock.now);
    // 7 pending, N = 3: two full batches at once, the 7th waits for T.
    await a.step();
    await a.step();
    expect(await a.step()).to.equal(11_000);
    expect(ledger.batches.map((b) => b.count)).to.deep.equal([3, 3]);
    clock.now = 11_000;
    await a.step();
    expect(ledger.batches.map((b) => b.count)).to.deep.equal([3, 3, 1]);

    const anchors: BatchAnchor[] = store.batches.anchoredBatches().map((b) => b.anchor);
    let previous = EMPTY_LOG;
    for (const batch of store.batches.anchoredBatches()) {
      expect(verifyAnchorAppend(previous, batch.anchor, batch.logProof), `anchor ${batch.sequence}`).to.equal(
        true,
      );
      previous = batch.anchor.log;
    }
    for (let i = 0; i < 7; i++) {
      const result = store.results.getResult(`req-b-${i}`);
      expect(result?.state).to.equal('committed');
      const anchor = anchors[result?.batchSequence ?? -1];
      expect(anchor).to.not.equal(undefined);
      if (result?.proof == null || anchor === undefined) return;
      expect(verifyReceiptInBatch(result.receipt, result.proof, anchor), `receipt ${i}`).to.equal(true);
      // A proof for one receipt does not verify another.
      const other = store.results.getResult(`req-b-${(i + 1) % 7}`);
      if (other !== undefined)
        expect(verifyReceiptInBatch(other.receipt, result.proof, anchor)).to.equal(false);
    }
    const log = a.log;
    for (let m = 0; m <= 3; m++) {
      for (let n = m; n <= 3; n++) {
        expect(
          verifyLogConsistency(log.checkpoint(m), log.checkpoint(n), log.consistencyProof(m, n)),
          `${m}→${n}`,
        ).to.equal(true);
      }
    }
    expect(log.checkpoint(3)).to.deep.equal(ledger.batches[2]?.log);
  });

  it('resubmits the identical stored batch after a crash between building and anchoring it', async () => {
    const dir = tempDir('batch');
    const file = join(dir, 'lab.sqlite');
    const ledger = new FakeLedger();
    const clock = { now: 50_000 };
    let db = openLabDatabase(file);
    let store = new LabStore(db);
    for (let i = 0; i < 3; i++) await recordResult(store, ledger, `req-c-${i}`, clock.now);
    for (let i = 0; i < 20; i++) ledger.failNext('AnchorBatch', unavailable(Tx.AnchorBatch));
    await anchorer(store, ledger, clock).step();
    const built = store.batches.openBatch();
    expect(built?.sequence).to.equal(0);
    db.close(); // crash

    ledger.failures.clear();
    db = openLabDatabase(file);
    store = new LabStore(db);
    const restarted = anchorer(store, ledger, clock);
    await restarted.syncWithLedger();
    await restarted.step();
    expect(ledger.batches).to.have.length(1);
    expect(ledger.batches[0]?.merkleRoot).to.equal(built?.anchor.root);
    expect(store.batches.getBatch(0)?.state).to.equal('anchored');
    db.close();
  });

  it('marks a built batch anchored when the ledger already holds it (the commit happened, the answer was lost)', async () => {
    const store = new LabStore(openLabDatabase(':memory:'));
    const ledger = new FakeLedger();
    const clock = { now: 1 };
    for (let i = 0; i < 3; i++) await recordResult(store, ledger, `req-d-${i}`, clock.now);
    ledger.loseAnswerOnce = unavailable(Tx.AnchorBatch);
    const a = anchorer(store, ledger, clock);
    await a.step();
    expect(store.batches.openBatch()?.state).to.equal('built');
    await a.step();
    expect(ledger.batches).to.have.length(1);
    expect(store.batches.getBatch(0)?.state).to.equal('anchored');
    expect(store.results.getResult('req-d-0')?.state).to.equal('committed');
  });

  it('counts a batch once when its BatchAnchored event arrives before the submit answer', async () => {
    const store = new LabStore(openLabDatabase(':memory:'));
    const ledger = new FakeLedger();
    const clock = { now: 1 };
    for (let i = 0; i < 3; i++) await recordResult(store, ledger, `req-g-${i}`, clock.now);
    const metrics = testMetrics();
    const a = new BatchAnchorer({
      ledger,
      store,
      metrics,
      log: silentLogger(),
      labId: LAB,
      size: 3,
      intervalMs: 1000,
      now: () => clock.now,
      retryDelayMs: () => 0,
    });
    const anchorBatch = ledger.anchorBatch.bind(ledger);
    ledger.anchorBatch = async (input) => {
      const committed = await anchorBatch(input);
      a.onAnchoredEvent(committed.value.sequence, committed.value.merkleRoot, committed.transactionId);
      return committed;
    };
    await a.step();
    expect(store.batches.getBatch(0)?.state).to.equal('anchored');
    expect(a.log.size).to.equal(1);
    const text = await metrics.registry.metrics();
    expect(text).to.match(/veriscan_lab_results_committed_total\{mode="batch"\} 3\n/);
    expect(text).to.not.match(/veriscan_lab_failures_total\{/);
  });

  it('rebuilds a refused batch under the same sequence without the request that expired', async () => {
    const store = new LabStore(openLabDatabase(':memory:'));
    const ledger = new FakeLedger();
    const clock = { now: 1 };
    for (let i = 0; i < 3; i++) await recordResult(store, ledger, `req-e-${i}`, clock.now);
    const expired = ledger.requests.get('req-e-1');
    if (expired !== undefined) ledger.assign({ ...expired, status: 'expired' });
    const a = anchorer(store, ledger, clock);
    await a.step(); // refused: FAILED_PRECONDITION, req-e-1 dropped, batch dissolved
    expect(store.results.getResult('req-e-1')?.state).to.equal('rejected');
    clock.now += 1000; // the two left wait for T like any other receipts
    await a.step(); // rebuilt with the two others
    expect(ledger.batches.map((b) => [b.sequence, b.requestIds])).to.deep.equal([
      [0, ['req-e-0', 'req-e-2']],
    ]);
    expect(store.results.getResult('req-e-0')?.state).to.equal('committed');
  });

  it('adopts batches anchored on the ledger that the local store lost, and continues the log after them', async () => {
    const ledger = new FakeLedger();
    const clock = { now: 1 };
    const lost = new LabStore(openLabDatabase(':memory:'));
    for (let i = 0; i < 3; i++) await recordResult(lost, ledger, `req-f-${i}`, clock.now);
    await anchorer(lost, ledger, clock).step();
    expect(ledger.batches).to.have.length(1);

    const fresh = new LabStore(openLabDatabase(':memory:'));
    for (let i = 3; i < 6; i++) await recordResult(fresh, ledger, `req-f-${i}`, clock.now);
    const a = anchorer(fresh, ledger, clock);
    await a.syncWithLedger();
    expect(a.log.size).to.equal(1);
    await a.step();
    expect(ledger.batches.map((b) => b.sequence)).to.deep.equal([0, 1]);
    expect(
      verifyLogConsistency(a.log.checkpoint(1), a.log.checkpoint(2), a.log.consistencyProof(1, 2)),
    ).to.equal(true);
  });
});
