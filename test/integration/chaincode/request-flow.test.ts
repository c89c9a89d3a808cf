/**
 * The request → result path on the real network through @hyperledger/fabric-gateway: a per-run model
 * approved by the consortium, a hospital request with protocol-built commitments, the assigned lab's
 * trace and receipt, the receipt read back, the events a lab and a hospital listen to, and 200
 * concurrent completions that must not conflict on reputation.
 */
import { performance } from 'node:perf_hooks';
import { expect } from 'chai';
import {
  EndorseError,
  type ChaincodeEvent,
  type CloseableAsyncIterable,
  type Status,
} from '@hyperledger/fabric-gateway';
import { receiptHash } from '@veriscan/protocol';
import {
  CHAINCODE,
  Clients,
  assignedLab,
  inParallel,
  newScan,
  numberField,
  parseObjectBytes,
  requestInference,
  resultFor,
  runSuffix,
  setUpModel,
  stringField,
  type TestModel,
  submitOnce,
} from './support/consortium';
import { EventName, Tx } from '@veriscan/ledger-api';

const MVCC_READ_CONFLICT = 11;
const PHANTOM_READ_CONFLICT = 12;
const BULK = 200;

/** Reads events until `done` says so; the caller bounds the wait with the test timeout. */
async function collect(
  events: CloseableAsyncIterable<ChaincodeEvent>,
  keep: (event: ChaincodeEvent, payload: Readonly<Record<string, unknown>>) => boolean,
  done: () => boolean,
): Promise<void> {
  try {
    for await (const event of events) {
      keep(event, parseObjectBytes(event.payload));
      if (done()) break;
    }
  } finally {
    events.close();
  }
}

/** The chaincode's or the gateway's reason for refusing a call, for the failure message. */
function describeRefusal(reason: unknown): string {
  if (reason instanceof EndorseError)
    return `${reason.message}: ${reason.details.map((d) => d.message).join('; ')}`;
  return reason instanceof Error ? reason.message : String(reason);
}

describe('Requests on the network: request → result → receipt', function () {
  this.timeout(120_000);
  const clients = new Clients();
  const run = runSuffix();
  let model: TestModel;

  before(async () => {
    model = await setUpModel(clients, run);
  });

  after(() => {
    clients.close();
  });

  it('assigns a lab, accepts its trace and receipt, serves the receipt and emits RequestAssigned and ResultCommitted', async () => {
    const scan = newScan(`it-${run}-flow`, model);
    const hospital = clients.contract('hospital-a');
    const requested = await hospital.submitAsync(Tx.RequestInference, { arguments: [scan.argument] });
    const request = parseObjectBytes(requested.getResult());
    const requestStatus = await requested.getStatus();
    expect(requestStatus.successful, `RequestInference status ${requestStatus.code}`).to.equal(true);
    expect(request).to.include({
      requestId: scan.requestId,
      status: 'assigned',
      hospitalId: 'hospital-a',
      modelId: model.id,
      modelVersion: model.version,
      onnxSha256: model.hash,
      scanCommitment: scan.scanCommitment,
      tileRootCommitment: scan.tileRootCommitment,
      attempt: 1,
    });
    const lab = assignedLab(request);
    const events = await clients
      .network('hospital-a')
      .getChaincodeEvents(CHAINCODE, { startBlock: requestStatus.blockNumber });

    const result = resultFor(scan, lab, model);
    const stored = parseObjectBytes(
      await clients
        .contract(lab)
        .submitTransaction(Tx.SubmitResult, scan.requestId, result.trace, result.receipt),
    );
    expect(stored).to.include({
      requestId: scan.requestId,
      labId: lab,
      hospitalId: 'hospital-a',
      traceHash: result.traceHash,
      receiptHash: receiptHash(result.receiptValue),
      outputCommitment: result.receiptValue.outputCommitment,
      onnxSha256: model.hash,
    });
    // Latency is the chaincode's own (transaction time − assignment), not the lab's figure.
    expect(numberField(stored, 'latencyMs')).to.be.at.least(0);

    const seen = new Map<string, Readonly<Record<string, unknown>>>();
    await collect(
      events,
      (event, payload) => {
        if (payload.requestId === scan.requestId) seen.set(event.eventName, payload);
        return true;
      },
      () => seen.has(EventName.RequestAssigned) && seen.has(EventName.ResultCommitted),
    );
    // The hospital's peer has committed the result once it delivered ResultCommitted: only then may a
    // read through that peer expect it (peers commit a block independently, on BFT visibly so).
    const receipt = parseObjectBytes(await hospital.evaluateTransaction(Tx.GetReceipt, scan.requestId));
    expect(receipt).to.deep.equal(stored);
    const after = parseObjectBytes(await hospital.evaluateTransaction(Tx.GetRequest, scan.requestId));
    expect(after).to.include({ status: 'completed', assignedLab: lab });
    expect(seen.get(EventName.RequestAssigned)).to.include({
      labId: lab,
      hospitalId: 'hospital-a',
      modelId: model.id,
      onnxSha256: model.hash,
      scanCommitment: scan.scanCommitment,
      tileRootCommitment: scan.tileRootCommitment,
      deadline: stringField(request, 'deadline'),
      previousLab: null,
    });
    const committed = seen.get(EventName.ResultCommitted) ?? {};
    expect(committed).to.include({
      labId: lab,
      hospitalId: 'hospital-a',
      traceHash: result.traceHash,
      receiptHash: receiptHash(result.receiptValue),
    });
    expect(committed.reputation).to.deep.include({ kind: 'credit', entryId: `mint:${scan.requestId}` });
  });

  it(`completes ${BULK} concurrent SubmitResult calls from two labs with zero MVCC conflicts on reputation`, async () => {
    const scans = Array.from({ length: BULK }, (_, i) => newScan(`it-${run}-bulk-${i}`, model));
    const t0 = performance.now();
    // 200 requests: the streams of waiting on every peer for each would dwarf the test; the results below
    // are handed to the orderers again on UNAVAILABLE instead.
    const requests = await inParallel(scans, 50, (scan) =>
      requestInference(clients, 'hospital-a', scan, { waitEverywhere: false }),
    );
    const createdMs = performance.now() - t0;
    const labs = requests.map(assignedLab);
    const perLab = {
      'lab-1': labs.filter((l) => l === 'lab-1').length,
      'lab-2': labs.filter((l) => l === 'lab-2').length,
    };
    expect(perLab['lab-1'], 'requests assigned to lab-1').to.be.above(0);
    expect(perLab['lab-2'], 'requests assigned to lab-2').to.be.above(0);

    const balance = async (lab: 'lab-1' | 'lab-2'): Promise<number> =>
      numberField(
        parseObjectBytes(await clients.contract(lab).evaluateTransaction(Tx.GetReputation, lab)),
        'balance',
      );
    const before = { 'lab-1': await balance('lab-1'), 'lab-2': await balance('lab-2') };
    const results = scans.map((scan, i) => resultFor(scan, labs[i] ?? 'lab-1', model));

    // All 200 at once, each endorsed once: every transaction's own outcome counts. Only the hand-over
    // of the same signed envelope to the orderers is repeated when they answer UNAVAILABLE (SmartBFT
    // under this load can miss its quorum for a moment), as a client would; a resubmitted envelope has
    // the same transaction id, so it can never commit twice.
    let resubmitted = 0;
    const t1 = performance.now();
    const outcomes = await Promise.allSettled(
      scans.map(async (scan, i) => {
        const result = results[i];
        if (result === undefined) throw new Error('missing result');
        const { status } = await submitOnce(
          clients.contract(labs[i] ?? 'lab-1'),
          Tx.SubmitResult,
          [scan.requestId, result.trace, result.receipt],
          () => {
            resubmitted++;
          },
        );
        return status;
      }),
    );
    const submitMs = performance.now() - t1;

    const statuses: Status[] = outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
    // Peers that endorse against different committed versions of a shared key disagree on the
    // read set, so contention can also surface here, before ordering.
    const refused = outcomes.flatMap((o) => (o.status === 'rejected' ? [describeRefusal(o.reason)] : []));
    const conflicts = statuses.filter(
      (s) => s.code === MVCC_READ_CONFLICT || s.code === PHANTOM_READ_CONFLICT,
    );
    const invalid = statuses.filter((s) => !s.successful);
    const perBlock = new Map<bigint, number>();
    for (const s of statuses) perBlock.set(s.blockNumber, (perBlock.get(s.blockNumber) ?? 0) + 1);
    const largestBlock = Math.max(0, ...perBlock.values());
    process.stdout.write(
      `      ${BULK} RequestInference (50 in flight): ${createdMs.toFixed(0)} ms; ` +
        `${BULK} concurrent SubmitResult (lab-1 ${perLab['lab-1']}, lab-2 ${perLab['lab-2']}): ${submitMs.toFixed(0)} ms, ` +
        `${conflicts.length} MVCC/phantom conflicts, ${invalid.length} invalid, ${refused.length} not endorsed, ` +
        `${resubmitted} envelopes handed to the orderers again, ` +
        `${perBlock.size} blocks, up to ${largestBlock} completions in one block\n`,
    );
    expect(refused.length, `SubmitResult calls not endorsed, first: ${refused[0] ?? ''}`).to.equal(0);
    expect(conflicts.length, `MVCC/phantom conflicts, first: ${conflicts[0]?.transactionId ?? ''}`).to.equal(
      0,
    );
    expect(invalid.length, `invalid transactions, first code: ${invalid[0]?.code ?? ''}`).to.equal(0);
    // Without completions sharing blocks the zero above would prove nothing about contention.
    expect(largestBlock, 'completions committed in one block').to.be.at.least(10);

    // Each lab's balance grew by exactly the credits its completions' events announced.
    const minted = { 'lab-1': 0, 'lab-2': 0 };
    const pending = new Set(scans.map((s) => s.requestId));
    const firstBlock = statuses.reduce(
      (min, s) => (s.blockNumber < min ? s.blockNumber : min),
      statuses[0]?.blockNumber ?? 0n,
    );
    await collect(
      await clients.network('lab-1').getChaincodeEvents(CHAINCODE, { startBlock: firstBlock }),
      (event, payload) => {
        const id = payload.requestId;
        if (event.eventName !== EventName.ResultCommitted || typeof id !== 'string' || !pending.delete(id))
          return false;
        const lab = payload.labId === 'lab-1' ? 'lab-1' : 'lab-2';
        const reputation = payload.reputation;
        if (
          typeof reputation === 'object' &&
          reputation !== null &&
          'amount' in reputation &&
          typeof reputation.amount === 'number'
        ) {
          minted[lab] +=
            'kind' in reputation && reputation.kind === 'debit' ? -reputation.amount : reputation.amount;
        }
        return true;
      },
      () => pending.size === 0,
    );
    const afterBalances = { 'lab-1': await balance('lab-1'), 'lab-2': await balance('lab-2') };
    expect(afterBalances['lab-1'] - before['lab-1']).to.equal(minted['lab-1']);
    expect(afterBalances['lab-2'] - before['lab-2']).to.equal(minted['lab-2']);
    expect(minted['lab-1'] + minted['lab-2']).to.be.at.least(BULK);

    // And every receipt is stored, as the regulator sees it.
    const receipts = await inParallel(scans, 20, async (scan) =>
      parseObjectBytes(
        await clients.contract('regulator-1').evaluateTransaction(Tx.GetReceipt, scan.requestId),
      ),
    );
    expect(receipts.map((r) => r.receiptHash)).to.deep.equal(results.map((r) => receiptHash(r.receiptValue)));
  });
});
