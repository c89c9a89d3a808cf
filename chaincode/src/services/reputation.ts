/** Reputation writes and reads shared by the Requests, Scheduler and Reputation contracts. */
import type { Context } from 'fabric-contract-api';
import {
  parseEntry,
  parsePriorityCredit,
  parseSnapshot,
  type EntryKind,
  type EntryReason,
  type ReputationEntry,
} from '../domain/reputation';
import { KeyType } from '../infra/keys';
import { entryId, formatTime, type MemberId, type RequestId } from '../infra/scalars';
import { readRecord, scanRecords, writeRecord } from '../infra/state';
import { txTimeMs } from '../infra/time';

/** The key type holding entries of `kind`. */
export function entryKeyType(kind: EntryKind): typeof KeyType.credit | typeof KeyType.debit {
  return kind === 'credit' ? KeyType.credit : KeyType.debit;
}

/**
 * Writes one delta entry under its own key; amounts of 0 write nothing. The entry id is unique per
 * cause (`mint:<request>`, `expire:<request>:<attempt>`, `change:<txid>`), so a retried transaction
 * overwrites its own entry instead of adding a second one.
 */
export async function recordEntry(
  ctx: Context,
  entry: {
    readonly labId: MemberId;
    readonly kind: EntryKind;
    readonly amount: number;
    readonly reason: EntryReason;
    readonly ref: string;
    readonly requestId: RequestId | '';
  },
): Promise<ReputationEntry | null> {
  if (entry.amount <= 0) return null;
  const record: ReputationEntry = {
    labId: entry.labId,
    entryId: entryId(`${entry.reason}:${entry.ref}`, 'entryId'),
    kind: entry.kind,
    amount: entry.amount,
    reason: entry.reason,
    requestId: entry.requestId,
    txId: ctx.stub.getTxID(),
    at: formatTime(txTimeMs(ctx)),
  };
  await writeRecord(ctx, entryKeyType(entry.kind), [entry.labId, record.entryId], record);
  return record;
}

/** Every unspent entry of a lab (range reads: for queries, spends and compaction only). */
export async function entriesOf(ctx: Context, labId: MemberId, kind: EntryKind): Promise<ReputationEntry[]> {
  return (await scanRecords(ctx, entryKeyType(kind), [labId], parseEntry)).map((row) => row.value);
}

/** A lab's scheduling weight inputs: snapshot balance and priority credits active at `nowMs`. */
export async function weightInputs(
  ctx: Context,
  labId: MemberId,
  nowMs: number,
): Promise<{ readonly snapshot: number; readonly priority: number }> {
  const snapshot = await readRecord(ctx, KeyType.snapshot, [labId], parseSnapshot);
  const credits = await scanRecords(ctx, KeyType.priority, [labId], parsePriorityCredit);
  const priority = credits
    .map((row) => row.value)
    .filter((c) => Date.parse(c.from) <= nowMs && nowMs < Date.parse(c.until))
    .reduce((sum, c) => sum + c.amount, 0);
  return { snapshot: snapshot?.balance ?? 0, priority };
}
