import { createHash } from 'node:crypto';
import { expect } from 'chai';
import {
  pickBestBid,
  pickRoundRobin,
  pickWeighted,
  type Candidate,
} from '../../../chaincode/src/domain/scheduling';
import { drawFromId } from '../../../chaincode/src/infra/random';
import { parseMemberId } from './support/ids';
import { DEFAULT_CONFIG } from '../../../chaincode/src/rules/config';
import { weightedCandidates } from '../../../chaincode/src/services/assignment';
import {
  cc,
  expectCode,
  id,
  labIdentity,
  modelSpec,
  readyLedger,
  requestArg,
  requestAs,
  resultFor,
  setConfig,
  withMembers,
} from './support/fixtures';
import type { TestLedger } from './support/test-ledger';
import { EventName } from '@veriscan/ledger-api';

const lab1 = parseMemberId('lab-1');
const lab2 = parseMemberId('lab-2');
const lab3 = parseMemberId('lab-3');

async function auctionRequest(ledger: TestLedger, requestId: string): Promise<void> {
  await setConfig(ledger, { schedulerMode: 'auction' });
  await ledger.submit(id.hospitalA, (ctx) => cc.requests.RequestInference(ctx, requestArg(requestId)));
}

describe('Scheduler', () => {
  describe('weighted choice', () => {
    it('matches the weights within 2 percentage points over 10,000 simulated requests', () => {
      const candidates: Candidate[] = [
        { labId: lab1, weight: 10 },
        { labId: lab2, weight: 30 },
        { labId: lab3, weight: 60 },
      ];
      const counts = new Map<string, number>();
      const n = 10_000;
      for (let i = 0; i < n; i += 1) {
        // Transaction ids as fabric-gateway makes them: hex SHA-256 of nonce and creator.
        const txId = createHash('sha256').update(`nonce-${i}`).digest('hex');
        const picked = pickWeighted(candidates, drawFromId(txId, 'schedule'));
        counts.set(String(picked), (counts.get(String(picked)) ?? 0) + 1);
      }
      // Binomial standard deviation at n = 10,000 is at most 0.5 pp, so ±2 pp is a 4-sigma band.
      expect((counts.get('lab-1') ?? 0) / n).to.be.closeTo(0.1, 0.02);
      expect((counts.get('lab-2') ?? 0) / n).to.be.closeTo(0.3, 0.02);
      expect((counts.get('lab-3') ?? 0) / n).to.be.closeTo(0.6, 0.02);
    });

    it('always picks the same lab for the same transaction id', () => {
      const candidates: Candidate[] = [
        { labId: lab1, weight: 1 },
        { labId: lab2, weight: 1 },
      ];
      const draw = drawFromId('abc', 'schedule');
      expect(pickWeighted(candidates, draw)).to.equal(
        pickWeighted(candidates, drawFromId('abc', 'schedule')),
      );
      expect(pickWeighted([], draw)).to.equal(undefined);
    });

    it('rotates round robin in lab-id order and picks the cheapest, then fastest, bid', () => {
      expect(pickRoundRobin([lab1, lab2, lab3], null)).to.equal(lab1);
      expect(pickRoundRobin([lab1, lab2, lab3], lab2)).to.equal(lab3);
      expect(pickRoundRobin([lab1, lab2, lab3], lab3)).to.equal(lab1);
      const at = '2025-01-01T00:00:00.000Z';
      const best = pickBestBid([
        { labId: lab1, latencyMs: 500, price: 5, placedAt: at },
        { labId: lab2, latencyMs: 400, price: 5, placedAt: at },
        { labId: lab3, latencyMs: 100, price: 9, placedAt: at },
      ]);
      expect(best?.labId).to.equal(lab2);
    });

    it('weights a lab by its compacted reputation', async () => {
      const ledger = await readyLedger();
      // lab-1 earns 3 per fast completion; compaction moves it into the scheduler's snapshot.
      for (let i = 0; i < 40; i += 1) {
        const lab = await requestAs(ledger, `w-${i}`);
        if (lab !== 'lab-1') continue;
        const { trace, receipt } = resultFor(`w-${i}`, lab);
        await ledger.submit(labIdentity(lab), (ctx) =>
          cc.requests.SubmitResult(ctx, `w-${i}`, trace, receipt),
        );
      }
      await ledger.submit(id.lab1, (ctx) => cc.reputation.CompactReputation(ctx, 'lab-1'));
      const { result } = await ledger.evaluate(id.lab1, (ctx) =>
        weightedCandidates(ctx, [lab1, lab2], DEFAULT_CONFIG, ledger.nowMs),
      );
      const [w1, w2] = result.map((c) => c.weight);
      expect(w2).to.equal(10);
      expect(w1).to.be.greaterThan(10);
    });
  });

  describe('DeclareCapacity', () => {
    it('records the capacity of a lab for an approved version and withdraws it with 0', async () => {
      const ledger = await readyLedger({ labs: [] });
      await ledger.submit(id.lab2, (ctx) => cc.scheduler.DeclareCapacity(ctx, 'brain-tissue@approved', '3'));
      expect(ledger.get(ledger.key('capacity', ['brain-tissue', '1.0.0', 'lab-2']))).to.include({
        maxConcurrent: 3,
      });
      await ledger.submit(id.lab2, (ctx) => cc.scheduler.DeclareCapacity(ctx, 'brain-tissue@1.0.0', '0'));
      expect(ledger.keysUnder('capacity')).to.have.length(0);
    });

    it('refuses DeclareCapacity from a hospital with FORBIDDEN', async () => {
      const ledger = await readyLedger({ labs: [] });
      await expectCode(
        ledger.submit(id.hospitalA, (ctx) => cc.scheduler.DeclareCapacity(ctx, 'brain-tissue@1.0.0', '3')),
        'FORBIDDEN',
      );
    });

    it('refuses a bad count with INVALID_ARGUMENT and an unapproved model with FAILED_PRECONDITION', async () => {
      const ledger = await withMembers();
      await expectCode(
        ledger.submit(id.lab1, (ctx) => cc.scheduler.DeclareCapacity(ctx, 'brain-tissue@1.0.0', 'many')),
        'INVALID_ARGUMENT',
      );
      await ledger.submit(id.lab1, (ctx) => cc.models.ProposeModel(ctx, modelSpec()));
      await expectCode(
        ledger.submit(id.lab1, (ctx) => cc.scheduler.DeclareCapacity(ctx, 'brain-tissue@1.0.0', '2')),
        'FAILED_PRECONDITION',
      );
    });

    it('lists capacity for any member, refuses anonymous callers and bad references', async () => {
      const ledger = await readyLedger();
      const { result } = await ledger.evaluate(id.regulator, (ctx) =>
        cc.scheduler.ListCapacity(ctx, 'brain-tissue@1.0.0'),
      );
      expect(
        (JSON.parse(result) as { capacity: { labId: string }[] }).capacity.map((c) => c.labId),
      ).to.deep.equal(['lab-1', 'lab-2']);
      await expectCode(
        ledger.evaluate(id.anonymous, (ctx) => cc.scheduler.ListCapacity(ctx, 'brain-tissue@1.0.0')),
        'FORBIDDEN',
      );
      await expectCode(
        ledger.evaluate(id.lab1, (ctx) => cc.scheduler.ListCapacity(ctx, 'brain-tissue@latest')),
        'INVALID_ARGUMENT',
      );
    });
  });

  describe('round-robin mode', () => {
    it('assigns the eligible labs in turn', async () => {
      const ledger = await readyLedger();
      await setConfig(ledger, { schedulerMode: 'round-robin' });
      const assigned: string[] = [];
      for (let i = 0; i < 4; i += 1) assigned.push(await requestAs(ledger, `rr-${i}`));
      expect(assigned).to.deep.equal(['lab-1', 'lab-2', 'lab-1', 'lab-2']);
    });
  });

  describe('auction mode: PlaceBid and CloseAuction', () => {
    it('opens an auction, takes bids and assigns the cheapest bid after the window', async () => {
      const ledger = await readyLedger();
      await auctionRequest(ledger, 'au-1');
      expect(ledger.events.at(-1)?.name).to.equal(EventName.AuctionOpened);
      expect(ledger.get(ledger.key('request', ['au-1']))).to.include({
        status: 'pending',
        assignedLab: null,
      });
      await ledger.submit(id.lab1, (ctx) => cc.scheduler.PlaceBid(ctx, 'au-1', '30000', '7'));
      await ledger.submit(id.lab2, (ctx) => cc.scheduler.PlaceBid(ctx, 'au-1', '60000', '4'));
      await expectCode(
        ledger.submit(id.hospitalA, (ctx) => cc.scheduler.CloseAuction(ctx, 'au-1')),
        'FAILED_PRECONDITION',
      );
      ledger.advance(5_000);
      const { result, event } = await ledger.submit(id.hospitalA, (ctx) =>
        cc.scheduler.CloseAuction(ctx, 'au-1'),
      );
      expect(JSON.parse(result)).to.include({ status: 'assigned', assignedLab: 'lab-2' });
      expect(event?.name).to.equal(EventName.RequestAssigned);
      await expectCode(
        ledger.submit(id.lab1, (ctx) => cc.scheduler.PlaceBid(ctx, 'au-1', '1000', '1')),
        'FAILED_PRECONDITION',
      );
    });

    it('falls back to a weighted choice when nobody bid', async () => {
      const ledger = await readyLedger();
      await auctionRequest(ledger, 'au-1');
      ledger.advance(5_000);
      const { result } = await ledger.submit(id.lab1, (ctx) => cc.scheduler.CloseAuction(ctx, 'au-1'));
      expect(JSON.parse(result)).to.include({ status: 'assigned' });
    });

    it('refuses PlaceBid from a hospital or a lab without capacity with FORBIDDEN', async () => {
      const ledger = await readyLedger({ labs: [id.lab1] });
      await auctionRequest(ledger, 'au-1');
      await expectCode(
        ledger.submit(id.hospitalA, (ctx) => cc.scheduler.PlaceBid(ctx, 'au-1', '1000', '1')),
        'FORBIDDEN',
      );
      await expectCode(
        ledger.submit(id.lab2, (ctx) => cc.scheduler.PlaceBid(ctx, 'au-1', '1000', '1')),
        'FORBIDDEN',
      );
    });

    it('refuses a bid slower than the deadline or with a bad price with INVALID_ARGUMENT', async () => {
      const ledger = await readyLedger();
      await auctionRequest(ledger, 'au-1');
      await expectCode(
        ledger.submit(id.lab1, (ctx) => cc.scheduler.PlaceBid(ctx, 'au-1', String(2 * 3_600_000), '1')),
        'INVALID_ARGUMENT',
      );
      await expectCode(
        ledger.submit(id.lab1, (ctx) => cc.scheduler.PlaceBid(ctx, 'au-1', '1000', '-3')),
        'INVALID_ARGUMENT',
      );
    });

    it('refuses CloseAuction from the regulator with FORBIDDEN and of an assigned request with FAILED_PRECONDITION', async () => {
      const ledger = await readyLedger();
      await requestAs(ledger, 'req-1');
      await expectCode(
        ledger.submit(id.regulator, (ctx) => cc.scheduler.CloseAuction(ctx, 'req-1')),
        'FORBIDDEN',
      );
      await expectCode(
        ledger.submit(id.hospitalA, (ctx) => cc.scheduler.CloseAuction(ctx, 'req-1')),
        'FAILED_PRECONDITION',
      );
      await expectCode(
        ledger.submit(id.hospitalA, (ctx) => cc.scheduler.CloseAuction(ctx, 'nope')),
        'NOT_FOUND',
      );
    });
  });
});
