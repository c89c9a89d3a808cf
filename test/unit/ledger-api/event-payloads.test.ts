// The chaincode's real events are parsed in records.test.ts ("against the chaincode"); these are
// hand-built payloads, one valid and one refused per event.
import { createHash } from 'node:crypto';
import { expect } from 'chai';
import { LedgerError, LedgerErrorCode } from '../../../ledger-api/src/errors';
import { EventName } from '../../../ledger-api/src/events';
import {
  EVENT_PAYLOAD_PARSERS,
  parseEventPayload,
  type EventPayloads,
  type RequestAssignedEvent,
  type ResultCommittedEvent,
} from '../../../ledger-api/src/event-payloads';

const digest = (label: string): string => createHash('sha256').update(label, 'utf8').digest('hex');
const json = (value: unknown): Uint8Array => Buffer.from(JSON.stringify(value), 'utf8');

const T1 = '2025-01-01T00:00:01.250Z';
const T2 = '2025-01-01T01:00:00.000Z';

/** A realistic payload of every event, as the chaincode emits it. */
const PAYLOADS: { readonly [N in EventName]: Readonly<Record<string, unknown>> } = {
  MembersBootstrapped: {
    memberIds: ['hospital-a', 'lab-1', 'regulator-1'],
    digest: digest('members'),
    status: 'pending',
    confirmedBy: ['HospitalAMSP'],
  },
  ModelProposed: {
    modelId: 'brain-tissue',
    version: '1.0.0',
    onnxSha256: digest('brain-tissue.onnx'),
    proposedBy: 'lab-1',
  },
  ModelApproved: {
    modelId: 'brain-tissue',
    version: '1.0.0',
    onnxSha256: digest('brain-tissue.onnx'),
    approvals: ['HospitalAMSP', 'Lab1MSP'],
  },
  ModelDeprecated: { modelId: 'brain-tissue', version: '1.0.0' },
  AuctionOpened: {
    requestId: 'a-1',
    hospitalId: 'hospital-a',
    modelId: 'brain-tissue',
    modelVersion: '1.0.0',
    priority: 'urgent',
    closesAt: T1,
  },
  RequestAssigned: {
    previousLab: null,
    requestId: 'req-2025-01-01:0001',
    hospitalId: 'hospital-a',
    labId: 'lab-1',
    modelId: 'brain-tissue',
    modelVersion: '1.0.0',
    onnxSha256: digest('brain-tissue.onnx'),
    scanCommitment: digest('scan'),
    tileRootCommitment: digest('tiles'),
    priority: 'routine',
    deadline: T2,
    attempt: 1,
  },
  RequestExpired: { requestId: 'x-1', hospitalId: 'hospital-a', labId: 'lab-2' },
  ResultCommitted: {
    requestId: 'req-1',
    hospitalId: 'hospital-a',
    labId: 'lab-1',
    traceHash: digest('trace'),
    receiptHash: digest('receipt'),
    outputCommitment: digest('output'),
    latencyMs: 1250,
    reputation: { entryId: 'mint:req-1', kind: 'credit', amount: 3 },
    spotCheck: { checkerLab: 'lab-2', deadline: T2 },
  },
  BatchAnchored: {
    labId: 'lab-1',
    sequence: 0,
    merkleRoot: digest('root'),
    count: 2,
    log: { size: 1, root: digest('log') },
    requestIds: ['b-0', 'b-1'],
    spotChecks: [{ requestId: 'b-1', checkerLab: 'lab-2' }],
  },
  SpotCheckPassed: { requestId: 'req-2', labId: 'lab-1', checkerLab: 'lab-2' },
  DisputeOpened: {
    requestId: 'req-1',
    hospitalId: 'hospital-a',
    labId: 'lab-1',
    checkerLab: 'lab-2',
    outputCommitment: digest('output'),
    checkerOutputCommitment: digest('other output'),
  },
  PriorityRedeemed: {
    labId: 'lab-1',
    amount: 4,
    until: T2,
    consumed: ['mint:req-1', 'mint:req-2'],
    change: `change:${digest('tx')}`,
  },
  ReputationCompacted: { labId: 'lab-1', balance: -3, folded: 4 },
  ProposalOpened: {
    proposalId: digest('tx-1'),
    kind: 'suspend',
    proposedBy: 'hospital-a',
    required: 3,
    expiresAt: T2,
  },
  ProposalVoted: {
    proposalId: digest('tx-1'),
    memberId: 'lab-1',
    approve: false,
    approvals: 1,
    rejections: 1,
  },
  ProposalDecided: {
    proposalId: digest('tx-1'),
    kind: 'resolve-dispute',
    status: 'approved',
    outcome: 'dispute on req-1 resolved: lab-2 at fault',
  },
};

/** One bad field per event and the message that must name it. */
const REFUSALS: { readonly [N in EventName]: readonly [Record<string, unknown>, string] } = {
  MembersBootstrapped: [{ digest: 'abc' }, 'MembersBootstrapped.digest must be a hex digest'],
  ModelProposed: [{ proposedBy: 'Lab 1' }, 'ModelProposed.proposedBy must be a member id'],
  ModelApproved: [{ onnxSha256: 'A'.repeat(64) }, 'ModelApproved.onnxSha256 must be a hex digest'],
  ModelDeprecated: [{ version: '1.0' }, 'ModelDeprecated.version must be a version'],
  AuctionOpened: [{ closesAt: null }, 'AuctionOpened.closesAt must be an ISO time'],
  RequestAssigned: [{ labId: null }, 'RequestAssigned.labId must be a member id'],
  RequestExpired: [{ requestId: '' }, 'RequestExpired.requestId must be a request id'],
  ResultCommitted: [
    { reputation: { entryId: 'mint:req-1', kind: 'credit', amount: 0 } },
    'ResultCommitted.reputation.amount must be a positive integer',
  ],
  BatchAnchored: [
    { spotChecks: [{ requestId: 'b-1', checkerLab: null }] },
    'BatchAnchored.spotChecks[0].checkerLab must be a member id',
  ],
  SpotCheckPassed: [{ checkerLab: undefined }, 'SpotCheckPassed.checkerLab must be a member id'],
  DisputeOpened: [
    { checkerOutputCommitment: null },
    'DisputeOpened.checkerOutputCommitment must be a hex digest',
  ],
  PriorityRedeemed: [{ change: 'change' }, 'PriorityRedeemed.change must be an entry id or null'],
  ReputationCompacted: [{ balance: 1.5 }, 'ReputationCompacted.balance must be an integer'],
  ProposalOpened: [{ kind: 'coup' }, 'ProposalOpened.kind must be a proposal kind'],
  ProposalVoted: [{ approve: 'yes' }, 'ProposalVoted.approve must be a boolean'],
  ProposalDecided: [{ status: 'open' }, 'ProposalDecided.status must be a decided proposal status'],
};

function patched(payload: Readonly<Record<string, unknown>>, patch: Record<string, unknown>): unknown {
  return Object.fromEntries(
    Object.entries({ ...payload, ...patch }).filter(([, value]) => value !== undefined),
  );
}

function refusal(run: () => unknown): LedgerError {
  try {
    run();
  } catch (error) {
    if (error instanceof LedgerError) return error;
    throw error;
  }
  return expect.fail('expected a refusal');
}

const NAMES: readonly EventName[] = Object.values(EventName);

describe('ledger-api event payloads', () => {
  it('has a payload parser for every EventName and no other', () => {
    expect(Object.keys(EVENT_PAYLOAD_PARSERS).sort()).to.deep.equal([...NAMES].sort());
  });

  for (const name of NAMES) {
    describe(name, () => {
      it('parses a realistic payload, ignoring unknown fields', () => {
        const payload = PAYLOADS[name];
        expect(parseEventPayload(name, json({ ...payload, added: 'later' }))).to.deep.equal(payload);
      });

      it('refuses a bad field with UNEXPECTED_ANSWER naming it', () => {
        const [patch, message] = REFUSALS[name];
        const error = refusal(() => parseEventPayload(name, json(patched(PAYLOADS[name], patch))));
        expect(error.code).to.equal(LedgerErrorCode.UNEXPECTED_ANSWER);
        expect(error.message).to.equal(message);
      });
    });
  }

  it('types the payload by the event name', () => {
    const assigned: RequestAssignedEvent = parseEventPayload(
      EventName.RequestAssigned,
      json({ ...PAYLOADS.RequestAssigned, previousLab: 'lab-2', attempt: 2 }),
    );
    expect(assigned.previousLab).to.equal('lab-2');
    const committed: ResultCommittedEvent = parseEventPayload(
      EventName.ResultCommitted,
      json({ ...PAYLOADS.ResultCommitted, reputation: null, spotCheck: null }),
    );
    expect(committed.reputation).to.equal(null);
    const decided: EventPayloads[typeof EventName.ProposalDecided] = parseEventPayload(
      EventName.ProposalDecided,
      json({ ...PAYLOADS.ProposalDecided, status: 'failed' }),
    );
    expect(decided.status).to.equal('failed');
  });

  it('refuses bytes that are not JSON or not an object', () => {
    expect(refusal(() => parseEventPayload(EventName.ModelDeprecated, Buffer.from('nope'))).message).to.equal(
      'ModelDeprecated payload is not JSON',
    );
    expect(refusal(() => parseEventPayload(EventName.ModelDeprecated, json([]))).message).to.equal(
      'ModelDeprecated must be an object',
    );
  });
});
