/** Inference requests, receipts, batch anchors and spot checks (chaincode `domain/request.ts`). */
import {
  isMemberId,
  isModelId,
  isRequestId,
  isSha256Hex,
  type MemberId,
  type ModelId,
  type RequestId,
  type Sha256Hex,
} from '@veriscan/protocol';
import { isPriority, type Priority } from './config';
import {
  checked,
  isCount,
  isIsoTime,
  isPositive,
  isString,
  isTxId,
  isVersion,
  nullable,
  nullableParse,
  objectAt,
  oneOf,
  readArray,
  readField,
  readNested,
  type Check,
  type Semver,
} from './fields';
import { memberIdItem } from './member';
import { isModelRef } from './model';

/** A request's lifecycle. */
export const RequestStatus = ['pending', 'assigned', 'completed', 'expired', 'disputed'] as const;
/** A request status. */
export type RequestStatus = (typeof RequestStatus)[number];

/** A spot check's lifecycle. */
export const SpotCheckStatus = ['open', 'passed', 'disputed', 'resolved'] as const;
/** A spot-check status. */
export type SpotCheckStatus = (typeof SpotCheckStatus)[number];

/** True for a {@link RequestStatus}. */
export const isRequestStatus: Check<RequestStatus> = oneOf(RequestStatus);
/** True for a {@link SpotCheckStatus}. */
export const isSpotCheckStatus: Check<SpotCheckStatus> = oneOf(SpotCheckStatus);

/** A stored inference request (GetRequest, RequestInference, ExpireRequest, CloseAuction). Commitments only. */
export type RequestRecord = {
  readonly requestId: RequestId;
  readonly scanCommitment: Sha256Hex;
  readonly tileRootCommitment: Sha256Hex;
  /** The reference the hospital sent, `id@1.0.0` or `id@approved`. */
  readonly modelRef: string;
  readonly priority: Priority;
  readonly hospitalId: MemberId;
  readonly modelId: ModelId;
  readonly modelVersion: Semver;
  readonly onnxSha256: Sha256Hex;
  readonly status: RequestStatus;
  /** `null` while an auction is open and after the request expired. */
  readonly assignedLab: MemberId | null;
  readonly assignedAt: string | null;
  readonly deadline: string | null;
  /** 1 for the first assignment, +1 per reassignment; 0 before any. */
  readonly attempt: number;
  /** Labs that held the request before and missed their deadline. */
  readonly previousLabs: readonly MemberId[];
  /** When bidding ends (auction mode), else `null`. */
  readonly auctionClosesAt: string | null;
  readonly createdAt: string;
  readonly completedAt: string | null;
};

/** ListRequests' answer: one page, with the bookmark of the next ("" after the last). */
export type RequestPage = {
  readonly requests: readonly RequestRecord[];
  readonly bookmark: string;
  /** Index rows read for this page (the status filter may leave fewer requests). */
  readonly fetched: number;
};

/** Where a batched receipt was anchored. */
export type BatchRef = {
  readonly sequence: number;
  readonly merkleRoot: Sha256Hex;
  readonly index: number;
};

/** The on-chain receipt of a completed request (GetReceipt, SubmitResult). */
export type ReceiptRecord = {
  readonly requestId: RequestId;
  readonly labId: MemberId;
  readonly hospitalId: MemberId;
  readonly modelId: ModelId;
  readonly modelVersion: Semver;
  readonly onnxSha256: Sha256Hex;
  readonly traceHash: Sha256Hex;
  readonly outputCommitment: Sha256Hex;
  /** `receiptHash` of the protocol receipt (the Merkle leaf when batched). */
  readonly receiptHash: Sha256Hex;
  /** Assignment to completion, on transaction timestamps. */
  readonly latencyMs: number;
  readonly completedAt: string;
  readonly txId: string;
  /** Set when the receipt came in a batch (AnchorBatch), `null` for SubmitResult. */
  readonly batch: BatchRef | null;
};

/** A lab's batch log right after a batch (protocol `LogCheckpoint`). */
export type BatchLogCheckpoint = {
  readonly size: number;
  readonly root: Sha256Hex;
};

/** One anchored batch in a lab's append-only log (GetBatch, AnchorBatch). */
export type BatchAnchorRecord = {
  readonly labId: MemberId;
  readonly sequence: number;
  readonly merkleRoot: Sha256Hex;
  readonly count: number;
  readonly log: BatchLogCheckpoint;
  readonly requestIds: readonly RequestId[];
  readonly anchoredAt: string;
  readonly txId: string;
};

/** A re-run of a completed request by a second lab (GetSpotCheck, SubmitSpotCheck; resolved by a `resolve-dispute` proposal). */
export type SpotCheckRecord = {
  readonly requestId: RequestId;
  readonly labId: MemberId;
  readonly checkerLab: MemberId;
  readonly outputCommitment: Sha256Hex;
  readonly checkerOutputCommitment: Sha256Hex | null;
  readonly status: SpotCheckStatus;
  readonly requestedAt: string;
  readonly deadline: string;
  readonly completedAt: string | null;
  /** After a `resolve-dispute` proposal passed: the lab found wrong, or `none`; `null` before. */
  readonly faultyLab: MemberId | 'none' | null;
};

const isNullableMember = nullable(isMemberId);
const isNullableTime = nullable(isIsoTime);
const isNullableDigest = nullable(isSha256Hex);

/** True for `none` or a member id (a dispute's verdict). */
export const isFaultyLab: Check<MemberId | 'none'> = (value): value is MemberId | 'none' =>
  value === 'none' || isMemberId(value);

/** Item parser for arrays of request ids. */
export const requestIdItem = checked(isRequestId, 'a request id');

/** Parses a stored request record. */
export function parseRequestRecord(value: unknown, what = 'request'): RequestRecord {
  const o = objectAt(value, what);
  return {
    requestId: readField(o, 'requestId', what, isRequestId, 'a request id'),
    scanCommitment: readField(o, 'scanCommitment', what, isSha256Hex, 'a hex digest'),
    tileRootCommitment: readField(o, 'tileRootCommitment', what, isSha256Hex, 'a hex digest'),
    modelRef: readField(o, 'modelRef', what, isModelRef, 'a model reference id@version'),
    priority: readField(o, 'priority', what, isPriority, 'a priority'),
    hospitalId: readField(o, 'hospitalId', what, isMemberId, 'a member id'),
    modelId: readField(o, 'modelId', what, isModelId, 'a model id'),
    modelVersion: readField(o, 'modelVersion', what, isVersion, 'a version'),
    onnxSha256: readField(o, 'onnxSha256', what, isSha256Hex, 'a hex digest'),
    status: readField(o, 'status', what, isRequestStatus, 'a request status'),
    assignedLab: readField(o, 'assignedLab', what, isNullableMember, 'a member id or null'),
    assignedAt: readField(o, 'assignedAt', what, isNullableTime, 'an ISO time or null'),
    deadline: readField(o, 'deadline', what, isNullableTime, 'an ISO time or null'),
    attempt: readField(o, 'attempt', what, isCount, 'a non-negative integer'),
    previousLabs: readArray(o, 'previousLabs', what, memberIdItem),
    auctionClosesAt: readField(o, 'auctionClosesAt', what, isNullableTime, 'an ISO time or null'),
    createdAt: readField(o, 'createdAt', what, isIsoTime, 'an ISO time'),
    completedAt: readField(o, 'completedAt', what, isNullableTime, 'an ISO time or null'),
  };
}

/** Parses ListRequests' `{requests, bookmark, fetched}`. */
export function parseRequestPage(value: unknown, what = 'requestPage'): RequestPage {
  const o = objectAt(value, what);
  return {
    requests: readArray(o, 'requests', what, parseRequestRecord),
    bookmark: readField(o, 'bookmark', what, isString, 'a string'),
    fetched: readField(o, 'fetched', what, isCount, 'a non-negative integer'),
  };
}

function parseBatchRef(value: unknown, what: string): BatchRef {
  const o = objectAt(value, what);
  return {
    sequence: readField(o, 'sequence', what, isCount, 'a non-negative integer'),
    merkleRoot: readField(o, 'merkleRoot', what, isSha256Hex, 'a hex digest'),
    index: readField(o, 'index', what, isCount, 'a non-negative integer'),
  };
}

/** Parses a stored receipt record. */
export function parseReceiptRecord(value: unknown, what = 'receipt'): ReceiptRecord {
  const o = objectAt(value, what);
  return {
    requestId: readField(o, 'requestId', what, isRequestId, 'a request id'),
    labId: readField(o, 'labId', what, isMemberId, 'a member id'),
    hospitalId: readField(o, 'hospitalId', what, isMemberId, 'a member id'),
    modelId: readField(o, 'modelId', what, isModelId, 'a model id'),
    modelVersion: readField(o, 'modelVersion', what, isVersion, 'a version'),
    onnxSha256: readField(o, 'onnxSha256', what, isSha256Hex, 'a hex digest'),
    traceHash: readField(o, 'traceHash', what, isSha256Hex, 'a hex digest'),
    outputCommitment: readField(o, 'outputCommitment', what, isSha256Hex, 'a hex digest'),
    receiptHash: readField(o, 'receiptHash', what, isSha256Hex, 'a hex digest'),
    latencyMs: readField(o, 'latencyMs', what, isCount, 'a non-negative integer'),
    completedAt: readField(o, 'completedAt', what, isIsoTime, 'an ISO time'),
    txId: readField(o, 'txId', what, isTxId, 'a transaction id'),
    batch: readNested(o, 'batch', what, nullableParse(parseBatchRef)),
  };
}

/** Parses a batch log checkpoint `{size, root}`. */
export function parseBatchLogCheckpoint(value: unknown, what = 'log'): BatchLogCheckpoint {
  const o = objectAt(value, what);
  return {
    size: readField(o, 'size', what, isPositive, 'a positive integer'),
    root: readField(o, 'root', what, isSha256Hex, 'a hex digest'),
  };
}

/** Parses a stored batch anchor. */
export function parseBatchAnchorRecord(value: unknown, what = 'batch'): BatchAnchorRecord {
  const o = objectAt(value, what);
  return {
    labId: readField(o, 'labId', what, isMemberId, 'a member id'),
    sequence: readField(o, 'sequence', what, isCount, 'a non-negative integer'),
    merkleRoot: readField(o, 'merkleRoot', what, isSha256Hex, 'a hex digest'),
    count: readField(o, 'count', what, isPositive, 'a positive integer'),
    log: readNested(o, 'log', what, parseBatchLogCheckpoint),
    requestIds: readArray(o, 'requestIds', what, requestIdItem),
    anchoredAt: readField(o, 'anchoredAt', what, isIsoTime, 'an ISO time'),
    txId: readField(o, 'txId', what, isTxId, 'a transaction id'),
  };
}

/** Parses a stored spot check. */
export function parseSpotCheckRecord(value: unknown, what = 'spotCheck'): SpotCheckRecord {
  const o = objectAt(value, what);
  return {
    requestId: readField(o, 'requestId', what, isRequestId, 'a request id'),
    labId: readField(o, 'labId', what, isMemberId, 'a member id'),
    checkerLab: readField(o, 'checkerLab', what, isMemberId, 'a member id'),
    outputCommitment: readField(o, 'outputCommitment', what, isSha256Hex, 'a hex digest'),
    checkerOutputCommitment: readField(
      o,
      'checkerOutputCommitment',
      what,
      isNullableDigest,
      'a hex digest or null',
    ),
    status: readField(o, 'status', what, isSpotCheckStatus, 'a spot-check status'),
    requestedAt: readField(o, 'requestedAt', what, isIsoTime, 'an ISO time'),
    deadline: readField(o, 'deadline', what, isIsoTime, 'an ISO time'),
    completedAt: readField(o, 'completedAt', what, isNullableTime, 'an ISO time or null'),
    faultyLab: readField(o, 'faultyLab', what, nullable(isFaultyLab), 'a member id, none or null'),
  };
}
