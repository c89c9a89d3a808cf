import { expect } from 'chai';
import { receiptHash } from '@veriscan/protocol';
import { LedgerError, LedgerErrorCode, Tx } from '@veriscan/ledger-api';
import { openLabDatabase } from '../../../../inference-lab/src/outbox/database';
import { LabStore } from '../../../../inference-lab/src/outbox/lab-store';
import { FakeLedger, newScan, tempDir, unavailable, type TestScan } from './support/fixtures';
import { harness } from './support/service-harness';
import { join } from 'node:path';

function scansOf(...scans: TestScan[]): Map<string, TestScan> {
  return new Map(scans.map((s) => [s.request.requestId, s]));
}

describe('inference-lab outbox: nothing computed is lost', () => {
  it('replays a result recorded before a crash and commits it on restart', async () => {
    const dir = tempDir('outbox');
    const ledger = new FakeLedger();
    const scan = newScan('req-crash-1');
    ledger.assign(scan.request);
    // Run 1: the ledger refuses every submission, then the process "crashes" (database closed, no drain).
    for (let i = 0; i < 50; i++) ledger.failNext('SubmitResult', unavailable(Tx.SubmitResult));
    const first = harness({ dir, ledger, scans: scansOf(scan) });
    await first.service.start();
    await first.service.idle();
    await first.service.stop(0);
    expect(first.store.results.getResult('req-crash-1')?.state).to.equal('pending');
    expect(ledger.receipts.size).to.equal(0);
    const recorded = first.store.results.getResult('req-crash-1')?.receiptHash;
    first.db.close();

    // Run 2: the ledger is back; the outbox is replayed without running the model again.
    ledger.failures.clear();
    const second = harness({ dir, ledger, scans: scansOf(scan) });
    await second.service.start();
    await second.service.stop(5000);
    expect(second.runtime.runs).to.equal(0);
    expect(second.store.results.getResult('req-crash-1')?.state).to.equal('committed');
    expect(ledger.receipts.get('req-crash-1')?.hash).to.equal(recorded);
    second.db.close();
  });

  it('re-runs a job that was running when the process crashed', async () => {
    const dir = tempDir('outbox');
    const ledger = new FakeLedger();
    const scan = newScan('req-crash-2');
    ledger.assign(scan.request);
    const db = openLabDatabase(join(dir, 'lab.sqlite'));
    const store = new LabStore(db);
    store.jobs.enqueue(scan.request, Date.now());
    expect(store.jobs.claimJobs(Date.now(), 1)).to.have.length(1);
    db.close(); // crash while the job is `running`

    const restarted = harness({ dir, ledger, scans: scansOf(scan) });
    await restarted.service.start();
    await restarted.service.stop(5000);
    expect(restarted.runtime.runs).to.equal(1);
    expect(restarted.store.jobs.getJob('req-crash-2')?.state).to.equal('done');
    expect(restarted.store.results.getResult('req-crash-2')?.state).to.equal('committed');
    restarted.db.close();
  });

  it('picks up assignments made while the lab was down by re-reading the ledger at start', async () => {
    const dir = tempDir('outbox');
    const ledger = new FakeLedger();
    const scans = [newScan('req-down-1'), newScan('req-down-2'), newScan('req-down-3')];
    for (const s of scans) ledger.assign(s.request);
    const h = harness({ dir, ledger, scans: scansOf(...scans), concurrency: 1 });
    await h.service.start();
    await h.service.idle();
    await h.service.stop(5000);
    expect([...ledger.receipts.keys()].sort()).to.deep.equal(['req-down-1', 'req-down-2', 'req-down-3']);
    h.db.close();
  });

  it('treats a resubmission after a lost answer as harmless: one receipt, committed once', async () => {
    const dir = tempDir('outbox');
    const ledger = new FakeLedger();
    const scan = newScan('req-lost-answer');
    ledger.assign(scan.request);
    // The transaction commits but the client sees a timeout (commit status wait expired).
    ledger.loseAnswerOnce = new LedgerError(LedgerErrorCode.DEADLINE_EXCEEDED, 'DEADLINE_EXCEEDED', {
      transaction: Tx.SubmitResult,
    });
    const h = harness({ dir, ledger, scans: scansOf(scan) });
    await h.service.start();
    await h.service.stop(5000);
    const result = h.store.results.getResult('req-lost-answer');
    expect(result?.state).to.equal('committed');
    expect(ledger.calls.filter((c) => c === 'SubmitResult').length).to.be.at.least(2);
    expect(ledger.receipts.size).to.equal(1);
    expect(ledger.receipts.get('req-lost-answer')?.hash).to.equal(
      result === undefined ? '' : receiptHash(result.receipt),
    );
    h.db.close();
  });

  it('rejects, but keeps with its reason, a result whose request expired before submission', async () => {
    const dir = tempDir('outbox');
    const ledger = new FakeLedger();
    const scan = newScan('req-expired');
    ledger.assign(scan.request);
    for (let i = 0; i < 50; i++) ledger.failNext('SubmitResult', unavailable(Tx.SubmitResult));
    const h = harness({ dir, ledger, scans: scansOf(scan) });
    await h.service.start();
    await h.service.idle();
    await h.service.stop(0);
    h.db.close();
    // While the lab was down the deadline passed and the request expired.
    ledger.failures.clear();
    ledger.assign({ ...scan.request, status: 'expired' });
    const again = harness({ dir, ledger, scans: scansOf(scan) });
    await again.service.start();
    await again.service.stop(5000);
    const result = again.store.results.getResult('req-expired');
    expect(result?.state).to.equal('rejected');
    expect(result?.lastError).to.match(/FAILED_PRECONDITION/);
    again.db.close();
  });

  it('never runs a model whose file hash differs from the approved hash, and counts the refusal', async () => {
    const dir = tempDir('outbox');
    const ledger = new FakeLedger();
    const scan = newScan('req-tampered-model');
    ledger.assign(scan.request);
    const h = harness({ dir, ledger, scans: scansOf(scan) });
    h.runtime.fileSha = '0'.repeat(64) as typeof h.runtime.fileSha;
    await h.service.start();
    await h.service.stop(1000);
    expect(h.runtime.runs).to.equal(0);
    expect(h.store.jobs.getJob('req-tampered-model')?.state).to.equal('failed');
    expect(h.store.jobs.getJob('req-tampered-model')?.lastError).to.match(/^model-hash/);
    const text = await h.metrics.registry.metrics();
    expect(text).to.match(/veriscan_lab_model_hash_refusals_total\{model="brain-tissue@1\.0\.0"\} 1/);
    h.db.close();
  });
});
