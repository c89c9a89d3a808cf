/**
 * Governance proposals (chaincode `domain/proposal.ts`): a change to the consortium that takes
 * effect only once enough distinct institutions approved it.
 */
import {
  isMemberId,
  isModelId,
  isRequestId,
  type MemberId,
  type ModelId,
  type RequestId,
} from '@veriscan/protocol';
import {
  isIsoTime,
  isMspId,
  isObject,
  isPositive,
  isString,
  isTxId,
  isVersion,
  nullable,
  objectAt,
  oneOf,
  readArray,
  readField,
  type Check,
  type RecordObject,
  type Semver,
} from './fields';
import { isEndpoint, isMemberRole, memberIdItem, type MemberRole } from './member';
import { isFaultyLab } from './request';

/** What a proposal changes. */
export const ProposalKind = [
  'config',
  'admit',
  'suspend',
  'reinstate',
  'resolve-dispute',
  'revoke-model',
] as const;
/** A proposal's kind. */
export type ProposalKind = (typeof ProposalKind)[number];

/** A proposal's lifecycle: open for votes, then carried out, rejected, expired or failed (could not be carried out). */
export const ProposalStatus = ['open', 'approved', 'rejected', 'expired', 'failed'] as const;
/** A proposal's status. */
export type ProposalStatus = (typeof ProposalStatus)[number];

/** True for a {@link ProposalKind}. */
export const isProposalKind: Check<ProposalKind> = oneOf(ProposalKind);
/** True for a {@link ProposalStatus}. */
export const isProposalStatus: Check<ProposalStatus> = oneOf(ProposalStatus);

/** The body of each kind of proposal. */
export type ProposalBody =
  /** Changes these configuration fields (any subset of GetConfig's answer). */
  | { readonly kind: 'config'; readonly patch: RecordObject }
  /** Admits an institution whose org is already on the channel. */
  | {
      readonly kind: 'admit';
      readonly memberId: MemberId;
      readonly mspId: string;
      readonly role: MemberRole;
      readonly endpoint: string;
    }
  | { readonly kind: 'suspend' | 'reinstate'; readonly memberId: MemberId }
  /** Names the lab found wrong in a disputed spot check, or `none`. */
  | { readonly kind: 'resolve-dispute'; readonly requestId: RequestId; readonly faultyLab: MemberId | 'none' }
  | { readonly kind: 'revoke-model'; readonly modelId: ModelId; readonly version: Semver };

/** A stored proposal (Propose, Vote, GetProposal). */
export type ProposalRecord = {
  /** The id of the transaction that opened it. */
  readonly proposalId: string;
  readonly body: ProposalBody;
  readonly proposedBy: MemberId;
  /** The institutions that may vote, fixed when the proposal opened (parties to a dispute left out). */
  readonly electorate: readonly MemberId[];
  /** Approvals needed: `⌊n·proposalApprovalPerMille/1000⌋ + 1`, at most n. */
  readonly required: number;
  readonly approvals: readonly MemberId[];
  readonly rejections: readonly MemberId[];
  readonly status: ProposalStatus;
  /** Why a proposal failed or how it ended; "" while open. */
  readonly outcome: string;
  readonly createdAt: string;
  readonly expiresAt: string;
  readonly decidedAt: string | null;
};

/** ListProposals' answer, newest first. */
export type ProposalList = {
  readonly proposals: readonly ProposalRecord[];
};

/** Parses a proposal body `{kind, ...}`. */
export function parseProposalBody(value: unknown, what = 'body'): ProposalBody {
  const o = objectAt(value, what);
  const kind = readField(o, 'kind', what, isProposalKind, 'a proposal kind');
  const member = (): MemberId => readField(o, 'memberId', what, isMemberId, 'a member id');
  switch (kind) {
    case 'config':
      return { kind, patch: readField(o, 'patch', what, isObject, 'an object') };
    case 'admit':
      return {
        kind,
        memberId: member(),
        mspId: readField(o, 'mspId', what, isMspId, 'an MSP id'),
        role: readField(o, 'role', what, isMemberRole, 'a member role'),
        endpoint: readField(o, 'endpoint', what, isEndpoint, 'an http(s) URL or ""'),
      };
    case 'suspend':
    case 'reinstate':
      return { kind, memberId: member() };
    case 'resolve-dispute':
      return {
        kind,
        requestId: readField(o, 'requestId', what, isRequestId, 'a request id'),
        faultyLab: readField(o, 'faultyLab', what, isFaultyLab, 'a member id or none'),
      };
    case 'revoke-model':
      return {
        kind,
        modelId: readField(o, 'modelId', what, isModelId, 'a model id'),
        version: readField(o, 'version', what, isVersion, 'a version'),
      };
  }
}

/** Parses a stored proposal. */
export function parseProposalRecord(value: unknown, what = 'proposal'): ProposalRecord {
  const o = objectAt(value, what);
  return {
    proposalId: readField(o, 'proposalId', what, isTxId, 'a transaction id'),
    body: parseProposalBody(o.body, `${what}.body`),
    proposedBy: readField(o, 'proposedBy', what, isMemberId, 'a member id'),
    electorate: readArray(o, 'electorate', what, memberIdItem),
    required: readField(o, 'required', what, isPositive, 'a positive integer'),
    approvals: readArray(o, 'approvals', what, memberIdItem),
    rejections: readArray(o, 'rejections', what, memberIdItem),
    status: readField(o, 'status', what, isProposalStatus, 'a proposal status'),
    outcome: readField(o, 'outcome', what, isString, 'a string'),
    createdAt: readField(o, 'createdAt', what, isIsoTime, 'an ISO time'),
    expiresAt: readField(o, 'expiresAt', what, isIsoTime, 'an ISO time'),
    decidedAt: readField(o, 'decidedAt', what, nullable(isIsoTime), 'an ISO time or null'),
  };
}

/** Parses ListProposals' `{proposals}`. */
export function parseProposalList(value: unknown, what = 'proposalList'): ProposalList {
  const o = objectAt(value, what);
  return { proposals: readArray(o, 'proposals', what, parseProposalRecord) };
}
