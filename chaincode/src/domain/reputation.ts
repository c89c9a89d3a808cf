/**
 * Reputation as append-only delta entries (ARCHITECTURE.md §7). Each earn or burn is its own key
 * (`rep-credit`/`rep-debit` + lab + entry id), so concurrent completions never touch a shared key;
 * the balance is the sum of a lab's entries. Spends name the credits they consume (UTXO-style).
 */
import type { MintTier } from '../rules/config';
import { parseObject } from '../infra/reader';
import {
  entryId,
  integer,
  isoTime,
  memberId,
  oneOf,
  txId,
  type Parser,
  requestIdOrNone,
} from '../infra/scalars';
import {
  type ReputationEntryRecord,
  type ReputationSnapshotRecord,
  type PriorityCreditRecord,
} from '@veriscan/ledger-api/wire';

export const EntryReason = ['mint', 'late', 'expire', 'spot', 'dispute', 'change', 'compact'] as const;
export type EntryReason = (typeof EntryReason)[number];

export type EntryKind = 'credit' | 'debit';

/** One credit or debit. `amount` is always positive; the key's type says which way it counts. */
export type ReputationEntry = ReputationEntryRecord;

/** Parses a stored entry. */
export const parseEntry: Parser<ReputationEntry> = (value, path) =>
  parseObject(value, path, (r) => ({
    labId: r.field('labId', memberId),
    entryId: r.field('entryId', entryId),
    kind: r.field('kind', oneOf(['credit', 'debit'] as const)),
    amount: r.field('amount', integer(1, Number.MAX_SAFE_INTEGER)),
    reason: r.field('reason', oneOf(EntryReason)),
    requestId: r.field('requestId', requestIdOrNone),
    txId: r.field('txId', txId),
    at: r.field('at', isoTime),
  }));

/**
 * The scheduling basis of a lab: its balance at the last compaction minus spends since. The
 * weighted scheduler reads this one key instead of range-reading every entry, because a range read
 * would be invalidated (phantom read) by any concurrent completion of that lab.
 */
export type ReputationSnapshot = ReputationSnapshotRecord;

/** Parses a stored snapshot. */
export const parseSnapshot: Parser<ReputationSnapshot> = (value, path) =>
  parseObject(value, path, (r) => ({
    labId: r.field('labId', memberId),
    balance: r.field('balance', integer(Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER)),
    asOf: r.field('asOf', isoTime),
    txId: r.field('txId', txId),
  }));

/** Priority credits bought with reputation: extra scheduling weight for a window of time. */
export type PriorityCredit = PriorityCreditRecord;

/** Parses a stored priority credit. */
export const parsePriorityCredit: Parser<PriorityCredit> = (value, path) =>
  parseObject(value, path, (r) => ({
    labId: r.field('labId', memberId),
    amount: r.field('amount', integer(1, Number.MAX_SAFE_INTEGER)),
    from: r.field('from', isoTime),
    until: r.field('until', isoTime),
    txId: r.field('txId', txId),
  }));

/**
 * Credits earned for an on-time completion: the first tier whose share of the deadline budget the
 * latency fits in. Integer arithmetic only (latency × 1000 ≤ budget × tier), so every endorser agrees.
 */
export function mintAmount(latencyMs: number, budgetMs: number, tiers: readonly MintTier[]): number {
  if (budgetMs <= 0) return 0;
  for (const tier of tiers) {
    if (latencyMs * 1000 <= budgetMs * tier.maxLatencyPerMille) return tier.amount;
  }
  return 0;
}

/** Signed sum of entries: credits add, debits subtract. */
export function balanceOf(entries: readonly ReputationEntry[]): number {
  return entries.reduce((sum, e) => sum + (e.kind === 'credit' ? e.amount : -e.amount), 0);
}
