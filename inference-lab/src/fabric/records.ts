/**
 * Parsers for what the chaincode returns and emits: bytes → `unknown` → typed record, naming the
 * offending field. Only the fields the lab uses are read; the chaincode may add others.
 */
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

/** A ledger answer that does not have the expected shape. */
export class RecordError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RecordError';
  }
}

type Obj = Readonly<Record<string, unknown>>;

function isObj(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Decodes UTF-8 JSON bytes into an object. @throws RecordError */
export function jsonObject(bytes: Uint8Array, what: string): Obj {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch {
    throw new RecordError(`${what} is not JSON`);
  }
  if (!isObj(value)) throw new RecordError(`${what} is not a JSON object`);
  return value;
}

function field<T>(obj: Obj, name: string, what: string, check: (v: unknown) => v is T, expected: string): T {
  const value = obj[name];
  if (!check(value)) throw new RecordError(`${what}.${name} must be ${expected}`);
  return value;
}

const isString = (v: unknown): v is string => typeof v === 'string';
const isNullableString = (v: unknown): v is string | null => v === null || typeof v === 'string';
const isNullableMember = (v: unknown): v is MemberId | null => v === null || isMemberId(v);
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

/** Request statuses (chaincode `RequestStatus`). */
export type RequestStatus = 'pending' | 'assigned' | 'completed' | 'expired' | 'disputed';
const STATUSES: readonly RequestStatus[] = ['pending', 'assigned', 'completed', 'expired', 'disputed'];
const isStatus = (v: unknown): v is RequestStatus => STATUSES.some((s) => s === v);

/** The parts of a request record the lab works from. Commitments only: no patient data. */
export interface LedgerRequest {
  readonly requestId: RequestId;
  readonly hospitalId: MemberId;
  readonly modelId: ModelId;
  readonly modelVersion: string;
  readonly onnxSha256: Sha256Hex;
  readonly scanCommitment: Sha256Hex;
  readonly tileRootCommitment: Sha256Hex;
  readonly status: RequestStatus;
  readonly assignedLab: MemberId | null;
  readonly assignedAt: string | null;
  readonly deadline: string | null;
  readonly attempt: number;
}

/** Parses a request record (GetRequest, ListRequests) or a `RequestAssigned` event payload. */
export function parseLedgerRequest(value: unknown, what = 'request'): LedgerRequest {
  if (!isObj(value)) throw new RecordError(`${what} is not an object`);
  // RequestAssigned carries `labId` and no status; a stored request carries `assignedLab` and `status`.
  const isEvent = !('status' in value) && 'labId' in value;
  return {
    requestId: field(value, 'requestId', what, isRequestId, 'a request id'),
    hospitalId: field(value, 'hospitalId', what, isMemberId, 'a member id'),
    modelId: field(value, 'modelId', what, isModelId, 'a model id'),
    modelVersion: field(value, 'modelVersion', what, isString, 'a version'),
    onnxSha256: field(value, 'onnxSha256', what, isSha256Hex, 'a hex digest'),
    scanCommitment: field(value, 'scanCommitment', what, isSha256Hex, 'a hex digest'),
    tileRootCommitment: field(value, 'tileRootCommitment', what, isSha256Hex, 'a hex digest'),
    status: isEvent ? 'assigned' : field(value, 'status', what, isStatus, 'a request status'),
    assignedLab: isEvent
      ? field(value, 'labId', what, isMemberId, 'a member id')
      : field(value, 'assignedLab', what, isNullableMember, 'a member id or null'),
    assignedAt: isEvent ? null : field(value, 'assignedAt', what, isNullableString, 'a time or null'),
    deadline: field(value, 'deadline', what, isNullableString, 'a time or null'),
    attempt: field(value, 'attempt', what, isCount, 'a count'),
  };
}

/** One page of `ListRequests`. */
export function parseRequestPage(bytes: Uint8Array): { requests: LedgerRequest[]; bookmark: string } {
  const page = jsonObject(bytes, 'ListRequests result');
  const list = page.requests;
  if (!Array.isArray(list)) throw new RecordError('ListRequests result.requests must be an array');
  return {
    requests: list.map((r: unknown, i) => parseLedgerRequest(r, `requests[${i}]`)),
    bookmark: field(page, 'bookmark', 'ListRequests result', isString, 'a string'),
  };
}

/** A stored receipt record (SubmitResult, GetReceipt). */
export interface LedgerReceipt {
  readonly requestId: RequestId;
  readonly labId: MemberId;
  readonly receiptHash: Sha256Hex;
  readonly traceHash: Sha256Hex;
  readonly txId: string;
  readonly latencyMs: number;
}

/** Parses a stored receipt record. */
export function parseLedgerReceipt(value: unknown, what = 'receipt'): LedgerReceipt {
  if (!isObj(value)) throw new RecordError(`${what} is not an object`);
  return {
    requestId: field(value, 'requestId', what, isRequestId, 'a request id'),
    labId: field(value, 'labId', what, isMemberId, 'a member id'),
    receiptHash: field(value, 'receiptHash', what, isSha256Hex, 'a hex digest'),
    traceHash: field(value, 'traceHash', what, isSha256Hex, 'a hex digest'),
    txId: field(value, 'txId', what, isString, 'a transaction id'),
    latencyMs: field(value, 'latencyMs', what, isCount, 'a count'),
  };
}

/** A stored batch anchor (AnchorBatch, GetBatch). */
export interface LedgerBatch {
  readonly labId: MemberId;
  readonly sequence: number;
  readonly merkleRoot: Sha256Hex;
  readonly count: number;
  readonly log: { readonly size: number; readonly root: Sha256Hex };
  readonly requestIds: readonly RequestId[];
  readonly txId: string;
}

/** Parses a stored batch anchor. */
export function parseLedgerBatch(value: unknown, what = 'batch'): LedgerBatch {
  if (!isObj(value)) throw new RecordError(`${what} is not an object`);
  const log = value.log;
  if (!isObj(log)) throw new RecordError(`${what}.log must be an object`);
  const ids = value.requestIds;
  if (!Array.isArray(ids) || !ids.every(isRequestId))
    throw new RecordError(`${what}.requestIds must be request ids`);
  return {
    labId: field(value, 'labId', what, isMemberId, 'a member id'),
    sequence: field(value, 'sequence', what, isCount, 'a count'),
    merkleRoot: field(value, 'merkleRoot', what, isSha256Hex, 'a hex digest'),
    count: field(value, 'count', what, isCount, 'a count'),
    log: {
      size: field(log, 'size', `${what}.log`, isCount, 'a count'),
      root: field(log, 'root', `${what}.log`, isSha256Hex, 'a hex digest'),
    },
    requestIds: ids,
    txId: field(value, 'txId', what, isString, 'a transaction id'),
  };
}

/** Model version statuses. */
export type ModelStatus = 'proposed' | 'approved' | 'deprecated' | 'revoked';
const MODEL_STATUSES: readonly ModelStatus[] = ['proposed', 'approved', 'deprecated', 'revoked'];
const isModelStatus = (v: unknown): v is ModelStatus => MODEL_STATUSES.some((s) => s === v);

/** A registered model version: its approved file hash is what the model store must match. */
export interface LedgerModel {
  readonly modelId: ModelId;
  readonly version: string;
  readonly onnxSha256: Sha256Hex;
  readonly status: ModelStatus;
}

/** Parses a model version record (GetModel, ResolveModel). */
export function parseLedgerModel(value: unknown, what = 'model'): LedgerModel {
  if (!isObj(value)) throw new RecordError(`${what} is not an object`);
  return {
    modelId: field(value, 'modelId', what, isModelId, 'a model id'),
    version: field(value, 'version', what, isString, 'a version'),
    onnxSha256: field(value, 'onnxSha256', what, isSha256Hex, 'a hex digest'),
    status: field(value, 'status', what, isModelStatus, 'a model status'),
  };
}

/** The parts of a member record the lab needs: a hospital's blob endpoint. */
export interface LedgerMember {
  readonly memberId: MemberId;
  readonly role: string;
  readonly status: string;
  readonly endpoint: string;
}

/** Parses a member record (GetMember). */
export function parseLedgerMember(value: unknown, what = 'member'): LedgerMember {
  if (!isObj(value)) throw new RecordError(`${what} is not an object`);
  return {
    memberId: field(value, 'memberId', what, isMemberId, 'a member id'),
    role: field(value, 'role', what, isString, 'a role'),
    status: field(value, 'status', what, isString, 'a status'),
    endpoint: field(value, 'endpoint', what, isString, 'a URL or ""'),
  };
}
