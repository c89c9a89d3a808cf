/** Inference requests, receipts, batch anchors and spot checks (ARCHITECTURE.md §3, §6, §7). */
import { Priority } from '../rules/config';
import { parseObject, type ObjectReader } from '../infra/reader';
import {
  arrayOf,
  hexDigest,
  integer,
  isoTime,
  memberId,
  modelId,
  oneOf,
  requestId,
  semver,
  txId,
  type HexDigest,
  type MemberId,
  type Parser,
  type RequestId,
} from '../infra/scalars';
import { modelRefText } from './model';
import {
  type RequestRecord,
  type BatchRef as WBatchRef,
  type ReceiptRecord,
  type BatchAnchorRecord as WBatchAnchorRecord,
  type SpotCheckRecord,
} from '@veriscan/ledger-api/wire';

export const RequestStatus = ['pending', 'assigned', 'completed', 'expired', 'disputed'] as const;
export type RequestStatus = (typeof RequestStatus)[number];

/** What a hospital sends: ids, salted commitments, a model reference and a priority. Never patient data. */
export type RequestInput = {
  readonly requestId: RequestId;
  readonly scanCommitment: HexDigest;
  readonly tileRootCommitment: HexDigest;
  readonly modelRef: string;
  readonly priority: Priority;
};

export type InferenceRequest = RequestRecord;

// The hospital's fields, shared by the argument and the stored record so the two cannot drift apart.
function readInput(r: ObjectReader): RequestInput {
  return {
    requestId: r.field('requestId', requestId),
    scanCommitment: r.field('scanCommitment', hexDigest),
    tileRootCommitment: r.field('tileRootCommitment', hexDigest),
    modelRef: r.field('modelRef', modelRefText),
    priority: r.field('priority', oneOf(Priority)),
  };
}

/** Parses a `RequestInference` argument. */
export const parseRequestInput: Parser<RequestInput> = (value, path) => parseObject(value, path, readInput);

const nullable =
  <T>(parse: Parser<T>): Parser<T | null> =>
  (value, path) =>
    value === null ? null : parse(value, path);

/** Parses a stored request record. */
export const parseRequest: Parser<InferenceRequest> = (value, path) =>
  parseObject(value, path, (r) => ({
    ...readInput(r),
    hospitalId: r.field('hospitalId', memberId),
    modelId: r.field('modelId', modelId),
    modelVersion: r.field('modelVersion', semver),
    onnxSha256: r.field('onnxSha256', hexDigest),
    status: r.field('status', oneOf(RequestStatus)),
    assignedLab: r.field('assignedLab', nullable(memberId)),
    assignedAt: r.field('assignedAt', nullable(isoTime)),
    deadline: r.field('deadline', nullable(isoTime)),
    attempt: r.field('attempt', integer(0, 1000)),
    previousLabs: r.field('previousLabs', arrayOf(memberId, 0, 1000)),
    auctionClosesAt: r.field('auctionClosesAt', nullable(isoTime)),
    createdAt: r.field('createdAt', isoTime),
    completedAt: r.field('completedAt', nullable(isoTime)),
  }));

/** True when a repeated `RequestInference` carries the same content as the stored request. */
export function sameInput(a: RequestInput, b: RequestInput): boolean {
  return (
    a.requestId === b.requestId &&
    a.scanCommitment === b.scanCommitment &&
    a.tileRootCommitment === b.tileRootCommitment &&
    a.modelRef === b.modelRef &&
    a.priority === b.priority
  );
}

/** Where a batched receipt was anchored. */
export type BatchRef = WBatchRef;

/** The on-chain receipt of a completed request. */
export type Receipt = ReceiptRecord;

const batchRef: Parser<BatchRef> = (value, path) =>
  parseObject(value, path, (r) => ({
    sequence: r.field('sequence', integer(0, Number.MAX_SAFE_INTEGER)),
    merkleRoot: r.field('merkleRoot', hexDigest),
    index: r.field('index', integer(0, 1_000_000)),
  }));

/** Parses a stored receipt. */
export const parseReceiptRecord: Parser<Receipt> = (value, path) =>
  parseObject(value, path, (r) => ({
    requestId: r.field('requestId', requestId),
    labId: r.field('labId', memberId),
    hospitalId: r.field('hospitalId', memberId),
    modelId: r.field('modelId', modelId),
    modelVersion: r.field('modelVersion', semver),
    onnxSha256: r.field('onnxSha256', hexDigest),
    traceHash: r.field('traceHash', hexDigest),
    outputCommitment: r.field('outputCommitment', hexDigest),
    receiptHash: r.field('receiptHash', hexDigest),
    latencyMs: r.field('latencyMs', integer(0, Number.MAX_SAFE_INTEGER)),
    completedAt: r.field('completedAt', isoTime),
    txId: r.field('txId', txId),
    batch: r.field('batch', nullable(batchRef)),
  }));

/** One anchored batch in a lab's append-only log. */
export type BatchAnchorRecord = WBatchAnchorRecord;

/** Parses a stored batch anchor. */
export const parseBatchAnchorRecord: Parser<BatchAnchorRecord> = (value, path) =>
  parseObject(value, path, (r) => ({
    labId: r.field('labId', memberId),
    sequence: r.field('sequence', integer(0, Number.MAX_SAFE_INTEGER)),
    merkleRoot: r.field('merkleRoot', hexDigest),
    count: r.field('count', integer(1, 1000)),
    log: r.field('log', (v, p) =>
      parseObject(v, p, (l) => ({
        size: l.field('size', integer(1, Number.MAX_SAFE_INTEGER)),
        root: l.field('root', hexDigest),
      })),
    ),
    requestIds: r.field('requestIds', arrayOf(requestId, 1, 1000)),
    anchoredAt: r.field('anchoredAt', isoTime),
    txId: r.field('txId', txId),
  }));

export const SpotCheckStatus = ['open', 'passed', 'disputed', 'resolved'] as const;
export type SpotCheckStatus = (typeof SpotCheckStatus)[number];

/** A re-run of a completed request by a second lab. */
export type SpotCheck = SpotCheckRecord;

const faulty: Parser<MemberId | 'none'> = (value, path) =>
  value === 'none' ? 'none' : memberId(value, path);

/** Parses a stored spot check. */
export const parseSpotCheck: Parser<SpotCheck> = (value, path) =>
  parseObject(value, path, (r) => ({
    requestId: r.field('requestId', requestId),
    labId: r.field('labId', memberId),
    checkerLab: r.field('checkerLab', memberId),
    outputCommitment: r.field('outputCommitment', hexDigest),
    checkerOutputCommitment: r.field('checkerOutputCommitment', nullable(hexDigest)),
    status: r.field('status', oneOf(SpotCheckStatus)),
    requestedAt: r.field('requestedAt', isoTime),
    deadline: r.field('deadline', isoTime),
    completedAt: r.field('completedAt', nullable(isoTime)),
    faultyLab: r.field('faultyLab', nullable(faulty)),
  }));

/** Index entries hold this value: any non-empty value works, Fabric deletes on empty. */
export const INDEX_MARK = 1;

/** Index entries parse to nothing; their key is the information. */
export const parseIndexMark: Parser<null> = () => null;
