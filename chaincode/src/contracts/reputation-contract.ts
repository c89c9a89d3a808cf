import { Info, Returns, Transaction } from 'fabric-contract-api';
import {
  balanceOf,
  parseEntry,
  parsePriorityCredit,
  parseSnapshot,
  type ReputationEntry,
  type ReputationSnapshot,
} from '../domain/reputation';
import { authorize, memberOf } from '../rules/authorize';
// A value import, not `import type`: decorator metadata must name the class so that
// fabric-contract-api recognises the first parameter as the context and not as an argument.
import { VeriscanContext } from '../infra/context';
import { fail } from '../infra/errors';
import { EventName, emit } from '../infra/events';
import { canonicalJson, parseJsonText, recordJson } from '../infra/json';
import { KeyType } from '../infra/keys';
import {
  arrayOf,
  decimalArg,
  entryId,
  formatTime,
  memberId as parseMemberId,
  type MemberId,
} from '../infra/scalars';
import { deleteRecord, readRecord, scanRecords, writeRecord } from '../infra/state';
import { txTimeMs } from '../infra/time';
import { parseMember } from '../domain/member';
import { entriesOf, entryKeyType, recordEntry } from '../services/reputation';
import { VeriscanContract } from './veriscan-contract';
import { ContractName, Tx } from '@veriscan/ledger-api/wire';

/**
 * Per-lab reputation credits: non-transferable, minted and burned by the Requests contract, spent
 * here on priority credits, folded by compaction. Every earn and burn is its own key.
 */
@Info({ title: 'Reputation', description: 'Lab reputation entries, priority credits and compaction' })
export class ReputationContract extends VeriscanContract {
  constructor() {
    super(ContractName.Reputation);
  }

  /**
   * Turns `amount` reputation into priority credits (extra scheduling weight for
   * `priorityWindowMs`). UTXO-style: `entries` (JSON array of the caller's credit entry ids, from
   * GetReputation) are consumed, together with all of the lab's outstanding debits; what is left
   * over comes back as one `change:<txid>` credit. Naming entries instead of range-reading credits
   * keeps concurrent earns from invalidating the spend; two spends of one entry conflict (MVCC) and
   * only one commits. Callers: an active lab's operator, for its own lab.
   * Errors: FORBIDDEN, INVALID_ARGUMENT (amount, entry ids, duplicates), FAILED_PRECONDITION (an
   * entry is not an unspent credit of the lab, or they do not cover `amount` plus the debits).
   * Event: PriorityRedeemed `{labId, amount, until, consumed, change}`.
   */
  @Transaction()
  @Returns('string')
  async RedeemPriority(ctx: VeriscanContext, amount: string, entries: string): Promise<string> {
    const { actor, config } = await authorize(ctx, Tx.RedeemPriority);
    const lab = memberOf(actor);
    const wanted = decimalArg(1, 1_000_000_000)(amount, 'amount');
    const ids = arrayOf(entryId, 1, 100)(parseJsonText(entries, 'entries'), 'entries');
    if (new Set(ids).size !== ids.length) fail('INVALID_ARGUMENT', 'entries lists an entry twice');

    const credits: ReputationEntry[] = [];
    for (const id of ids) {
      const credit = await readRecord(ctx, KeyType.credit, [lab, id], parseEntry);
      if (credit === undefined) fail('FAILED_PRECONDITION', `${id} is not an unspent credit of ${lab}`);
      credits.push(credit);
    }
    // Debits are range-read: a burn landing concurrently invalidates the spend (phantom read), so
    // no spend can commit without settling every debit it could see.
    const debits = await entriesOf(ctx, lab, 'debit');
    const available = balanceOf([...credits, ...debits]);
    if (available < wanted)
      fail('FAILED_PRECONDITION', `named credits minus debits give ${available}, less than ${wanted}`);

    for (const entry of [...credits, ...debits])
      await deleteRecord(ctx, entryKeyType(entry.kind), [lab, entry.entryId]);
    const txId = ctx.stub.getTxID();
    const change = await recordEntry(ctx, {
      labId: lab,
      kind: 'credit',
      amount: available - wanted,
      reason: 'change',
      ref: txId,
      requestId: '',
    });
    const nowMs = txTimeMs(ctx);
    const until = formatTime(nowMs + config.priorityWindowMs);
    await writeRecord(ctx, KeyType.priority, [lab, txId], {
      labId: lab,
      amount: wanted,
      from: formatTime(nowMs),
      until,
      txId,
    });
    const snapshot = await readRecord(ctx, KeyType.snapshot, [lab], parseSnapshot);
    const basis: ReputationSnapshot = {
      labId: lab,
      balance: (snapshot?.balance ?? 0) - wanted,
      asOf: formatTime(nowMs),
      txId,
    };
    await writeRecord(ctx, KeyType.snapshot, [lab], basis);
    const result = {
      labId: lab,
      amount: wanted,
      until,
      consumed: ids,
      change: change === null ? null : change.entryId,
    };
    emit(ctx, EventName.PriorityRedeemed, result);
    return canonicalJson(result);
  }

  /**
   * Folds a lab's entries into one (`compact:<txid>`, credit or debit by sign) and refreshes the
   * snapshot the weighted scheduler reads. A completion landing concurrently invalidates the
   * compaction (phantom read) and the caller retries, so run it in quiet moments; history stays in
   * the events and blocks. Callers: an active hospital's clinician or admin, or an active lab's operator or admin.
   * Errors: FORBIDDEN, INVALID_ARGUMENT, NOT_FOUND (not a lab).
   * Event: ReputationCompacted `{labId, balance, folded}`.
   */
  @Transaction()
  @Returns('string')
  async CompactReputation(ctx: VeriscanContext, labId: string): Promise<string> {
    await authorize(ctx, Tx.CompactReputation);
    const lab = await requireLab(ctx, parseMemberId(labId, 'labId'));
    const all = [...(await entriesOf(ctx, lab, 'credit')), ...(await entriesOf(ctx, lab, 'debit'))];
    const balance = balanceOf(all);
    for (const entry of all) await deleteRecord(ctx, entryKeyType(entry.kind), [lab, entry.entryId]);
    const txId = ctx.stub.getTxID();
    await recordEntry(ctx, {
      labId: lab,
      kind: balance >= 0 ? 'credit' : 'debit',
      amount: Math.abs(balance),
      reason: 'compact',
      ref: txId,
      requestId: '',
    });
    const snapshot: ReputationSnapshot = { labId: lab, balance, asOf: formatTime(txTimeMs(ctx)), txId };
    await writeRecord(ctx, KeyType.snapshot, [lab], snapshot);
    const result = { labId: lab, balance, folded: all.length };
    emit(ctx, EventName.ReputationCompacted, result);
    return canonicalJson(result);
  }

  /**
   * A lab's reputation: `{labId, balance, entries (unspent, key order), recent (newest first),
   * snapshot, priority: {active, credits}}`. Callers: any user of an active member.
   * Errors: FORBIDDEN, INVALID_ARGUMENT, NOT_FOUND (not a lab).
   */
  @Transaction(false)
  @Returns('string')
  async GetReputation(ctx: VeriscanContext, labId: string): Promise<string> {
    const { config } = await authorize(ctx, Tx.GetReputation);
    const lab = await requireLab(ctx, parseMemberId(labId, 'labId'));
    const entries = [...(await entriesOf(ctx, lab, 'credit')), ...(await entriesOf(ctx, lab, 'debit'))];
    const recent = [...entries]
      .sort((a, b) => (a.at === b.at ? (a.entryId < b.entryId ? 1 : -1) : a.at < b.at ? 1 : -1))
      .slice(0, config.recentHistory);
    const nowMs = txTimeMs(ctx);
    const credits = (await scanRecords(ctx, KeyType.priority, [lab], parsePriorityCredit)).map(
      (row) => row.value,
    );
    const live = credits.filter((c) => Date.parse(c.from) <= nowMs && nowMs < Date.parse(c.until));
    const snapshot = (await readRecord(ctx, KeyType.snapshot, [lab], parseSnapshot)) ?? null;
    return canonicalJson({
      labId: lab,
      balance: balanceOf(entries),
      entries: entries.map(recordJson),
      recent: recent.map(recordJson),
      snapshot,
      priority: { active: live.reduce((sum, c) => sum + c.amount, 0), credits: live },
    });
  }
}

async function requireLab(ctx: VeriscanContext, id: MemberId): Promise<MemberId> {
  const member = await readRecord(ctx, KeyType.member, [id], parseMember);
  if (member?.role !== 'lab') return fail('NOT_FOUND', `lab ${id} does not exist`);
  return id;
}
