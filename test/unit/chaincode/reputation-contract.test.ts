import { expect } from 'chai';
import { DEFAULT_CONFIG } from '../../../chaincode/src/rules/config';
import { weightedCandidates } from '../../../chaincode/src/services/assignment';
import { cc, expectCode, id, labIdentity, readyLedger, requestAs, resultFor } from './support/fixtures';
import { parseMemberId } from './support/ids';
import type { TestLedger } from './support/test-ledger';
import { EventName } from '@veriscan/ledger-api';

/** Completes `count` fast requests for lab-1 (3 credits each) and returns their entry ids. */
async function earn(ledger: TestLedger, count: number): Promise<string[]> {
  const entries: string[] = [];
  for (let i = 0; entries.length < count && i < 200; i += 1) {
    const rid = `e-${ledger.nowMs}-${i}`;
    const lab = await requestAs(ledger, rid);
    const { trace, receipt } = resultFor(rid, lab);
    await ledger.submit(labIdentity(lab), (ctx) => cc.requests.SubmitResult(ctx, rid, trace, receipt));
    if (lab === 'lab-1') entries.push(`mint:${rid}`);
  }
  return entries;
}

type Reputation = {
  balance: number;
  entries: { entryId: string }[];
  recent: unknown[];
  priority: { active: number };
};

async function reputationOf(ledger: TestLedger, labId: string): Promise<Reputation> {
  const { result } = await ledger.evaluate(id.regulator, (ctx) => cc.reputation.GetReputation(ctx, labId));
  return JSON.parse(result) as Reputation;
}

describe('Reputation contract', () => {
  describe('earning', () => {
    it('gives 200 concurrent completions by two labs zero read conflicts', async () => {
      const ledger = await readyLedger();
      const requests: { rid: string; lab: string }[] = [];
      for (let i = 0; i < 200; i += 1)
        requests.push({ rid: `c-${i}`, lab: await requestAs(ledger, `c-${i}`) });
      expect(new Set(requests.map((r) => r.lab)).size).to.equal(2);
      ledger.advance(1000);
      const codes = await ledger.submitConcurrently(
        requests.map(({ rid, lab }) => {
          const { trace, receipt } = resultFor(rid, lab);
          return {
            identity: labIdentity(lab),
            run: (ctx) => cc.requests.SubmitResult(ctx, rid, trace, receipt),
          };
        }),
      );
      expect(codes.filter((c) => c !== 'VALID')).to.deep.equal([]);
      const total =
        (await reputationOf(ledger, 'lab-1')).balance + (await reputationOf(ledger, 'lab-2')).balance;
      expect(total).to.equal(600);
    });
  });

  describe('RedeemPriority', () => {
    it('consumes the named credits, returns change, grants priority weight and emits PriorityRedeemed', async () => {
      const ledger = await readyLedger();
      const entries = await earn(ledger, 2);
      const { event, txId } = await ledger.submit(id.lab1, (ctx) =>
        cc.reputation.RedeemPriority(ctx, '4', JSON.stringify(entries)),
      );
      expect(event?.name).to.equal(EventName.PriorityRedeemed);
      expect(event?.payload).to.deep.include({
        labId: 'lab-1',
        amount: 4,
        consumed: entries,
        change: `change:${txId}`,
      });
      const rep = await reputationOf(ledger, 'lab-1');
      expect(rep.balance).to.equal(2);
      expect(rep.entries.map((e) => e.entryId)).to.deep.equal([`change:${txId}`]);
      expect(rep.priority.active).to.equal(4);
      const { result } = await ledger.evaluate(id.lab1, (ctx) =>
        weightedCandidates(ctx, [parseMemberId('lab-1')], DEFAULT_CONFIG, ledger.nowMs),
      );
      expect(result[0]?.weight).to.equal(DEFAULT_CONFIG.baseWeight + 4);
      ledger.advance(DEFAULT_CONFIG.priorityWindowMs);
      expect((await reputationOf(ledger, 'lab-1')).priority.active).to.equal(0);
    });

    it('refuses spending the same entry twice with FAILED_PRECONDITION', async () => {
      const ledger = await readyLedger();
      const entries = await earn(ledger, 1);
      await ledger.submit(id.lab1, (ctx) => cc.reputation.RedeemPriority(ctx, '1', JSON.stringify(entries)));
      await expectCode(
        ledger.submit(id.lab1, (ctx) => cc.reputation.RedeemPriority(ctx, '1', JSON.stringify(entries))),
        'FAILED_PRECONDITION',
      );
    });

    it('lets only one of two concurrent spends of one entry commit', async () => {
      const ledger = await readyLedger();
      const entries = JSON.stringify(await earn(ledger, 1));
      const codes = await ledger.submitConcurrently([
        { identity: id.lab1, run: (ctx) => cc.reputation.RedeemPriority(ctx, '1', entries) },
        { identity: id.lab1, run: (ctx) => cc.reputation.RedeemPriority(ctx, '2', entries) },
      ]);
      expect(codes).to.deep.equal(['VALID', 'MVCC_READ_CONFLICT']);
    });

    it('settles outstanding debits in the spend and refuses when credits do not cover them', async () => {
      const ledger = await readyLedger();
      const entries = await earn(ledger, 2); // 6 credits
      const rid = 'late-1';
      const lab = await requestAs(ledger, rid);
      ledger.advance(3_600_001);
      await ledger.submit(id.hospitalA, (ctx) => cc.requests.ExpireRequest(ctx, rid)); // the late lab loses 5
      const late = lab === 'lab-1' ? 5 : 0;
      const spendable = 6 - late;
      await expectCode(
        ledger.submit(id.lab1, (ctx) =>
          cc.reputation.RedeemPriority(ctx, String(spendable + 1), JSON.stringify(entries)),
        ),
        'FAILED_PRECONDITION',
      );
      await ledger.submit(id.lab1, (ctx) =>
        cc.reputation.RedeemPriority(ctx, String(spendable), JSON.stringify(entries)),
      );
      expect(ledger.keysUnder('rep-debit', ['lab-1'])).to.have.length(0);
      expect((await reputationOf(ledger, 'lab-1')).balance).to.equal(0);
    });

    it('refuses RedeemPriority from a hospital with FORBIDDEN', async () => {
      const ledger = await readyLedger();
      await expectCode(
        ledger.submit(id.hospitalA, (ctx) => cc.reputation.RedeemPriority(ctx, '1', '["mint:x"]')),
        'FORBIDDEN',
      );
    });

    it('refuses a zero amount, a non-array or duplicate entries with INVALID_ARGUMENT', async () => {
      const ledger = await readyLedger();
      await expectCode(
        ledger.submit(id.lab1, (ctx) => cc.reputation.RedeemPriority(ctx, '0', '["mint:x"]')),
        'INVALID_ARGUMENT',
      );
      await expectCode(
        ledger.submit(id.lab1, (ctx) => cc.reputation.RedeemPriority(ctx, '1', '{"a":1}')),
        'INVALID_ARGUMENT',
      );
      await expectCode(
        ledger.submit(id.lab1, (ctx) => cc.reputation.RedeemPriority(ctx, '1', '["mint:x","mint:x"]')),
        'INVALID_ARGUMENT',
      );
    });
  });

  describe('CompactReputation and GetReputation', () => {
    it('folds all entries into one, keeps the balance and refreshes the scheduling snapshot', async () => {
      const ledger = await readyLedger();
      await earn(ledger, 3);
      const before = await reputationOf(ledger, 'lab-1');
      const { event, txId } = await ledger.submit(id.hospitalA, (ctx) =>
        cc.reputation.CompactReputation(ctx, 'lab-1'),
      );
      expect(event?.payload).to.deep.equal({ labId: 'lab-1', balance: 9, folded: 3 });
      const after = await reputationOf(ledger, 'lab-1');
      expect(after.balance).to.equal(before.balance);
      expect(after.entries.map((e) => e.entryId)).to.deep.equal([`compact:${txId}`]);
      expect(ledger.get(ledger.key('rep-snapshot', ['lab-1']))).to.include({ balance: 9 });
    });

    it('refuses CompactReputation from the regulator with FORBIDDEN and of a non-lab with NOT_FOUND', async () => {
      const ledger = await readyLedger();
      await expectCode(
        ledger.submit(id.regulator, (ctx) => cc.reputation.CompactReputation(ctx, 'lab-1')),
        'FORBIDDEN',
      );
      await expectCode(
        ledger.submit(id.lab1, (ctx) => cc.reputation.CompactReputation(ctx, 'hospital-a')),
        'NOT_FOUND',
      );
      await expectCode(
        ledger.submit(id.lab1, (ctx) => cc.reputation.CompactReputation(ctx, 'LAB')),
        'INVALID_ARGUMENT',
      );
    });

    it('reports the balance with the newest entries first', async () => {
      const ledger = await readyLedger();
      await earn(ledger, 2);
      const rep = await reputationOf(ledger, 'lab-1');
      expect(rep.balance).to.equal(6);
      expect(rep.recent).to.have.length(2);
    });

    it('refuses GetReputation from a caller without attributes with FORBIDDEN and a bad id with INVALID_ARGUMENT', async () => {
      const ledger = await readyLedger();
      await expectCode(
        ledger.evaluate(id.anonymous, (ctx) => cc.reputation.GetReputation(ctx, 'lab-1')),
        'FORBIDDEN',
      );
      await expectCode(
        ledger.evaluate(id.lab1, (ctx) => cc.reputation.GetReputation(ctx, '')),
        'INVALID_ARGUMENT',
      );
      await expectCode(
        ledger.evaluate(id.lab1, (ctx) => cc.reputation.GetReputation(ctx, 'lab-9')),
        'NOT_FOUND',
      );
    });
  });
});
