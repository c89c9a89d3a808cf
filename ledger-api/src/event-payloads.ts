/**
 * The payload of every chaincode event (canonical JSON; ids, hashes and times only) as a readonly
 * type, and {@link parseEventPayload} from the event's bytes. Shapes follow the chaincode's
 * `emit(ctx, EventName.X, …)` calls, `assignedEvent` and `completionEvent`.
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
import { EventName } from './events';
import { isPriority, type Priority } from './records/config';
import {
  checked,
  decodeJson,
  isCount,
  isIsoTime,
  isMspId,
  isNonEmptyString,
  isPositive,
  isTxId,
  isVersion,
  nullable,
  nullableParse,
  objectAt,
  readArray,
  readField,
  readNested,
  type Check,
  type Semver,
} from './records/fields';
import {
  isProposalKind,
  isProposalStatus,
  type ProposalKind,
  type ProposalStatus,
} from './records/governance';
import { isGenesisStatus, memberIdItem, type GenesisStatus } from './records/member';
import { parseBatchLogCheckpoint, requestIdItem, type BatchLogCheckpoint } from './records/request';
import {
  isEntryId,
  isEntryKind,
  parseCompactReputationResult,
  parseRedeemPriorityResult,
  type CompactReputationResult,
  type EntryId,
  type EntryKind,
  type RedeemPriorityResult,
} from './records/reputation';

/** MembersBootstrapped: a founder confirmed the genesis list; `recorded` once all founders did. */
export interface MembersBootstrappedEvent {
  readonly memberIds: readonly MemberId[];
  readonly digest: Sha256Hex;
  readonly status: GenesisStatus;
  readonly confirmedBy: readonly string[];
}

/** ModelProposed: a lab proposed a model version. */
export interface ModelProposedEvent {
  readonly modelId: ModelId;
  readonly version: Semver;
  readonly onnxSha256: Sha256Hex;
  readonly proposedBy: MemberId;
}

/** ModelApproved: the last required org approved a model version. */
export interface ModelApprovedEvent {
  readonly modelId: ModelId;
  readonly version: Semver;
  readonly onnxSha256: Sha256Hex;
  readonly approvals: readonly string[];
}

/** ModelDeprecated: an approved version takes no new requests. */
export interface ModelDeprecatedEvent {
  readonly modelId: ModelId;
  readonly version: Semver;
}

/** AuctionOpened: a request waits for bids until `closesAt` (auction mode). */
export interface AuctionOpenedEvent {
  readonly requestId: RequestId;
  readonly hospitalId: MemberId;
  readonly modelId: ModelId;
  readonly modelVersion: Semver;
  readonly priority: Priority;
  readonly closesAt: string;
}

/** RequestAssigned: a lab was (re)assigned a request; `previousLab` is set on a reassignment. */
export interface RequestAssignedEvent {
  readonly previousLab: MemberId | null;
  readonly requestId: RequestId;
  readonly hospitalId: MemberId;
  readonly labId: MemberId;
  readonly modelId: ModelId;
  readonly modelVersion: Semver;
  readonly onnxSha256: Sha256Hex;
  readonly scanCommitment: Sha256Hex;
  readonly tileRootCommitment: Sha256Hex;
  readonly priority: Priority;
  readonly deadline: string;
  readonly attempt: number;
}

/** RequestExpired: the late lab's assignment expired and no other lab is left. */
export interface RequestExpiredEvent {
  readonly requestId: RequestId;
  readonly hospitalId: MemberId;
  /** The lab that missed the deadline. */
  readonly labId: MemberId;
}

/** The reputation entry a completion wrote (a mint when on time, a burn when late). */
export interface CompletionReputation {
  readonly entryId: EntryId;
  readonly kind: EntryKind;
  readonly amount: number;
}

/** The spot check a completion drew. */
export interface CompletionSpotCheck {
  readonly checkerLab: MemberId;
  readonly deadline: string;
}

/** ResultCommitted: a request was completed by SubmitResult. */
export interface ResultCommittedEvent {
  readonly requestId: RequestId;
  readonly hospitalId: MemberId;
  readonly labId: MemberId;
  readonly traceHash: Sha256Hex;
  readonly receiptHash: Sha256Hex;
  readonly outputCommitment: Sha256Hex;
  readonly latencyMs: number;
  /** `null` when the entry's amount was 0 (nothing written). */
  readonly reputation: CompletionReputation | null;
  /** The second lab asked to re-run the request, or `null`. */
  readonly spotCheck: CompletionSpotCheck | null;
}

/** A spot check drawn for one request of a batch. */
export interface BatchSpotCheck {
  readonly requestId: RequestId;
  readonly checkerLab: MemberId;
}

/** BatchAnchored: a lab anchored a batch and completed its requests. */
export interface BatchAnchoredEvent {
  readonly labId: MemberId;
  readonly sequence: number;
  readonly merkleRoot: Sha256Hex;
  readonly count: number;
  readonly log: BatchLogCheckpoint;
  readonly requestIds: readonly RequestId[];
  readonly spotChecks: readonly BatchSpotCheck[];
}

/** SpotCheckPassed: the second lab's output commitment matched. */
export interface SpotCheckPassedEvent {
  readonly requestId: RequestId;
  readonly labId: MemberId;
  readonly checkerLab: MemberId;
}

/** DisputeOpened: the second lab's output commitment differed. */
export interface DisputeOpenedEvent {
  readonly requestId: RequestId;
  readonly hospitalId: MemberId;
  readonly labId: MemberId;
  readonly checkerLab: MemberId;
  readonly outputCommitment: Sha256Hex;
  readonly checkerOutputCommitment: Sha256Hex;
}

/** ProposalOpened: an institution's admin proposed a change; its approval counts as the first vote. */
export interface ProposalOpenedEvent {
  readonly proposalId: string;
  readonly kind: ProposalKind;
  readonly proposedBy: MemberId;
  readonly required: number;
  readonly expiresAt: string;
}

/** ProposalVoted: a vote that did not decide the proposal. */
export interface ProposalVotedEvent {
  readonly proposalId: string;
  readonly memberId: MemberId;
  readonly approve: boolean;
  readonly approvals: number;
  readonly rejections: number;
}

/** ProposalDecided: a proposal was carried out, rejected, expired or failed (`outcome` says what happened). */
export interface ProposalDecidedEvent {
  readonly proposalId: string;
  readonly kind: ProposalKind;
  readonly status: Exclude<ProposalStatus, 'open'>;
  readonly outcome: string;
}

/** PriorityRedeemed: a lab turned reputation into priority credits (RedeemPriority's answer). */
export type PriorityRedeemedEvent = RedeemPriorityResult;

/** ReputationCompacted: a lab's entries were folded into one (CompactReputation's answer). */
export type ReputationCompactedEvent = CompactReputationResult;

/** The payload type of each event. */
export interface EventPayloads {
  readonly [EventName.MembersBootstrapped]: MembersBootstrappedEvent;
  readonly [EventName.ModelProposed]: ModelProposedEvent;
  readonly [EventName.ModelApproved]: ModelApprovedEvent;
  readonly [EventName.ModelDeprecated]: ModelDeprecatedEvent;
  readonly [EventName.AuctionOpened]: AuctionOpenedEvent;
  readonly [EventName.RequestAssigned]: RequestAssignedEvent;
  readonly [EventName.RequestExpired]: RequestExpiredEvent;
  readonly [EventName.ResultCommitted]: ResultCommittedEvent;
  readonly [EventName.BatchAnchored]: BatchAnchoredEvent;
  readonly [EventName.SpotCheckPassed]: SpotCheckPassedEvent;
  readonly [EventName.DisputeOpened]: DisputeOpenedEvent;
  readonly [EventName.PriorityRedeemed]: PriorityRedeemedEvent;
  readonly [EventName.ReputationCompacted]: ReputationCompactedEvent;
  readonly [EventName.ProposalOpened]: ProposalOpenedEvent;
  readonly [EventName.ProposalVoted]: ProposalVotedEvent;
  readonly [EventName.ProposalDecided]: ProposalDecidedEvent;
}

/** Parses one event's decoded payload; `what` names it in error messages. */
export type EventPayloadParser<N extends EventName> = (value: unknown, what: string) => EventPayloads[N];

function modelVersionEvent(value: unknown, what: string): ModelDeprecatedEvent {
  const o = objectAt(value, what);
  return {
    modelId: readField(o, 'modelId', what, isModelId, 'a model id'),
    version: readField(o, 'version', what, isVersion, 'a version'),
  };
}

function parseCompletionReputation(value: unknown, what: string): CompletionReputation {
  const o = objectAt(value, what);
  return {
    entryId: readField(o, 'entryId', what, isEntryId, 'an entry id'),
    kind: readField(o, 'kind', what, isEntryKind, 'an entry kind'),
    amount: readField(o, 'amount', what, isPositive, 'a positive integer'),
  };
}

function parseCompletionSpotCheck(value: unknown, what: string): CompletionSpotCheck {
  const o = objectAt(value, what);
  return {
    checkerLab: readField(o, 'checkerLab', what, isMemberId, 'a member id'),
    deadline: readField(o, 'deadline', what, isIsoTime, 'an ISO time'),
  };
}

function parseBatchSpotCheck(value: unknown, what: string): BatchSpotCheck {
  const o = objectAt(value, what);
  return {
    requestId: readField(o, 'requestId', what, isRequestId, 'a request id'),
    checkerLab: readField(o, 'checkerLab', what, isMemberId, 'a member id'),
  };
}

/** The payload parser of every event, keyed by event name. */
export const EVENT_PAYLOAD_PARSERS: { readonly [N in EventName]: EventPayloadParser<N> } = {
  MembersBootstrapped: (value, what) => {
    const o = objectAt(value, what);
    return {
      memberIds: readArray(o, 'memberIds', what, memberIdItem),
      digest: readField(o, 'digest', what, isSha256Hex, 'a hex digest'),
      status: readField(o, 'status', what, isGenesisStatus, 'a genesis status'),
      confirmedBy: readArray(o, 'confirmedBy', what, checked(isMspId, 'an MSP id')),
    };
  },
  ModelProposed: (value, what) => {
    const o = objectAt(value, what);
    return {
      modelId: readField(o, 'modelId', what, isModelId, 'a model id'),
      version: readField(o, 'version', what, isVersion, 'a version'),
      onnxSha256: readField(o, 'onnxSha256', what, isSha256Hex, 'a hex digest'),
      proposedBy: readField(o, 'proposedBy', what, isMemberId, 'a member id'),
    };
  },
  ModelApproved: (value, what) => {
    const o = objectAt(value, what);
    return {
      modelId: readField(o, 'modelId', what, isModelId, 'a model id'),
      version: readField(o, 'version', what, isVersion, 'a version'),
      onnxSha256: readField(o, 'onnxSha256', what, isSha256Hex, 'a hex digest'),
      approvals: readArray(o, 'approvals', what, checked(isMspId, 'an MSP id')),
    };
  },
  ModelDeprecated: modelVersionEvent,
  AuctionOpened: (value, what) => {
    const o = objectAt(value, what);
    return {
      requestId: readField(o, 'requestId', what, isRequestId, 'a request id'),
      hospitalId: readField(o, 'hospitalId', what, isMemberId, 'a member id'),
      modelId: readField(o, 'modelId', what, isModelId, 'a model id'),
      modelVersion: readField(o, 'modelVersion', what, isVersion, 'a version'),
      priority: readField(o, 'priority', what, isPriority, 'a priority'),
      closesAt: readField(o, 'closesAt', what, isIsoTime, 'an ISO time'),
    };
  },
  RequestAssigned: (value, what) => {
    const o = objectAt(value, what);
    return {
      previousLab: readField(o, 'previousLab', what, nullable(isMemberId), 'a member id or null'),
      requestId: readField(o, 'requestId', what, isRequestId, 'a request id'),
      hospitalId: readField(o, 'hospitalId', what, isMemberId, 'a member id'),
      labId: readField(o, 'labId', what, isMemberId, 'a member id'),
      modelId: readField(o, 'modelId', what, isModelId, 'a model id'),
      modelVersion: readField(o, 'modelVersion', what, isVersion, 'a version'),
      onnxSha256: readField(o, 'onnxSha256', what, isSha256Hex, 'a hex digest'),
      scanCommitment: readField(o, 'scanCommitment', what, isSha256Hex, 'a hex digest'),
      tileRootCommitment: readField(o, 'tileRootCommitment', what, isSha256Hex, 'a hex digest'),
      priority: readField(o, 'priority', what, isPriority, 'a priority'),
      deadline: readField(o, 'deadline', what, isIsoTime, 'an ISO time'),
      attempt: readField(o, 'attempt', what, isPositive, 'a positive integer'),
    };
  },
  RequestExpired: (value, what) => {
    const o = objectAt(value, what);
    return {
      requestId: readField(o, 'requestId', what, isRequestId, 'a request id'),
      hospitalId: readField(o, 'hospitalId', what, isMemberId, 'a member id'),
      labId: readField(o, 'labId', what, isMemberId, 'a member id'),
    };
  },
  ResultCommitted: (value, what) => {
    const o = objectAt(value, what);
    return {
      requestId: readField(o, 'requestId', what, isRequestId, 'a request id'),
      hospitalId: readField(o, 'hospitalId', what, isMemberId, 'a member id'),
      labId: readField(o, 'labId', what, isMemberId, 'a member id'),
      traceHash: readField(o, 'traceHash', what, isSha256Hex, 'a hex digest'),
      receiptHash: readField(o, 'receiptHash', what, isSha256Hex, 'a hex digest'),
      outputCommitment: readField(o, 'outputCommitment', what, isSha256Hex, 'a hex digest'),
      latencyMs: readField(o, 'latencyMs', what, isCount, 'a non-negative integer'),
      reputation: readNested(o, 'reputation', what, nullableParse(parseCompletionReputation)),
      spotCheck: readNested(o, 'spotCheck', what, nullableParse(parseCompletionSpotCheck)),
    };
  },
  BatchAnchored: (value, what) => {
    const o = objectAt(value, what);
    return {
      labId: readField(o, 'labId', what, isMemberId, 'a member id'),
      sequence: readField(o, 'sequence', what, isCount, 'a non-negative integer'),
      merkleRoot: readField(o, 'merkleRoot', what, isSha256Hex, 'a hex digest'),
      count: readField(o, 'count', what, isPositive, 'a positive integer'),
      log: readNested(o, 'log', what, parseBatchLogCheckpoint),
      requestIds: readArray(o, 'requestIds', what, requestIdItem),
      spotChecks: readArray(o, 'spotChecks', what, parseBatchSpotCheck),
    };
  },
  SpotCheckPassed: (value, what) => {
    const o = objectAt(value, what);
    return {
      requestId: readField(o, 'requestId', what, isRequestId, 'a request id'),
      labId: readField(o, 'labId', what, isMemberId, 'a member id'),
      checkerLab: readField(o, 'checkerLab', what, isMemberId, 'a member id'),
    };
  },
  DisputeOpened: (value, what) => {
    const o = objectAt(value, what);
    return {
      requestId: readField(o, 'requestId', what, isRequestId, 'a request id'),
      hospitalId: readField(o, 'hospitalId', what, isMemberId, 'a member id'),
      labId: readField(o, 'labId', what, isMemberId, 'a member id'),
      checkerLab: readField(o, 'checkerLab', what, isMemberId, 'a member id'),
      outputCommitment: readField(o, 'outputCommitment', what, isSha256Hex, 'a hex digest'),
      checkerOutputCommitment: readField(o, 'checkerOutputCommitment', what, isSha256Hex, 'a hex digest'),
    };
  },
  PriorityRedeemed: parseRedeemPriorityResult,
  ReputationCompacted: parseCompactReputationResult,
  ProposalOpened: (value, what) => {
    const o = objectAt(value, what);
    return {
      proposalId: readField(o, 'proposalId', what, isTxId, 'a transaction id'),
      kind: readField(o, 'kind', what, isProposalKind, 'a proposal kind'),
      proposedBy: readField(o, 'proposedBy', what, isMemberId, 'a member id'),
      required: readField(o, 'required', what, isPositive, 'a positive integer'),
      expiresAt: readField(o, 'expiresAt', what, isIsoTime, 'an ISO time'),
    };
  },
  ProposalVoted: (value, what) => {
    const o = objectAt(value, what);
    return {
      proposalId: readField(o, 'proposalId', what, isTxId, 'a transaction id'),
      memberId: readField(o, 'memberId', what, isMemberId, 'a member id'),
      approve: readField(o, 'approve', what, isBoolean, 'a boolean'),
      approvals: readField(o, 'approvals', what, isCount, 'a non-negative integer'),
      rejections: readField(o, 'rejections', what, isCount, 'a non-negative integer'),
    };
  },
  ProposalDecided: (value, what) => {
    const o = objectAt(value, what);
    return {
      proposalId: readField(o, 'proposalId', what, isTxId, 'a transaction id'),
      kind: readField(o, 'kind', what, isProposalKind, 'a proposal kind'),
      status: readField(o, 'status', what, isDecidedStatus, 'a decided proposal status'),
      outcome: readField(o, 'outcome', what, isNonEmptyString, 'a non-empty string'),
    };
  },
};

const isBoolean: Check<boolean> = (value): value is boolean => typeof value === 'boolean';
const isDecidedStatus: Check<Exclude<ProposalStatus, 'open'>> = (
  value,
): value is Exclude<ProposalStatus, 'open'> => isProposalStatus(value) && value !== 'open';

/**
 * Parses the payload bytes of event `name`; failures are `UNEXPECTED_ANSWER` naming the field
 * (`RequestAssigned.labId must be a member id`).
 */
export function parseEventPayload<N extends EventName>(name: N, bytes: Uint8Array): EventPayloads[N] {
  const parse: EventPayloadParser<N> = EVENT_PAYLOAD_PARSERS[name];
  return parse(decodeJson(bytes, `${name} payload`), name);
}
