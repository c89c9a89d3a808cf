/**
 * Everything the chaincode stores and returns, as readonly types with parsers from `unknown`, and
 * {@link ANSWER_PARSERS}: the parser of every transaction's answer bytes, keyed by wire name.
 */
import { isMemberId, type MemberId } from '@veriscan/protocol';
import { Tx, type TxName } from '../transactions';
import { parseChaincodeConfigRecord } from './config';
import {
  decodeJson,
  decodeText,
  expectEmpty,
  isNonEmptyString,
  isString,
  isTrue,
  isTxId,
  nullable,
  objectAt,
  readField,
} from './fields';
import { parseProposalList, parseProposalRecord } from './governance';
import {
  isMemberRole,
  parseGenesisRecord,
  parseMemberList,
  parseMemberRecord,
  type MemberRole,
} from './member';
import { parseModelList, parseModelVersionRecord } from './model';
import {
  parseBatchAnchorRecord,
  parseReceiptRecord,
  parseRequestPage,
  parseRequestRecord,
  parseSpotCheckRecord,
} from './request';
import { parseCompactReputationResult, parseRedeemPriorityResult, parseReputationRecord } from './reputation';
import { parseBidRecord, parseCapacityList, parseDeclareCapacityAnswer } from './scheduling';

export { decodeJson, isObject, isVersion, type Semver } from './fields';
export {
  Priority,
  SchedulerMode,
  isPriority,
  parseChaincodeConfigRecord,
  type ChaincodeConfigRecord,
  type MintTier,
  type PriorityDeadlines,
} from './config';
export {
  ProposalKind,
  ProposalStatus,
  isProposalKind,
  isProposalStatus,
  parseProposalBody,
  parseProposalList,
  parseProposalRecord,
  type ProposalBody,
  type ProposalList,
  type ProposalRecord,
} from './governance';
export {
  GenesisStatus,
  MemberRole,
  MemberStatus,
  isMemberRole,
  isMemberStatus,
  parseGenesisRecord,
  parseMemberList,
  parseMemberRecord,
  type GenesisRecord,
  type MemberList,
  type MemberRecord,
} from './member';
export {
  ModelStatus,
  NormalisationMode,
  OutputKind,
  isModelRef,
  isModelStatus,
  parseModelList,
  parseModelVersionRecord,
  type ModelInputSpec,
  type ModelList,
  type ModelNormalisation,
  type ModelOutputSpec,
  type ModelVersionRecord,
} from './model';
export {
  RequestStatus,
  SpotCheckStatus,
  isRequestStatus,
  isSpotCheckStatus,
  parseBatchAnchorRecord,
  parseBatchLogCheckpoint,
  parseReceiptRecord,
  parseRequestPage,
  parseRequestRecord,
  parseSpotCheckRecord,
  type BatchAnchorRecord,
  type BatchLogCheckpoint,
  type BatchRef,
  type ReceiptRecord,
  type RequestPage,
  type RequestRecord,
  type SpotCheckRecord,
} from './request';
export {
  parseBidRecord,
  parseCapacityList,
  parseCapacityRecord,
  parseDeclareCapacityAnswer,
  type BidRecord,
  type CapacityList,
  type CapacityRecord,
  type CapacityWithdrawal,
  type DeclareCapacityAnswer,
} from './scheduling';
export {
  EntryKind,
  EntryReason,
  isEntryId,
  parseCompactReputationResult,
  parsePriorityCreditRecord,
  parseRedeemPriorityResult,
  parseReputationEntryRecord,
  parseReputationRecord,
  parseReputationSnapshotRecord,
  type CompactReputationResult,
  type EntryId,
  type PriorityCreditRecord,
  type RedeemPriorityResult,
  type ReputationEntryRecord,
  type ReputationPriority,
  type ReputationRecord,
  type ReputationSnapshotRecord,
} from './reputation';

/** System:Ping's answer. */
export interface PingAnswer {
  readonly pong: true;
  readonly txId: string;
}

/**
 * System:Whoami's answer: the caller's MSP id and job as its certificate says (unchecked), and the
 * member its MSP id maps to on the ledger (`null` when none).
 */
export interface WhoamiAnswer {
  readonly mspId: string;
  /** The raw `veriscan.job` attribute, or `null`. */
  readonly job: string | null;
  readonly memberId: MemberId | null;
  readonly role: MemberRole | null;
}

/** Parses System:Ping's `{pong, txId}`. */
export function parsePingAnswer(value: unknown, what = 'ping'): PingAnswer {
  const o = objectAt(value, what);
  return {
    pong: readField(o, 'pong', what, isTrue, 'true'),
    txId: readField(o, 'txId', what, isTxId, 'a transaction id'),
  };
}

/** Parses System:Whoami's `{mspId, job, memberId, role}`. */
export function parseWhoamiAnswer(value: unknown, what = 'whoami'): WhoamiAnswer {
  const o = objectAt(value, what);
  return {
    mspId: readField(o, 'mspId', what, isNonEmptyString, 'an MSP id'),
    job: readField(o, 'job', what, nullable(isString), 'a string or null'),
    memberId: readField(o, 'memberId', what, nullable(isMemberId), 'a member id or null'),
    role: readField(o, 'role', what, nullable(isMemberRole), 'a member role or null'),
  };
}

function json<T>(parse: (value: unknown, what: string) => T, what: string): (bytes: Uint8Array) => T {
  return (bytes) => parse(decodeJson(bytes, what), what);
}

function text(what: string): (bytes: Uint8Array) => string {
  return (bytes) => decodeText(bytes, what);
}

function empty(what: string): (bytes: Uint8Array) => undefined {
  return (bytes) => {
    expectEmpty(bytes, what);
    return undefined;
  };
}

/**
 * The parser of each transaction's answer bytes. JSON answers are parsed into their record;
 * the System probes answer plain text (`IncrementProbe` and `CountProbes` a decimal number) and
 * `PutProbe` nothing.
 */
export const ANSWER_PARSERS = {
  [Tx.Ping]: json(parsePingAnswer, 'ping'),
  [Tx.Whoami]: json(parseWhoamiAnswer, 'whoami'),
  [Tx.PutProbe]: empty('PutProbe answer'),
  [Tx.IncrementProbe]: text('IncrementProbe answer'),
  [Tx.WriteThenReadProbe]: text('WriteThenReadProbe answer'),
  [Tx.CountProbes]: text('CountProbes answer'),
  [Tx.PagedQueryThenWriteProbe]: text('PagedQueryThenWriteProbe answer'),
  [Tx.WriteThenPagedQueryProbe]: text('WriteThenPagedQueryProbe answer'),
  [Tx.GetProbe]: text('GetProbe answer'),

  [Tx.GetConfig]: json(parseChaincodeConfigRecord, 'config'),

  [Tx.Bootstrap]: json(parseGenesisRecord, 'genesis'),
  [Tx.SetMemberEndpoint]: json(parseMemberRecord, 'member'),
  [Tx.GetMember]: json(parseMemberRecord, 'member'),
  [Tx.ListMembers]: json(parseMemberList, 'memberList'),

  [Tx.ProposeModel]: json(parseModelVersionRecord, 'model'),
  [Tx.ApproveModel]: json(parseModelVersionRecord, 'model'),
  [Tx.DeprecateModel]: json(parseModelVersionRecord, 'model'),
  [Tx.GetModel]: json(parseModelVersionRecord, 'model'),
  [Tx.ListModels]: json(parseModelList, 'modelList'),
  [Tx.ResolveModel]: json(parseModelVersionRecord, 'model'),

  [Tx.RequestInference]: json(parseRequestRecord, 'request'),
  [Tx.SubmitResult]: json(parseReceiptRecord, 'receipt'),
  [Tx.AnchorBatch]: json(parseBatchAnchorRecord, 'batch'),
  [Tx.ExpireRequest]: json(parseRequestRecord, 'request'),
  [Tx.SubmitSpotCheck]: json(parseSpotCheckRecord, 'spotCheck'),
  [Tx.GetRequest]: json(parseRequestRecord, 'request'),
  [Tx.ListRequests]: json(parseRequestPage, 'requestPage'),
  [Tx.GetReceipt]: json(parseReceiptRecord, 'receipt'),
  [Tx.GetBatch]: json(parseBatchAnchorRecord, 'batch'),
  [Tx.GetSpotCheck]: json(parseSpotCheckRecord, 'spotCheck'),

  [Tx.DeclareCapacity]: json(parseDeclareCapacityAnswer, 'capacity'),
  [Tx.PlaceBid]: json(parseBidRecord, 'bid'),
  [Tx.CloseAuction]: json(parseRequestRecord, 'request'),
  [Tx.ListCapacity]: json(parseCapacityList, 'capacityList'),

  [Tx.RedeemPriority]: json(parseRedeemPriorityResult, 'redeemed'),
  [Tx.CompactReputation]: json(parseCompactReputationResult, 'compacted'),
  [Tx.GetReputation]: json(parseReputationRecord, 'reputation'),

  [Tx.Propose]: json(parseProposalRecord, 'proposal'),
  [Tx.Vote]: json(parseProposalRecord, 'proposal'),
  [Tx.GetProposal]: json(parseProposalRecord, 'proposal'),
  [Tx.ListProposals]: json(parseProposalList, 'proposalList'),
} as const satisfies { readonly [N in TxName]: (bytes: Uint8Array) => unknown };

/** The parsed answer of transaction `N`. */
export type TxAnswer<N extends TxName> = ReturnType<(typeof ANSWER_PARSERS)[N]>;
