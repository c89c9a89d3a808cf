/**
 * Reputation (chaincode `domain/reputation.ts`, Reputation contract): append-only credit and debit
 * entries, the scheduling snapshot, priority credits, and the contract's answers.
 */
import { isMemberId, isRequestId, type MemberId, type RequestId } from '@veriscan/protocol';
import {
  checked,
  isCount,
  isInteger,
  isIsoTime,
  isPositive,
  isTxId,
  nullable,
  nullableParse,
  objectAt,
  oneOf,
  readArray,
  readField,
  readNested,
  type Check,
} from './fields';

/** Why an entry was written. */
export const EntryReason = ['mint', 'late', 'expire', 'spot', 'dispute', 'change', 'compact'] as const;
/** An entry reason. */
export type EntryReason = (typeof EntryReason)[number];

/** Which way an entry counts. */
export const EntryKind = ['credit', 'debit'] as const;
/** An entry kind. */
export type EntryKind = (typeof EntryKind)[number];

declare const entryIdBrand: unique symbol;
/** A reputation entry id such as `mint:req-1` or `change:<txid>`. */
export type EntryId = string & { readonly [entryIdBrand]: true };

const ENTRY_ID = /^[a-z]+:[A-Za-z0-9._:-]{1,200}$/;

/** True for a well-formed {@link EntryId}. */
export function isEntryId(value: unknown): value is EntryId {
  return typeof value === 'string' && ENTRY_ID.test(value);
}

/** True for an {@link EntryReason}. */
export const isEntryReason: Check<EntryReason> = oneOf(EntryReason);
/** True for an {@link EntryKind}. */
export const isEntryKind: Check<EntryKind> = oneOf(EntryKind);

/** One credit or debit of a lab; `amount` is always positive, `kind` says which way it counts. */
export type ReputationEntryRecord = {
  readonly labId: MemberId;
  readonly entryId: EntryId;
  readonly kind: EntryKind;
  readonly amount: number;
  readonly reason: EntryReason;
  /** The request behind it, or "" for spends and compactions. */
  readonly requestId: RequestId | '';
  readonly txId: string;
  readonly at: string;
};

/** A lab's scheduling basis: its balance at the last compaction minus spends since. */
export type ReputationSnapshotRecord = {
  readonly labId: MemberId;
  readonly balance: number;
  readonly asOf: string;
  readonly txId: string;
};

/** Priority credits bought with reputation: extra scheduling weight from `from` until `until`. */
export type PriorityCreditRecord = {
  readonly labId: MemberId;
  readonly amount: number;
  readonly from: string;
  readonly until: string;
  readonly txId: string;
};

/** The priority part of GetReputation: credits live now and their sum. */
export type ReputationPriority = {
  readonly active: number;
  readonly credits: readonly PriorityCreditRecord[];
};

/** GetReputation's answer: a lab's balance, unspent entries, recent history, snapshot and priority. */
export type ReputationRecord = {
  readonly labId: MemberId;
  /** Signed sum of the unspent entries. */
  readonly balance: number;
  /** Unspent entries, credits then debits, in key order. */
  readonly entries: readonly ReputationEntryRecord[];
  /** The newest entries first, at most `recentHistory`. */
  readonly recent: readonly ReputationEntryRecord[];
  readonly snapshot: ReputationSnapshotRecord | null;
  readonly priority: ReputationPriority;
};

/** RedeemPriority's answer (and its PriorityRedeemed event). */
export type RedeemPriorityResult = {
  readonly labId: MemberId;
  readonly amount: number;
  /** When the priority credits stop counting. */
  readonly until: string;
  /** The credit entries spent. */
  readonly consumed: readonly EntryId[];
  /** The change credit written back, or `null` when nothing was left. */
  readonly change: EntryId | null;
};

/** CompactReputation's answer (and its ReputationCompacted event). */
export type CompactReputationResult = {
  readonly labId: MemberId;
  readonly balance: number;
  /** How many entries were folded into one. */
  readonly folded: number;
};

const isEntryRequestId = (value: unknown): value is RequestId | '' => value === '' || isRequestId(value);

/** Item parser for arrays of entry ids. */
export const entryIdItem = checked(isEntryId, 'an entry id');

/** Parses a reputation entry. */
export function parseReputationEntryRecord(value: unknown, what = 'entry'): ReputationEntryRecord {
  const o = objectAt(value, what);
  return {
    labId: readField(o, 'labId', what, isMemberId, 'a member id'),
    entryId: readField(o, 'entryId', what, isEntryId, 'an entry id'),
    kind: readField(o, 'kind', what, isEntryKind, 'an entry kind'),
    amount: readField(o, 'amount', what, isPositive, 'a positive integer'),
    reason: readField(o, 'reason', what, isEntryReason, 'an entry reason'),
    requestId: readField(o, 'requestId', what, isEntryRequestId, 'a request id or ""'),
    txId: readField(o, 'txId', what, isTxId, 'a transaction id'),
    at: readField(o, 'at', what, isIsoTime, 'an ISO time'),
  };
}

/** Parses a reputation snapshot. */
export function parseReputationSnapshotRecord(value: unknown, what = 'snapshot'): ReputationSnapshotRecord {
  const o = objectAt(value, what);
  return {
    labId: readField(o, 'labId', what, isMemberId, 'a member id'),
    balance: readField(o, 'balance', what, isInteger, 'an integer'),
    asOf: readField(o, 'asOf', what, isIsoTime, 'an ISO time'),
    txId: readField(o, 'txId', what, isTxId, 'a transaction id'),
  };
}

/** Parses a priority credit. */
export function parsePriorityCreditRecord(value: unknown, what = 'credit'): PriorityCreditRecord {
  const o = objectAt(value, what);
  return {
    labId: readField(o, 'labId', what, isMemberId, 'a member id'),
    amount: readField(o, 'amount', what, isPositive, 'a positive integer'),
    from: readField(o, 'from', what, isIsoTime, 'an ISO time'),
    until: readField(o, 'until', what, isIsoTime, 'an ISO time'),
    txId: readField(o, 'txId', what, isTxId, 'a transaction id'),
  };
}

function parsePriority(value: unknown, what: string): ReputationPriority {
  const o = objectAt(value, what);
  return {
    active: readField(o, 'active', what, isCount, 'a non-negative integer'),
    credits: readArray(o, 'credits', what, parsePriorityCreditRecord),
  };
}

/** Parses GetReputation's answer. */
export function parseReputationRecord(value: unknown, what = 'reputation'): ReputationRecord {
  const o = objectAt(value, what);
  return {
    labId: readField(o, 'labId', what, isMemberId, 'a member id'),
    balance: readField(o, 'balance', what, isInteger, 'an integer'),
    entries: readArray(o, 'entries', what, parseReputationEntryRecord),
    recent: readArray(o, 'recent', what, parseReputationEntryRecord),
    snapshot: readNested(o, 'snapshot', what, nullableParse(parseReputationSnapshotRecord)),
    priority: readNested(o, 'priority', what, parsePriority),
  };
}

/** Parses RedeemPriority's answer `{labId, amount, until, consumed, change}`. */
export function parseRedeemPriorityResult(value: unknown, what = 'redeemed'): RedeemPriorityResult {
  const o = objectAt(value, what);
  return {
    labId: readField(o, 'labId', what, isMemberId, 'a member id'),
    amount: readField(o, 'amount', what, isPositive, 'a positive integer'),
    until: readField(o, 'until', what, isIsoTime, 'an ISO time'),
    consumed: readArray(o, 'consumed', what, entryIdItem),
    change: readField(o, 'change', what, nullable(isEntryId), 'an entry id or null'),
  };
}

/** Parses CompactReputation's answer `{labId, balance, folded}`. */
export function parseCompactReputationResult(value: unknown, what = 'compacted'): CompactReputationResult {
  const o = objectAt(value, what);
  return {
    labId: readField(o, 'labId', what, isMemberId, 'a member id'),
    balance: readField(o, 'balance', what, isInteger, 'an integer'),
    folded: readField(o, 'folded', what, isCount, 'a non-negative integer'),
  };
}
