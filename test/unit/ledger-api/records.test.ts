// Before the contract classes load, so fabric-contract-api logs only warnings.
import '../chaincode/support/quiet-logs';
import { createHash } from 'node:crypto';
import { expect } from 'chai';
import { BatchLog, isMemberId } from '@veriscan/protocol';
import { SystemContract } from '../../../chaincode/src/contracts/system-contract';
import { DEFAULT_CONFIG } from '../../../chaincode/src/rules/config';
import { LedgerError, LedgerErrorCode } from '../../../ledger-api/src/errors';
import { EventName, isEventName } from '../../../ledger-api/src/events';
import { parseEventPayload } from '../../../ledger-api/src/event-payloads';
import {
  ANSWER_PARSERS,
  decodeJson,
  isObject,
  parseBatchAnchorRecord,
  parseBidRecord,
  parseCapacityList,
  parseCapacityRecord,
  parseChaincodeConfigRecord,
  parseCompactReputationResult,
  parseDeclareCapacityAnswer,
  parseGenesisRecord,
  parseMemberList,
  parseMemberRecord,
  parseModelList,
  parseModelVersionRecord,
  parsePingAnswer,
  parsePriorityCreditRecord,
  parseReceiptRecord,
  parseRedeemPriorityResult,
  parseReputationEntryRecord,
  parseReputationRecord,
  parseReputationSnapshotRecord,
  parseRequestPage,
  parseRequestRecord,
  parseSpotCheckRecord,
  parseWhoamiAnswer,
  type TxAnswer,
} from '../../../ledger-api/src/records';
import { Tx, type TxName } from '../../../ledger-api/src/transactions';
import {
  batchArg,
  cc,
  DEMO_MEMBERS,
  VOTER_ADMINS,
  id,
  labIdentity,
  modelSpec,
  otherLab,
  requestArg,
  resultFor,
} from '../chaincode/support/fixtures';
import type { VeriscanContext } from '../../../chaincode/src/infra/context';
import { TestLedger } from '../chaincode/support/test-ledger';

/** A realistic SHA-256 digest (64 lowercase hex characters). */
const digest = (label: string): string => createHash('sha256').update(label, 'utf8').digest('hex');

const json = (value: unknown): Uint8Array => Buffer.from(JSON.stringify(value), 'utf8');

/** A copy of `record` with `patch` applied (a key set to undefined is removed). */
function withFields(
  record: Readonly<Record<string, unknown>>,
  patch: Record<string, unknown>,
): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries({ ...record, ...patch }).filter(([, value]) => value !== undefined),
  );
}

/** Asserts that `run` throws UNEXPECTED_ANSWER with exactly `message`. */
function expectRefusal(run: () => unknown, message: string): void {
  try {
    run();
  } catch (error) {
    expect(error).to.be.instanceOf(LedgerError);
    if (error instanceof LedgerError) {
      expect(error.code).to.equal(LedgerErrorCode.UNEXPECTED_ANSWER);
      expect(error.message).to.equal(message);
    }
    return;
  }
  expect.fail(`expected the refusal "${message}"`);
}

const T0 = '2025-01-01T00:00:00.000Z';
const T1 = '2025-01-01T00:00:01.250Z';
const T2 = '2025-01-01T01:00:00.000Z';

const MEMBER = {
  memberId: 'hospital-a',
  mspId: 'HospitalAMSP',
  role: 'hospital',
  status: 'active',
  approvals: ['genesis'],
  endpoint: 'http://127.0.0.1:7101/blobs',
  registeredAt: T0,
  updatedAt: T0,
};

const MODEL = {
  modelId: 'brain-tissue',
  version: '1.0.0',
  onnxSha256: digest('brain-tissue.onnx'),
  input: { width: 256, height: 256, channels: 1, normalisation: { mode: 'min-max', mean: 0, std: 1 } },
  output: { kind: 'mask', classes: ['background', 'grey', 'white', 'csf'] },
  licence: 'CC-BY-4.0',
  description: 'Brain tissue segmentation',
  status: 'approved',
  proposedBy: 'lab-1',
  approvals: ['HospitalAMSP', 'Lab1MSP'],
  proposedAt: T0,
  updatedAt: T1,
};

const REQUEST = {
  requestId: 'req-2025-01-01:0001',
  scanCommitment: digest('scan'),
  tileRootCommitment: digest('tiles'),
  modelRef: 'brain-tissue@1.0.0',
  priority: 'routine',
  hospitalId: 'hospital-a',
  modelId: 'brain-tissue',
  modelVersion: '1.0.0',
  onnxSha256: digest('brain-tissue.onnx'),
  status: 'assigned',
  assignedLab: 'lab-1',
  assignedAt: T0,
  deadline: T2,
  attempt: 1,
  previousLabs: [],
  auctionClosesAt: null,
  createdAt: T0,
  completedAt: null,
};

const RECEIPT = {
  requestId: 'req-2025-01-01:0001',
  labId: 'lab-1',
  hospitalId: 'hospital-a',
  modelId: 'brain-tissue',
  modelVersion: '1.0.0',
  onnxSha256: digest('brain-tissue.onnx'),
  traceHash: digest('trace'),
  outputCommitment: digest('output'),
  receiptHash: digest('receipt'),
  latencyMs: 1250,
  completedAt: T1,
  txId: digest('tx-1'),
  batch: null,
};

const BATCH = {
  labId: 'lab-1',
  sequence: 0,
  merkleRoot: digest('root'),
  count: 2,
  log: { size: 1, root: digest('log') },
  requestIds: ['req-1', 'req-2'],
  anchoredAt: T1,
  txId: digest('tx-2'),
};

const SPOT_CHECK = {
  requestId: 'req-1',
  labId: 'lab-1',
  checkerLab: 'lab-2',
  outputCommitment: digest('output'),
  checkerOutputCommitment: null,
  status: 'open',
  requestedAt: T1,
  deadline: T2,
  completedAt: null,
  faultyLab: null,
};

const CAPACITY = {
  labId: 'lab-1',
  modelId: 'brain-tissue',
  modelVersion: '1.0.0',
  maxConcurrent: 4,
  declaredAt: T0,
};

const BID = { labId: 'lab-2', latencyMs: 60_000, price: 5, placedAt: T1 };

const ENTRY = {
  labId: 'lab-1',
  entryId: 'mint:req-1',
  kind: 'credit',
  amount: 3,
  reason: 'mint',
  requestId: 'req-1',
  txId: digest('tx-3'),
  at: T1,
};

const SNAPSHOT = { labId: 'lab-1', balance: -2, asOf: T1, txId: digest('tx-4') };

const CREDIT = { labId: 'lab-1', amount: 4, from: T1, until: T2, txId: digest('tx-5') };

describe('ledger-api records', () => {
  describe('fields', () => {
    it('decodes JSON and refuses bytes that are not JSON or not UTF-8', () => {
      expect(decodeJson(json({ a: 1 }), 'answer')).to.deep.equal({ a: 1 });
      expectRefusal(() => decodeJson(Buffer.from('{"a":', 'utf8'), 'answer'), 'answer is not JSON');
      expectRefusal(() => decodeJson(Uint8Array.from([0xff, 0xfe]), 'answer'), 'answer is not UTF-8 text');
    });

    it('tells objects from arrays and null', () => {
      expect(isObject({})).to.equal(true);
      expect(isObject([])).to.equal(false);
      expect(isObject(null)).to.equal(false);
    });
  });

  describe('member', () => {
    it('parses a member record, ignoring unknown fields', () => {
      const member = parseMemberRecord(withFields(MEMBER, { extra: 'ignored' }));
      expect(member).to.deep.equal(MEMBER);
    });

    it('accepts an empty endpoint and refuses a wrong role, a missing time or an endpoint with a query', () => {
      expect(parseMemberRecord(withFields(MEMBER, { endpoint: '' })).endpoint).to.equal('');
      expectRefusal(
        () => parseMemberRecord(withFields(MEMBER, { role: 'admin' })),
        'member.role must be a member role',
      );
      expectRefusal(
        () => parseMemberRecord(withFields(MEMBER, { updatedAt: undefined })),
        'member.updatedAt must be an ISO time',
      );
      expectRefusal(
        () => parseMemberRecord(withFields(MEMBER, { endpoint: 'http://h/blobs?token=1' })),
        'member.endpoint must be an http(s) URL or ""',
      );
      expectRefusal(() => parseMemberRecord('hospital-a'), 'member must be an object');
    });

    it('parses ListMembers and names the bad member', () => {
      const list = parseMemberList({
        members: [MEMBER, withFields(MEMBER, { memberId: 'lab-1', role: 'lab' })],
      });
      expect(list.members.map((m) => m.memberId)).to.deep.equal(['hospital-a', 'lab-1']);
      expectRefusal(
        () => parseMemberList({ members: [MEMBER, withFields(MEMBER, { status: 'gone' })] }),
        'memberList.members[1].status must be a member status',
      );
      expectRefusal(() => parseMemberList({}), 'memberList.members must be an array');
    });

    it('parses the genesis record and refuses a short digest', () => {
      const genesis = {
        digest: digest('members'),
        memberIds: ['hospital-a', 'lab-1'],
        confirmedBy: ['HospitalAMSP'],
        awaiting: ['Lab1MSP'],
        status: 'pending',
        at: T0,
      };
      expect(parseGenesisRecord(genesis)).to.deep.equal(genesis);
      expectRefusal(
        () => parseGenesisRecord({ ...genesis, digest: 'abc' }),
        'genesis.digest must be a hex digest',
      );
      expectRefusal(
        () => parseGenesisRecord({ ...genesis, memberIds: ['hospital-a', 'Lab 1'] }),
        'genesis.memberIds[1] must be a member id',
      );
    });
  });

  describe('model', () => {
    it('parses a model version record', () => {
      expect(parseModelVersionRecord(MODEL)).to.deep.equal(MODEL);
    });

    it('fills normalisation defaults as the chaincode does, but not for mode fixed', () => {
      const bare = withFields(MODEL, {
        input: { width: 4, height: 4, channels: 1, normalisation: { mode: 'none' } },
      });
      expect(parseModelVersionRecord(bare).input.normalisation).to.deep.equal({
        mode: 'none',
        mean: 0,
        std: 1,
      });
      const fixed = withFields(MODEL, {
        input: { width: 4, height: 4, channels: 1, normalisation: { mode: 'fixed', std: 0.25 } },
      });
      expectRefusal(
        () => parseModelVersionRecord(fixed),
        'model.input.normalisation.mean must be a number for mode fixed',
      );
    });

    it('refuses a bad status, version, class or proposer naming the field', () => {
      expectRefusal(
        () => parseModelVersionRecord(withFields(MODEL, { status: 'retired' })),
        'model.status must be a model status',
      );
      expectRefusal(
        () => parseModelVersionRecord(withFields(MODEL, { version: 'v1' })),
        'model.version must be a version',
      );
      expectRefusal(
        () => parseModelVersionRecord(withFields(MODEL, { output: { kind: 'mask', classes: ['a', ''] } })),
        'model.output.classes[1] must be a class name',
      );
      expectRefusal(
        () => parseModelVersionRecord(withFields(MODEL, { proposedBy: null })),
        'model.proposedBy must be a member id',
      );
    });

    it('parses ListModels', () => {
      expect(parseModelList({ models: [MODEL] }).models).to.have.length(1);
      expectRefusal(
        () => parseModelList({ models: [withFields(MODEL, { onnxSha256: 'A'.repeat(64) })] }),
        'modelList.models[0].onnxSha256 must be a hex digest',
      );
    });
  });

  describe('request', () => {
    it('parses an assigned and a pending auction request', () => {
      expect(parseRequestRecord(REQUEST)).to.deep.equal(REQUEST);
      const pending = withFields(REQUEST, {
        status: 'pending',
        modelRef: 'brain-tissue@approved',
        priority: 'stat',
        assignedLab: null,
        assignedAt: null,
        deadline: null,
        attempt: 0,
        auctionClosesAt: T1,
      });
      expect(parseRequestRecord(pending)).to.deep.include({ assignedLab: null, auctionClosesAt: T1 });
    });

    it('refuses a bad status, a missing nullable field and a bad previous lab', () => {
      expectRefusal(
        () => parseRequestRecord(withFields(REQUEST, { status: 'done' })),
        'request.status must be a request status',
      );
      expectRefusal(
        () => parseRequestRecord(withFields(REQUEST, { assignedLab: undefined })),
        'request.assignedLab must be a member id or null',
      );
      expectRefusal(
        () => parseRequestRecord(withFields(REQUEST, { previousLabs: ['lab-2', 7] })),
        'request.previousLabs[1] must be a member id',
      );
      expectRefusal(
        () => parseRequestRecord(withFields(REQUEST, { deadline: '2025-02-30T00:00:00.000Z' })),
        'request.deadline must be an ISO time or null',
      );
      expectRefusal(
        () => parseRequestRecord(withFields(REQUEST, { modelRef: 'brain-tissue' })),
        'request.modelRef must be a model reference id@version',
      );
    });

    it('parses a ListRequests page', () => {
      const page = parseRequestPage({ requests: [REQUEST], bookmark: '', fetched: 1 });
      expect(page).to.deep.equal({ requests: [REQUEST], bookmark: '', fetched: 1 });
      expectRefusal(
        () => parseRequestPage({ requests: [REQUEST], bookmark: null, fetched: 1 }),
        'requestPage.bookmark must be a string',
      );
      expectRefusal(
        () =>
          parseRequestPage({
            requests: [withFields(REQUEST, { priority: 'asap' })],
            bookmark: '',
            fetched: 1,
          }),
        'requestPage.requests[0].priority must be a priority',
      );
    });

    it('parses a receipt, alone or batched', () => {
      expect(parseReceiptRecord(RECEIPT)).to.deep.equal(RECEIPT);
      const batched = withFields(RECEIPT, { batch: { sequence: 3, merkleRoot: digest('root'), index: 1 } });
      expect(parseReceiptRecord(batched).batch).to.deep.equal({
        sequence: 3,
        merkleRoot: digest('root'),
        index: 1,
      });
      expectRefusal(
        () => parseReceiptRecord(withFields(RECEIPT, { batch: { sequence: 3, merkleRoot: 'x', index: 1 } })),
        'receipt.batch.merkleRoot must be a hex digest',
      );
      expectRefusal(
        () => parseReceiptRecord(withFields(RECEIPT, { batch: undefined })),
        'receipt.batch must be an object',
      );
      expectRefusal(
        () => parseReceiptRecord(withFields(RECEIPT, { latencyMs: -1 })),
        'receipt.latencyMs must be a non-negative integer',
      );
    });

    it('parses a batch anchor', () => {
      expect(parseBatchAnchorRecord(BATCH)).to.deep.equal(BATCH);
      expectRefusal(
        () => parseBatchAnchorRecord(withFields(BATCH, { log: { size: 0, root: digest('log') } })),
        'batch.log.size must be a positive integer',
      );
      expectRefusal(
        () => parseBatchAnchorRecord(withFields(BATCH, { requestIds: ['req-1', '-bad'] })),
        'batch.requestIds[1] must be a request id',
      );
    });

    it('parses an open and a resolved spot check', () => {
      expect(parseSpotCheckRecord(SPOT_CHECK)).to.deep.equal(SPOT_CHECK);
      const resolved = withFields(SPOT_CHECK, {
        checkerOutputCommitment: digest('other output'),
        status: 'resolved',
        completedAt: T2,
        faultyLab: 'none',
      });
      expect(parseSpotCheckRecord(resolved).faultyLab).to.equal('none');
      expect(parseSpotCheckRecord(withFields(resolved, { faultyLab: 'lab-2' })).faultyLab).to.equal('lab-2');
      expectRefusal(
        () => parseSpotCheckRecord(withFields(resolved, { faultyLab: 'Lab 2' })),
        'spotCheck.faultyLab must be a member id, none or null',
      );
      expectRefusal(
        () => parseSpotCheckRecord(withFields(SPOT_CHECK, { status: 'closed' })),
        'spotCheck.status must be a spot-check status',
      );
    });
  });

  describe('scheduling', () => {
    it('parses capacity, its withdrawal and ListCapacity', () => {
      expect(parseCapacityRecord(CAPACITY)).to.deep.equal(CAPACITY);
      const withdrawal = { labId: 'lab-1', modelId: 'brain-tissue', modelVersion: '1.0.0', maxConcurrent: 0 };
      expect(parseDeclareCapacityAnswer(withdrawal)).to.deep.equal(withdrawal);
      expect(parseDeclareCapacityAnswer(CAPACITY)).to.deep.equal(CAPACITY);
      expect(parseCapacityList({ capacity: [CAPACITY] }).capacity).to.deep.equal([CAPACITY]);
      expectRefusal(
        () => parseCapacityRecord(withFields(CAPACITY, { maxConcurrent: 0 })),
        'capacity.maxConcurrent must be a positive integer',
      );
      expectRefusal(
        () => parseDeclareCapacityAnswer(withFields(CAPACITY, { declaredAt: undefined })),
        'capacity.declaredAt must be an ISO time',
      );
      expectRefusal(
        () => parseCapacityList({ capacity: [withFields(CAPACITY, { modelId: 'Brain' })] }),
        'capacityList.capacity[0].modelId must be a model id',
      );
    });

    it('parses a bid', () => {
      expect(parseBidRecord(BID)).to.deep.equal(BID);
      expectRefusal(
        () => parseBidRecord(withFields(BID, { price: 1.5 })),
        'bid.price must be a non-negative integer',
      );
    });
  });

  describe('reputation', () => {
    it('parses entries, snapshots and priority credits', () => {
      expect(parseReputationEntryRecord(ENTRY)).to.deep.equal(ENTRY);
      const change = withFields(ENTRY, {
        entryId: `change:${digest('tx-6')}`,
        reason: 'change',
        requestId: '',
      });
      expect(parseReputationEntryRecord(change).requestId).to.equal('');
      expect(parseReputationSnapshotRecord(SNAPSHOT)).to.deep.equal(SNAPSHOT);
      expect(parsePriorityCreditRecord(CREDIT)).to.deep.equal(CREDIT);
      expectRefusal(
        () => parseReputationEntryRecord(withFields(ENTRY, { reason: 'gift' })),
        'entry.reason must be an entry reason',
      );
      expectRefusal(
        () => parseReputationEntryRecord(withFields(ENTRY, { amount: 0 })),
        'entry.amount must be a positive integer',
      );
      expectRefusal(
        () => parseReputationSnapshotRecord(withFields(SNAPSHOT, { balance: '3' })),
        'snapshot.balance must be an integer',
      );
      expectRefusal(
        () => parsePriorityCreditRecord(withFields(CREDIT, { until: 'tomorrow' })),
        'credit.until must be an ISO time',
      );
    });

    it("parses GetReputation's answer with and without a snapshot", () => {
      const reputation = {
        labId: 'lab-1',
        balance: 3,
        entries: [ENTRY],
        recent: [ENTRY],
        snapshot: SNAPSHOT,
        priority: { active: 4, credits: [CREDIT] },
      };
      expect(parseReputationRecord(reputation)).to.deep.equal(reputation);
      expect(parseReputationRecord({ ...reputation, snapshot: null }).snapshot).to.equal(null);
      expectRefusal(
        () =>
          parseReputationRecord({
            ...reputation,
            priority: { active: 4, credits: [{ ...CREDIT, from: 1 }] },
          }),
        'reputation.priority.credits[0].from must be an ISO time',
      );
      expectRefusal(
        () => parseReputationRecord({ ...reputation, recent: [{ ...ENTRY, kind: 'bonus' }] }),
        'reputation.recent[0].kind must be an entry kind',
      );
    });

    it("parses RedeemPriority's and CompactReputation's results", () => {
      const redeemed = {
        labId: 'lab-1',
        amount: 4,
        until: T2,
        consumed: ['mint:req-1', 'mint:req-2'],
        change: `change:${digest('tx-7')}`,
      };
      expect(parseRedeemPriorityResult(redeemed)).to.deep.equal(redeemed);
      expect(parseRedeemPriorityResult({ ...redeemed, change: null }).change).to.equal(null);
      expectRefusal(
        () => parseRedeemPriorityResult({ ...redeemed, consumed: ['mint:req-1', 'req-2'] }),
        'redeemed.consumed[1] must be an entry id',
      );
      const compacted = { labId: 'lab-1', balance: -5, folded: 3 };
      expect(parseCompactReputationResult(compacted)).to.deep.equal(compacted);
      expectRefusal(
        () => parseCompactReputationResult({ ...compacted, folded: -1 }),
        'compacted.folded must be a non-negative integer',
      );
    });
  });

  describe('config', () => {
    it("parses the chaincode's default configuration", () => {
      expect(parseChaincodeConfigRecord(JSON.parse(JSON.stringify(DEFAULT_CONFIG)))).to.deep.equal(
        DEFAULT_CONFIG,
      );
    });

    it('refuses a bad scheduler mode, a missing field and a bad mint tier', () => {
      expectRefusal(
        () => parseChaincodeConfigRecord({ ...DEFAULT_CONFIG, schedulerMode: 'lottery' }),
        'config.schedulerMode must be a scheduler mode',
      );
      expectRefusal(
        () => parseChaincodeConfigRecord(withFields(DEFAULT_CONFIG, { recentHistory: undefined })),
        'config.recentHistory must be a positive integer',
      );
      expectRefusal(
        () =>
          parseChaincodeConfigRecord({
            ...DEFAULT_CONFIG,
            mintTiers: [{ maxLatencyPerMille: 0, amount: 3 }],
          }),
        'config.mintTiers[0].maxLatencyPerMille must be a positive integer',
      );
      expectRefusal(
        () => parseChaincodeConfigRecord({ ...DEFAULT_CONFIG, deadlineMs: { routine: 1, urgent: 1 } }),
        'config.deadlineMs.stat must be a duration in ms',
      );
    });
  });

  describe('system answers', () => {
    it('parses Ping and Whoami', () => {
      expect(parsePingAnswer({ pong: true, txId: digest('tx') })).to.deep.equal({
        pong: true,
        txId: digest('tx'),
      });
      expectRefusal(() => parsePingAnswer({ pong: 'yes', txId: 'x' }), 'ping.pong must be true');
      const admin = { mspId: 'HospitalAMSP', job: 'admin', memberId: 'hospital-a', role: 'hospital' };
      expect(parseWhoamiAnswer(admin)).to.deep.equal(admin);
      const outsider = { mspId: 'HospitalCMSP', job: null, memberId: null, role: null };
      expect(parseWhoamiAnswer(outsider)).to.deep.equal(outsider);
      expectRefusal(
        () => parseWhoamiAnswer({ ...admin, role: 'admin' }),
        'whoami.role must be a member role or null',
      );
    });
  });

  describe('ANSWER_PARSERS', () => {
    it('has a parser for exactly the transactions in Tx', () => {
      expect(Object.keys(ANSWER_PARSERS).sort()).to.deep.equal(Object.values(Tx).sort());
    });

    it('reads PutProbe as nothing and the probe answers as text', () => {
      const putProbe: (bytes: Uint8Array) => unknown = ANSWER_PARSERS[Tx.PutProbe];
      expect(putProbe(new Uint8Array(0))).to.equal(undefined);
      expectRefusal(() => putProbe(Buffer.from('x')), 'PutProbe answer must be empty');
      expect(ANSWER_PARSERS[Tx.IncrementProbe](Buffer.from('7'))).to.equal('7');
      expect(ANSWER_PARSERS[Tx.GetProbe](Buffer.from('{"not":"parsed"}'))).to.equal('{"not":"parsed"}');
    });

    it('parses JSON answers into their records and refuses what is not JSON', () => {
      const request: TxAnswer<typeof Tx.GetRequest> = ANSWER_PARSERS[Tx.GetRequest](json(REQUEST));
      expect(request.status).to.equal('assigned');
      const page: TxAnswer<typeof Tx.ListRequests> = ANSWER_PARSERS[Tx.ListRequests](
        json({ requests: [REQUEST], bookmark: 'next', fetched: 1 }),
      );
      expect(page.bookmark).to.equal('next');
      expectRefusal(() => ANSWER_PARSERS[Tx.GetReceipt](Buffer.from('receipt')), 'receipt is not JSON');
      expectRefusal(
        () => ANSWER_PARSERS[Tx.GetRequest](json({ ...REQUEST, status: 'done' })),
        'request.status must be a request status',
      );
      for (const tx of Object.values(Tx)) {
        if (tx === Tx.PutProbe) continue;
        const parse: (bytes: Uint8Array) => unknown = ANSWER_PARSERS[tx];
        // Plain-text answers accept any text; every JSON answer refuses a bare array.
        const plainText = [
          Tx.IncrementProbe,
          Tx.WriteThenReadProbe,
          Tx.CountProbes,
          Tx.PagedQueryThenWriteProbe,
          Tx.WriteThenPagedQueryProbe,
          Tx.GetProbe,
        ];
        if (plainText.some((t) => t === tx)) {
          expect(parse(json([]))).to.equal('[]');
        } else {
          expect(() => parse(json([])), tx).to.throw(LedgerError, /must be an object$/);
        }
      }
    });
  });

  describe('against the chaincode', () => {
    const HOUR = 3_600_000;
    const answers = new Map<TxName, Uint8Array[]>();
    let ledger: TestLedger;

    /** Records a transaction's answer as fabric-contract-api sends it (a string as is, void as nothing). */
    function record(tx: TxName, result: unknown): void {
      const bytes = Buffer.from(typeof result === 'string' ? result : '', 'utf8');
      answers.set(tx, [...(answers.get(tx) ?? []), bytes]);
    }

    /** The last answer of `tx`, parsed. */
    function last<N extends TxName>(tx: N): TxAnswer<N> {
      const bytes = answers.get(tx)?.at(-1);
      if (bytes === undefined) throw new Error(`${tx} was not called`);
      const parse = ANSWER_PARSERS[tx] as (bytes: Uint8Array) => TxAnswer<N>;
      return parse(bytes);
    }

    function labOf(request: unknown): string {
      if (!isObject(request) || !isMemberId(request.assignedLab)) throw new Error('not assigned');
      return request.assignedLab;
    }

    before(async function () {
      this.timeout(60_000);
      ledger = new TestLedger();
      const system = new SystemContract();
      const sub = async (tx: TxName, ...args: Parameters<TestLedger['submit']>): Promise<string> => {
        const { result } = await ledger.submit(...args);
        record(tx, result);
        return typeof result === 'string' ? result : '';
      };
      const ev = async (tx: TxName, ...args: Parameters<TestLedger['evaluate']>): Promise<string> => {
        const { result } = await ledger.evaluate(...args);
        record(tx, result);
        return typeof result === 'string' ? result : '';
      };

      for (const admin of VOTER_ADMINS)
        await sub(Tx.Bootstrap, admin, (ctx) => cc.membership.Bootstrap(ctx, DEMO_MEMBERS));
      await ev(Tx.Ping, id.lab1, (ctx) => system.Ping(ctx));
      await ev(Tx.Whoami, id.lab1, (ctx) => system.Whoami(ctx));
      await sub(Tx.PutProbe, id.lab1, (ctx) => system.PutProbe(ctx, 'p-1', 'hello'));
      await sub(Tx.IncrementProbe, id.lab1, (ctx) => system.IncrementProbe(ctx, 'p-count'));
      await sub(Tx.WriteThenReadProbe, id.lab1, (ctx) => system.WriteThenReadProbe(ctx, 'p-1', 'bye'));
      await sub(Tx.CountProbes, id.lab1, (ctx) => system.CountProbes(ctx, 'p-', 'total'));
      // These two exist to be refused (a write and a paginated query in one transaction): every
      // network refuses them, the stub included, so they have no answer to parse.
      for (const probe of [
        (ctx: VeriscanContext) => system.PagedQueryThenWriteProbe(ctx, 'p-2'),
        (ctx: VeriscanContext) => system.WriteThenPagedQueryProbe(ctx, 'p-3'),
      ]) {
        let refused = false;
        await ledger.submit(id.lab1, probe).catch(() => {
          refused = true;
        });
        expect(refused, 'a write and a paginated query in one transaction').to.equal(true);
      }
      await ev(Tx.GetProbe, id.lab1, (ctx) => system.GetProbe(ctx, 'p-1'));

      await ev(Tx.GetConfig, id.regulator, (ctx) => cc.config.GetConfig(ctx));
      /** Opens a proposal as hospital-a's admin; lab-1's and hospital-b's admins approve it. */
      const govern = async (body: Record<string, unknown>): Promise<void> => {
        const opened = await sub(Tx.Propose, id.hospitalAdmin, (ctx) =>
          cc.governance.Propose(ctx, JSON.stringify(body)),
        );
        const { proposalId } = JSON.parse(opened) as { proposalId: string };
        for (const admin of [id.labAdmin, id.hospitalBAdmin])
          await sub(Tx.Vote, admin, (ctx) => cc.governance.Vote(ctx, proposalId, 'approve'));
        await ev(Tx.GetProposal, id.regulator, (ctx) => cc.governance.GetProposal(ctx, proposalId));
      };
      await govern({ kind: 'config', patch: { spotCheckPerMille: 1000 } });
      await ev(Tx.ListProposals, id.regulator, (ctx) => cc.governance.ListProposals(ctx, '{}'));
      await sub(Tx.SetMemberEndpoint, id.hospitalAdmin, (ctx) =>
        cc.membership.SetMemberEndpoint(ctx, 'hospital-a', 'https://hospital-a.example.org/blobs'),
      );
      await ev(Tx.GetMember, id.regulator, (ctx) => cc.membership.GetMember(ctx, 'hospital-a'));
      await ev(Tx.ListMembers, id.regulator, (ctx) => cc.membership.ListMembers(ctx));

      const v2 = {
        version: '2.0.0',
        input: { width: 4, height: 4, channels: 1, normalisation: { mode: 'fixed', mean: 0.5, std: 0.25 } },
      };
      for (const overrides of [{}, v2]) {
        await sub(Tx.ProposeModel, id.lab1, (ctx) => cc.models.ProposeModel(ctx, modelSpec(overrides)));
        const version = overrides === v2 ? '2.0.0' : '1.0.0';
        for (const admin of [id.hospitalAdmin, id.labAdmin, id.hospitalBAdmin])
          await sub(Tx.ApproveModel, admin, (ctx) => cc.models.ApproveModel(ctx, 'brain-tissue', version));
      }
      await ev(Tx.GetModel, id.regulator, (ctx) => cc.models.GetModel(ctx, 'brain-tissue', '1.0.0'));
      await ev(Tx.ListModels, id.regulator, (ctx) => cc.models.ListModels(ctx, '{}'));
      await ev(Tx.ResolveModel, id.regulator, (ctx) => cc.models.ResolveModel(ctx, 'brain-tissue@approved'));
      for (const lab of [id.lab1, id.lab2])
        await sub(Tx.DeclareCapacity, lab, (ctx) =>
          cc.scheduler.DeclareCapacity(ctx, 'brain-tissue@1.0.0', '4'),
        );
      await ev(Tx.ListCapacity, id.regulator, (ctx) => cc.scheduler.ListCapacity(ctx, 'brain-tissue@1.0.0'));

      // A single result and its spot check found different (resolved below, after the reputation steps).
      const request = async (rid: string): Promise<string> =>
        labOf(
          JSON.parse(
            await sub(Tx.RequestInference, id.hospitalA, (ctx) =>
              cc.requests.RequestInference(ctx, requestArg(rid)),
            ),
          ),
        );
      const submit = async (rid: string, lab: string): Promise<void> => {
        const { trace, receipt } = resultFor(rid, lab);
        await sub(Tx.SubmitResult, labIdentity(lab), (ctx) =>
          cc.requests.SubmitResult(ctx, rid, trace, receipt),
        );
      };
      const lab = await request('req-1');
      await ev(Tx.GetRequest, id.hospitalA, (ctx) => cc.requests.GetRequest(ctx, 'req-1'));
      await ev(Tx.ListRequests, id.hospitalA, (ctx) => cc.requests.ListRequests(ctx, '{}', '10', ''));
      await submit('req-1', lab);
      await ev(Tx.GetReceipt, id.hospitalA, (ctx) => cc.requests.GetReceipt(ctx, 'req-1'));
      await ev(Tx.GetSpotCheck, id.regulator, (ctx) => cc.requests.GetSpotCheck(ctx, 'req-1'));
      const checker = otherLab(lab).name;
      const wrong = resultFor('req-1', checker, { variant: 1 });
      await sub(Tx.SubmitSpotCheck, labIdentity(checker), (ctx) =>
        cc.requests.SubmitSpotCheck(ctx, 'req-1', wrong.trace, wrong.receipt),
      );

      // A second result whose spot check agrees.
      const lab2 = await request('req-2');
      await submit('req-2', lab2);
      const same = resultFor('req-2', otherLab(lab2).name);
      await sub(Tx.SubmitSpotCheck, otherLab(lab2), (ctx) =>
        cc.requests.SubmitSpotCheck(ctx, 'req-2', same.trace, same.receipt),
      );

      // A batch of two requests of one lab.
      const batched: string[] = [];
      let batchLab = '';
      for (let i = 0; batched.length < 2 && i < 50; i += 1) {
        const assigned = await request(`b-${i}`);
        if (batchLab === '') batchLab = assigned;
        if (assigned === batchLab) batched.push(`b-${i}`);
      }
      if (!isMemberId(batchLab)) throw new Error('no batch lab');
      const arg = batchArg(
        new BatchLog({ lab: batchLab }),
        batched.map((rid) => resultFor(rid, batchLab).receiptValue),
      );
      await sub(Tx.AnchorBatch, labIdentity(batchLab), (ctx) => cc.requests.AnchorBatch(ctx, arg));
      await ev(Tx.GetBatch, id.regulator, (ctx) => cc.requests.GetBatch(ctx, batchLab, '0'));

      // Reputation of the batch lab, which has only credits so far (no burn yet).
      const reputation = ANSWER_PARSERS[Tx.GetReputation](
        Buffer.from(
          (await ledger.evaluate(id.regulator, (ctx) => cc.reputation.GetReputation(ctx, batchLab))).result,
        ),
      );
      const credits = reputation.entries.filter((e) => e.kind === 'credit').map((e) => e.entryId);
      await sub(Tx.RedeemPriority, labIdentity(batchLab), (ctx) =>
        cc.reputation.RedeemPriority(ctx, '1', JSON.stringify(credits)),
      );
      await ev(Tx.GetReputation, id.regulator, (ctx) => cc.reputation.GetReputation(ctx, batchLab));
      await sub(Tx.CompactReputation, id.hospitalA, (ctx) => cc.reputation.CompactReputation(ctx, batchLab));
      // The dispute's two labs do not vote: both hospitals resolve it.
      const resolving = await sub(Tx.Propose, id.hospitalAdmin, (ctx) =>
        cc.governance.Propose(
          ctx,
          JSON.stringify({ kind: 'resolve-dispute', requestId: 'req-1', faultyLab: checker }),
        ),
      );
      await sub(Tx.Vote, id.hospitalBAdmin, (ctx) =>
        cc.governance.Vote(ctx, (JSON.parse(resolving) as { proposalId: string }).proposalId, 'approve'),
      );

      // An assignment that expires twice: reassigned, then expired with no lab left.
      await request('x-1');
      for (let i = 0; i < 2; i += 1) {
        ledger.advance(HOUR + 1000);
        await sub(Tx.ExpireRequest, id.hospitalA, (ctx) => cc.requests.ExpireRequest(ctx, 'x-1'));
      }

      // An auction.
      await govern({ kind: 'config', patch: { schedulerMode: 'auction' } });
      await sub(Tx.RequestInference, id.hospitalA, (ctx) =>
        cc.requests.RequestInference(ctx, requestArg('a-1')),
      );
      await sub(Tx.PlaceBid, id.lab2, (ctx) => cc.scheduler.PlaceBid(ctx, 'a-1', '60000', '5'));
      ledger.advance(6000);
      await sub(Tx.CloseAuction, id.hospitalA, (ctx) => cc.scheduler.CloseAuction(ctx, 'a-1'));

      await sub(Tx.DeclareCapacity, id.lab2, (ctx) =>
        cc.scheduler.DeclareCapacity(ctx, 'brain-tissue@1.0.0', '0'),
      );
      await sub(Tx.DeprecateModel, id.lab1, (ctx) => cc.models.DeprecateModel(ctx, 'brain-tissue', '2.0.0'));
      await govern({ kind: 'revoke-model', modelId: 'brain-tissue', version: '2.0.0' });
    });

    it('answers every transaction in Tx, and every answer parses', () => {
      const refusedByDesign: readonly string[] = [Tx.PagedQueryThenWriteProbe, Tx.WriteThenPagedQueryProbe];
      expect([...answers.keys()].sort()).to.deep.equal(
        Object.values(Tx)
          .filter((tx) => !refusedByDesign.includes(tx))
          .sort(),
      );
      for (const [tx, list] of answers) {
        const parse: (bytes: Uint8Array) => unknown = ANSWER_PARSERS[tx];
        for (const bytes of list) expect(() => parse(bytes), tx).not.to.throw();
      }
    });

    it('reads the probes, the caller and the genesis record', () => {
      expect(last(Tx.Ping).pong).to.equal(true);
      expect(last(Tx.Whoami)).to.deep.equal({
        mspId: 'Lab1MSP',
        job: 'operator',
        memberId: 'lab-1',
        role: 'lab',
      });
      const putProbe: (bytes: Uint8Array) => unknown = ANSWER_PARSERS[Tx.PutProbe];
      expect(answers.get(Tx.PutProbe)?.at(-1)).to.have.length(0);
      expect(putProbe(new Uint8Array(0))).to.equal(undefined);
      expect(last(Tx.IncrementProbe)).to.equal('1');
      expect(last(Tx.WriteThenReadProbe)).to.equal('hello');
      expect(last(Tx.CountProbes)).to.equal('2');
      expect(last(Tx.GetProbe)).to.equal('bye');
      expect(last(Tx.Bootstrap)).to.deep.include({ status: 'recorded', awaiting: [] });
      expect(last(Tx.Bootstrap).memberIds).to.have.length(5);
      expect(last(Tx.GetConfig)).to.deep.equal(DEFAULT_CONFIG);
    });

    it('reads members and models as the chaincode wrote them', () => {
      expect(last(Tx.SetMemberEndpoint)).to.deep.include({
        memberId: 'hospital-a',
        mspId: 'HospitalAMSP',
        status: 'active',
        approvals: ['HospitalAMSP', 'HospitalBMSP', 'Lab1MSP', 'Lab2MSP'],
        endpoint: 'https://hospital-a.example.org/blobs',
      });
      expect(last(Tx.ListMembers).members).to.have.length(5);
      expect(last(Tx.ResolveModel).input.normalisation).to.deep.equal({
        mode: 'fixed',
        mean: 0.5,
        std: 0.25,
      });
      expect(last(Tx.GetModel).input.normalisation).to.deep.equal({ mode: 'min-max', mean: 0, std: 1 });
      expect(last(Tx.ListModels).models.map((m) => m.version)).to.deep.equal(['1.0.0', '2.0.0']);
      expect(last(Tx.GetProposal)).to.deep.include({
        body: { kind: 'revoke-model', modelId: 'brain-tissue', version: '2.0.0' },
        status: 'approved',
        approvals: ['hospital-a', 'lab-1', 'hospital-b'],
      });
      expect(last(Tx.ListProposals).proposals.map((p) => p.body.kind)).to.deep.equal(['config']);
    });

    it('reads requests, receipts, batches, spot checks, capacity, bids and reputation', () => {
      const expired = last(Tx.ExpireRequest);
      expect(expired).to.deep.include({ status: 'expired', assignedLab: null, attempt: 2 });
      expect(expired.previousLabs).to.have.length(2);
      expect(last(Tx.CloseAuction)).to.deep.include({ status: 'assigned', assignedLab: 'lab-2' });
      expect(last(Tx.CloseAuction).auctionClosesAt).to.be.a('string');
      expect(last(Tx.ListRequests).requests.map((r) => r.requestId)).to.deep.equal(['req-1']);
      expect(last(Tx.GetReceipt).batch).to.equal(null);
      const batch = last(Tx.GetBatch);
      expect(batch).to.deep.include({ sequence: 0, count: 2 });
      expect(last(Tx.AnchorBatch)).to.deep.equal(batch);
      expect(last(Tx.Propose)).to.deep.include({ status: 'open', required: 3 });
      expect(last(Tx.SubmitSpotCheck).status).to.equal('passed');
      expect(last(Tx.DeclareCapacity)).to.deep.equal({
        labId: 'lab-2',
        modelId: 'brain-tissue',
        modelVersion: '1.0.0',
        maxConcurrent: 0,
      });
      expect(last(Tx.ListCapacity).capacity).to.have.length(2);
      expect(last(Tx.PlaceBid)).to.deep.include({ labId: 'lab-2', latencyMs: 60000, price: 5 });
      const reputation = last(Tx.GetReputation);
      expect(reputation.priority.active).to.equal(1);
      expect(reputation.snapshot?.balance).to.be.a('number');
      expect(last(Tx.RedeemPriority).amount).to.equal(1);
      expect(last(Tx.CompactReputation).balance).to.equal(reputation.balance);
    });

    it('emits every EventName and no other (besides the probe), and every payload parses', () => {
      const names = new Set(ledger.events.map((e) => e.name));
      expect(Object.values(EventName).filter((name) => !names.has(name))).to.deep.equal([]);
      expect([...names].filter((name) => !isEventName(name))).to.deep.equal(['ProbeIncremented']);
      for (const event of ledger.events) {
        if (!isEventName(event.name)) continue;
        const name = event.name;
        expect(() => parseEventPayload(name, json(event.payload)), name).not.to.throw();
      }
    });
  });
});
