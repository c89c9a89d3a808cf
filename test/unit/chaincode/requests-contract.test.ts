import { expect } from 'chai';
import { BatchLog, isMemberId } from '@veriscan/protocol';
import {
  batchArg,
  cc,
  expectCode,
  id,
  labIdentity,
  otherLab,
  readyLedger,
  requestArg,
  requestAs,
  resultFor,
  govern,
  setConfig,
} from './support/fixtures';
import type { TestLedger } from './support/test-ledger';
import { EventName } from '@veriscan/ledger-api';

const HOUR = 3_600_000;

async function submitResult(
  ledger: TestLedger,
  requestId: string,
  labId: string,
  options: Parameters<typeof resultFor>[2] = {},
) {
  const { trace, receipt } = resultFor(requestId, labId, options);
  return ledger.submit(labIdentity(labId), (ctx) => cc.requests.SubmitResult(ctx, requestId, trace, receipt));
}

function labLog(labId: string): BatchLog {
  if (!isMemberId(labId)) throw new Error('bad lab id');
  return new BatchLog({ lab: labId });
}

describe('Requests contract', () => {
  describe('RequestInference', () => {
    it('stores the request, assigns an eligible lab with the routine deadline and emits RequestAssigned', async () => {
      const ledger = await readyLedger();
      const { result, event } = await ledger.submit(id.hospitalA, (ctx) =>
        cc.requests.RequestInference(ctx, requestArg('req-1')),
      );
      const request = JSON.parse(result) as Record<string, unknown>;
      expect(request).to.include({
        status: 'assigned',
        hospitalId: 'hospital-a',
        modelVersion: '1.0.0',
        attempt: 1,
      });
      expect(['lab-1', 'lab-2']).to.include(request.assignedLab);
      expect(request.deadline).to.equal(new Date(ledger.nowMs + HOUR).toISOString());
      expect(ledger.keysUnder('request~hospital', ['hospital-a'])).to.have.length(1);
      expect(ledger.keysUnder('request~lab', [String(request.assignedLab)])).to.have.length(1);
      expect(event?.name).to.equal(EventName.RequestAssigned);
      expect(event?.payload).to.include({
        requestId: 'req-1',
        labId: request.assignedLab,
        priority: 'routine',
      });
    });

    it('gives a stat request a shorter deadline than a routine one', async () => {
      const ledger = await readyLedger();
      const { result } = await ledger.submit(id.hospitalA, (ctx) =>
        cc.requests.RequestInference(ctx, requestArg('req-stat', { priority: 'stat' })),
      );
      expect(JSON.parse(result)).to.include({ deadline: new Date(ledger.nowMs + 120_000).toISOString() });
    });

    it('returns the stored request without writes when the same content is sent again', async () => {
      const ledger = await readyLedger();
      await requestAs(ledger, 'req-1');
      const again = await ledger.submit(id.hospitalA, (ctx) =>
        cc.requests.RequestInference(ctx, requestArg('req-1')),
      );
      expect(again.writes.size).to.equal(0);
      expect(again.event).to.equal(null);
    });

    it('refuses the same request id with different content with CONFLICT', async () => {
      const ledger = await readyLedger();
      await requestAs(ledger, 'req-1');
      await expectCode(
        ledger.submit(id.hospitalA, (ctx) =>
          cc.requests.RequestInference(ctx, requestArg('req-1', { priority: 'urgent' })),
        ),
        'CONFLICT',
      );
      await expectCode(
        ledger.submit(id.hospitalB, (ctx) => cc.requests.RequestInference(ctx, requestArg('req-1'))),
        'CONFLICT',
      );
    });

    it('refuses RequestInference from a lab with FORBIDDEN', async () => {
      const ledger = await readyLedger();
      await expectCode(
        ledger.submit(id.lab1, (ctx) => cc.requests.RequestInference(ctx, requestArg('req-1'))),
        'FORBIDDEN',
      );
    });

    it('refuses a malformed commitment, an unknown priority or an extra field with INVALID_ARGUMENT', async () => {
      const ledger = await readyLedger();
      for (const override of [
        { scanCommitment: 'not-a-hash' },
        { priority: 'asap' },
        { patientName: 'Jane Doe' },
        { requestId: 'a b' },
      ]) {
        await expectCode(
          ledger.submit(id.hospitalA, (ctx) =>
            cc.requests.RequestInference(ctx, requestArg('req-1', override)),
          ),
          'INVALID_ARGUMENT',
        );
      }
      expect(ledger.keysUnder('request')).to.have.length(0);
    });

    it('refuses a model that is not approved, or has no serving lab, with FAILED_PRECONDITION', async () => {
      const ledger = await readyLedger({ labs: [] });
      await expectCode(
        ledger.submit(id.hospitalA, (ctx) => cc.requests.RequestInference(ctx, requestArg('req-1'))),
        'FAILED_PRECONDITION',
      );
      await govern(ledger, { kind: 'revoke-model', modelId: 'brain-tissue', version: '1.0.0' });
      await expectCode(
        ledger.submit(id.hospitalA, (ctx) => cc.requests.RequestInference(ctx, requestArg('req-1'))),
        'FAILED_PRECONDITION',
      );
    });

    it('never assigns a suspended lab', async () => {
      const ledger = await readyLedger();
      expect(await govern(ledger, { kind: 'suspend', memberId: 'lab-1' })).to.include({ status: 'approved' });
      for (let i = 0; i < 10; i += 1) expect(await requestAs(ledger, `req-${i}`)).to.equal('lab-2');
    });
  });

  describe('SubmitResult', () => {
    it('stores the receipt, completes the request, mints the top tier and emits ResultCommitted', async () => {
      const ledger = await readyLedger();
      const lab = await requestAs(ledger, 'req-1');
      ledger.advance(60_000); // 1 minute of a 1 hour budget: within the 25 % tier
      const { event } = await submitResult(ledger, 'req-1', lab);
      expect(ledger.get(ledger.key('request', ['req-1']))).to.include({ status: 'completed' });
      expect(ledger.get(ledger.key('receipt', ['req-1']))).to.include({
        labId: lab,
        latencyMs: 60_000,
        batch: null,
      });
      expect(ledger.get(ledger.key('rep-credit', [lab, 'mint:req-1']))).to.include({
        amount: 3,
        reason: 'mint',
      });
      expect(event?.name).to.equal(EventName.ResultCommitted);
      expect(event?.payload).to.deep.include({
        requestId: 'req-1',
        labId: lab,
        reputation: { entryId: 'mint:req-1', kind: 'credit', amount: 3 },
      });
    });

    it('returns the stored receipt without writes when the same result is submitted again', async () => {
      const ledger = await readyLedger();
      const lab = await requestAs(ledger, 'req-1');
      await submitResult(ledger, 'req-1', lab);
      const again = await submitResult(ledger, 'req-1', lab);
      expect(again.writes.size).to.equal(0);
      const other = resultFor('req-1', lab, { variant: 1 });
      await expectCode(
        ledger.submit(labIdentity(lab), (ctx) =>
          cc.requests.SubmitResult(ctx, 'req-1', other.trace, other.receipt),
        ),
        'CONFLICT',
      );
    });

    it('refuses SubmitResult from a lab the request is not assigned to with FORBIDDEN', async () => {
      const ledger = await readyLedger();
      const lab = await requestAs(ledger, 'req-1');
      const intruder = otherLab(lab);
      const { trace, receipt } = resultFor('req-1', intruder.name);
      await expectCode(
        ledger.submit(intruder, (ctx) => cc.requests.SubmitResult(ctx, 'req-1', trace, receipt)),
        'FORBIDDEN',
      );
    });

    it('refuses a trace whose model hash differs from the registered one with INVALID_ARGUMENT', async () => {
      const ledger = await readyLedger();
      const lab = await requestAs(ledger, 'req-1');
      const { trace, receipt } = resultFor('req-1', lab, {
        modelHash: resultFor('x', lab).receiptValue.traceHash,
      });
      const message = await expectCode(
        ledger.submit(labIdentity(lab), (ctx) => cc.requests.SubmitResult(ctx, 'req-1', trace, receipt)),
        'INVALID_ARGUMENT',
      );
      expect(message).to.include('trace.model.hash');
    });

    it('refuses a receipt that does not carry the trace hash, or a trace with an unknown field, with INVALID_ARGUMENT', async () => {
      const ledger = await readyLedger();
      const lab = await requestAs(ledger, 'req-1');
      const mine = resultFor('req-1', lab);
      const other = resultFor('req-1', lab, { variant: 2 });
      await expectCode(
        ledger.submit(labIdentity(lab), (ctx) =>
          cc.requests.SubmitResult(ctx, 'req-1', other.trace, mine.receipt),
        ),
        'INVALID_ARGUMENT',
      );
      const extra = JSON.stringify({ ...(JSON.parse(mine.trace) as object), patient: 'Jane' });
      await expectCode(
        ledger.submit(labIdentity(lab), (ctx) => cc.requests.SubmitResult(ctx, 'req-1', extra, mine.receipt)),
        'INVALID_ARGUMENT',
      );
      expect(ledger.get(ledger.key('request', ['req-1']))).to.include({ status: 'assigned' });
    });

    it('refuses a trace of another scan (commitments differ) with INVALID_ARGUMENT', async () => {
      const ledger = await readyLedger();
      const lab = await requestAs(ledger, 'req-1');
      const foreign = resultFor('req-2', lab);
      const receipt = JSON.stringify({ ...foreign.receiptValue, requestId: 'req-1' });
      await expectCode(
        ledger.submit(labIdentity(lab), (ctx) =>
          cc.requests.SubmitResult(ctx, 'req-1', foreign.trace, receipt),
        ),
        'INVALID_ARGUMENT',
      );
    });

    it("refuses a receipt whose output commitment is not the trace's, even with the trace hash right, with INVALID_ARGUMENT", async () => {
      const ledger = await readyLedger();
      const lab = await requestAs(ledger, 'req-1');
      const mine = resultFor('req-1', lab);
      const other = resultFor('req-1', lab, { variant: 1 });
      const mixed = JSON.stringify({
        ...mine.receiptValue,
        outputCommitment: other.receiptValue.outputCommitment,
      });
      const message = await expectCode(
        ledger.submit(labIdentity(lab), (ctx) => cc.requests.SubmitResult(ctx, 'req-1', mine.trace, mixed)),
        'INVALID_ARGUMENT',
      );
      expect(message).to.include('receipt.outputCommitment');
      expect(ledger.get(ledger.key('request', ['req-1']))).to.include({ status: 'assigned' });
    });

    it('burns reputation for a result after the deadline', async () => {
      const ledger = await readyLedger();
      const lab = await requestAs(ledger, 'req-1');
      ledger.advance(2 * HOUR);
      await submitResult(ledger, 'req-1', lab);
      expect(ledger.get(ledger.key('rep-debit', [lab, 'late:req-1:1']))).to.include({ amount: 1 });
      expect(ledger.keysUnder('rep-credit', [lab])).to.have.length(0);
    });

    it('refuses a backdated result (before the assignment) with FAILED_PRECONDITION', async () => {
      const ledger = await readyLedger();
      const lab = await requestAs(ledger, 'req-1');
      const { trace, receipt } = resultFor('req-1', lab);
      const submit = (timeMs: number) =>
        ledger.submit(labIdentity(lab), (ctx) => cc.requests.SubmitResult(ctx, 'req-1', trace, receipt), {
          timeMs,
        });
      await expectCode(submit(ledger.nowMs - 1000), 'FAILED_PRECONDITION');
    });

    it('refuses a result for a revoked model with FAILED_PRECONDITION', async () => {
      const ledger = await readyLedger();
      const lab = await requestAs(ledger, 'req-1');
      await govern(ledger, { kind: 'revoke-model', modelId: 'brain-tissue', version: '1.0.0' });
      await expectCode(submitResult(ledger, 'req-1', lab), 'FAILED_PRECONDITION');
    });

    it('refuses a result for an unknown request with NOT_FOUND', async () => {
      const ledger = await readyLedger();
      await expectCode(submitResult(ledger, 'req-missing', 'lab-1'), 'NOT_FOUND');
    });
  });

  describe('AnchorBatch', () => {
    async function twoRequestsFor(ledger: TestLedger): Promise<{ lab: string; ids: string[] }> {
      const ids: string[] = [];
      let lab = '';
      for (let i = 0; ids.length < 2 && i < 50; i += 1) {
        const assigned = await requestAs(ledger, `req-${i}`);
        if (lab === '') lab = assigned;
        if (assigned === lab) ids.push(`req-${i}`);
      }
      return { lab, ids };
    }

    it('anchors a batch, completes every request in it with its batch reference and emits BatchAnchored', async () => {
      const ledger = await readyLedger();
      const { lab, ids } = await twoRequestsFor(ledger);
      const log = labLog(lab);
      const arg = batchArg(
        log,
        ids.map((rid) => resultFor(rid, lab).receiptValue),
      );
      const { event } = await ledger.submit(labIdentity(lab), (ctx) => cc.requests.AnchorBatch(ctx, arg));
      expect(ledger.get(ledger.key('batch', [lab, '000000000000']))).to.include({ count: 2, sequence: 0 });
      for (const [index, rid] of ids.entries()) {
        expect(ledger.get(ledger.key('request', [rid]))).to.include({ status: 'completed' });
        expect((ledger.get(ledger.key('receipt', [rid])) as { batch: unknown }).batch).to.deep.include({
          sequence: 0,
          index,
        });
      }
      expect(event?.name).to.equal(EventName.BatchAnchored);
      expect(event?.payload).to.deep.include({ labId: lab, sequence: 0, count: 2, requestIds: ids });
    });

    it('returns the stored anchor for the same batch again and refuses a gap in the sequence with FAILED_PRECONDITION', async () => {
      const ledger = await readyLedger();
      const { lab, ids } = await twoRequestsFor(ledger);
      const receipts = ids.map((rid) => resultFor(rid, lab).receiptValue);
      const arg = batchArg(labLog(lab), receipts);
      await ledger.submit(labIdentity(lab), (ctx) => cc.requests.AnchorBatch(ctx, arg));
      const again = await ledger.submit(labIdentity(lab), (ctx) => cc.requests.AnchorBatch(ctx, arg));
      expect(again.writes.size).to.equal(0);
      const skipping = labLog(lab);
      batchArg(skipping, receipts); // sequence 0, anchored above
      batchArg(skipping, receipts.slice(0, 1)); // sequence 1, never anchored
      const gap = batchArg(skipping, receipts.slice(1)); // sequence 2
      await expectCode(
        ledger.submit(labIdentity(lab), (ctx) => cc.requests.AnchorBatch(ctx, gap)),
        'FAILED_PRECONDITION',
      );
    });

    it('refuses a batch holding a request assigned to another lab with FORBIDDEN and writes nothing', async () => {
      const ledger = await readyLedger();
      const lab = await requestAs(ledger, 'req-1');
      const other = otherLab(lab);
      const arg = batchArg(labLog(other.name), [resultFor('req-1', other.name).receiptValue]);
      await expectCode(
        ledger.submit(other, (ctx) => cc.requests.AnchorBatch(ctx, arg)),
        'FORBIDDEN',
      );
      expect(ledger.keysUnder('batch')).to.have.length(0);
    });

    it('refuses a root that is not over the receipts, or a request listed twice, with INVALID_ARGUMENT', async () => {
      const ledger = await readyLedger();
      const lab = await requestAs(ledger, 'req-1');
      const good = JSON.parse(batchArg(labLog(lab), [resultFor('req-1', lab).receiptValue])) as {
        anchor: { root: string };
      };
      const forged = JSON.stringify({ ...good, anchor: { ...good.anchor, root: 'f'.repeat(64) } });
      await expectCode(
        ledger.submit(labIdentity(lab), (ctx) => cc.requests.AnchorBatch(ctx, forged)),
        'INVALID_ARGUMENT',
      );
      const receipt = resultFor('req-1', lab).receiptValue;
      const pair = JSON.parse(
        batchArg(labLog(lab), [receipt, resultFor('req-2', lab).receiptValue]),
      ) as object;
      const twice = JSON.stringify({ ...pair, receipts: [receipt, receipt] });
      await expectCode(
        ledger.submit(labIdentity(lab), (ctx) => cc.requests.AnchorBatch(ctx, twice)),
        'INVALID_ARGUMENT',
      );
    });

    it('refuses AnchorBatch from a hospital with FORBIDDEN', async () => {
      const ledger = await readyLedger();
      const lab = await requestAs(ledger, 'req-1');
      const arg = batchArg(labLog(lab), [resultFor('req-1', lab).receiptValue]);
      await expectCode(
        ledger.submit(id.hospitalA, (ctx) => cc.requests.AnchorBatch(ctx, arg)),
        'FORBIDDEN',
      );
    });
  });

  describe('ExpireRequest', () => {
    it('debits the late lab and reassigns the request to the other lab after the deadline', async () => {
      const ledger = await readyLedger();
      const late = await requestAs(ledger, 'req-1');
      ledger.advance(HOUR + 1);
      const { result, event } = await ledger.submit(id.hospitalB, (ctx) =>
        cc.requests.ExpireRequest(ctx, 'req-1'),
      );
      const request = JSON.parse(result) as Record<string, unknown>;
      expect(request).to.deep.include({
        status: 'assigned',
        assignedLab: otherLab(late).name,
        attempt: 2,
        previousLabs: [late],
      });
      expect(ledger.get(ledger.key('rep-debit', [late, 'expire:req-1:1']))).to.include({ amount: 5 });
      expect(ledger.keysUnder('request~lab', [late])).to.have.length(0);
      expect(event?.payload).to.include({ labId: otherLab(late).name, previousLab: late, attempt: 2 });
    });

    it('marks the request expired when no lab that has not held it is left', async () => {
      const ledger = await readyLedger();
      await requestAs(ledger, 'req-1');
      ledger.advance(HOUR + 1);
      await ledger.submit(id.lab1, (ctx) => cc.requests.ExpireRequest(ctx, 'req-1'));
      ledger.advance(HOUR + 1);
      const { result, event } = await ledger.submit(id.lab1, (ctx) =>
        cc.requests.ExpireRequest(ctx, 'req-1'),
      );
      expect(JSON.parse(result)).to.include({ status: 'expired', assignedLab: null });
      expect(event?.name).to.equal(EventName.RequestExpired);
    });

    it('refuses expiring before the deadline with FAILED_PRECONDITION', async () => {
      const ledger = await readyLedger();
      await requestAs(ledger, 'req-1');
      await expectCode(
        ledger.submit(id.hospitalA, (ctx) => cc.requests.ExpireRequest(ctx, 'req-1')),
        'FAILED_PRECONDITION',
      );
    });

    it('refuses ExpireRequest from the regulator with FORBIDDEN and a bad id with INVALID_ARGUMENT', async () => {
      const ledger = await readyLedger();
      await requestAs(ledger, 'req-1');
      ledger.advance(HOUR + 1);
      await expectCode(
        ledger.submit(id.regulator, (ctx) => cc.requests.ExpireRequest(ctx, 'req-1')),
        'FORBIDDEN',
      );
      await expectCode(
        ledger.submit(id.hospitalA, (ctx) => cc.requests.ExpireRequest(ctx, '')),
        'INVALID_ARGUMENT',
      );
    });
  });

  describe('SubmitSpotCheck and dispute resolution', () => {
    async function spotChecked(ledger: TestLedger): Promise<{ lab: string; checker: string }> {
      await setConfig(ledger, { spotCheckPerMille: 1000 });
      const lab = await requestAs(ledger, 'req-1');
      const { event } = await submitResult(ledger, 'req-1', lab);
      const spot = (event?.payload as { spotCheck: { checkerLab: string } | null }).spotCheck;
      if (spot === null) throw new Error('no spot check drawn');
      return { lab, checker: spot.checkerLab };
    }

    it('draws a spot check for a second lab and rewards both labs when the outputs agree', async () => {
      const ledger = await readyLedger();
      const { lab, checker } = await spotChecked(ledger);
      expect(checker).to.equal(otherLab(lab).name);
      const { trace, receipt } = resultFor('req-1', checker);
      const { event } = await ledger.submit(labIdentity(checker), (ctx) =>
        cc.requests.SubmitSpotCheck(ctx, 'req-1', trace, receipt),
      );
      expect(event).to.deep.equal({
        name: EventName.SpotCheckPassed,
        payload: { requestId: 'req-1', labId: lab, checkerLab: checker },
      });
      expect(ledger.get(ledger.key('rep-credit', [lab, 'spot:req-1']))).to.include({ amount: 1 });
      expect(ledger.get(ledger.key('rep-credit', [checker, 'spot:req-1']))).to.include({ amount: 1 });
    });

    it('opens a dispute visible to the regulator when the outputs differ, and burns the lab found wrong on resolution', async () => {
      const ledger = await readyLedger();
      const { lab, checker } = await spotChecked(ledger);
      const { trace, receipt } = resultFor('req-1', checker, { variant: 1 });
      const { event } = await ledger.submit(labIdentity(checker), (ctx) =>
        cc.requests.SubmitSpotCheck(ctx, 'req-1', trace, receipt),
      );
      expect(event?.name).to.equal(EventName.DisputeOpened);
      const seen = await ledger.evaluate(id.regulator, (ctx) => cc.requests.GetSpotCheck(ctx, 'req-1'));
      expect(JSON.parse(seen.result)).to.include({ status: 'disputed' });
      expect(ledger.get(ledger.key('request', ['req-1']))).to.include({ status: 'disputed' });
      const resolve = (faultyLab: string): string =>
        JSON.stringify({ kind: 'resolve-dispute', requestId: 'req-1', faultyLab });
      // The two labs are parties: neither proposes nor votes on the resolution.
      await expectCode(
        ledger.submit(id.labAdmin, (ctx) => cc.governance.Propose(ctx, resolve(lab))),
        'FORBIDDEN',
      );
      await expectCode(
        ledger.submit(id.hospitalAdmin, (ctx) => cc.governance.Propose(ctx, resolve('lab-9'))),
        'INVALID_ARGUMENT',
      );
      const opened = await ledger.submit(id.hospitalAdmin, (ctx) =>
        cc.governance.Propose(ctx, resolve(checker)),
      );
      const proposal = JSON.parse(opened.result) as {
        proposalId: string;
        electorate: string[];
        required: number;
      };
      expect(proposal.electorate).to.deep.equal(['hospital-a', 'hospital-b']);
      expect(proposal.required).to.equal(2);
      await expectCode(
        ledger.submit(id.lab2Admin, (ctx) => cc.governance.Vote(ctx, proposal.proposalId, 'approve')),
        'FORBIDDEN',
      );
      expect(ledger.get(ledger.key('request', ['req-1']))).to.include({ status: 'disputed' });
      await ledger.submit(id.hospitalBAdmin, (ctx) =>
        cc.governance.Vote(ctx, proposal.proposalId, 'approve'),
      );
      expect(ledger.get(ledger.key('rep-debit', [checker, 'dispute:req-1']))).to.include({ amount: 10 });
      expect(ledger.get(ledger.key('request', ['req-1']))).to.include({ status: 'completed' });
      await expectCode(
        ledger.submit(id.hospitalAdmin, (ctx) => cc.governance.Propose(ctx, resolve('none'))),
        'FAILED_PRECONDITION',
      );
    });

    it('refuses a spot check from a lab that was not drawn with FORBIDDEN and a bad trace with INVALID_ARGUMENT', async () => {
      const ledger = await readyLedger();
      const { lab, checker } = await spotChecked(ledger);
      const own = resultFor('req-1', lab);
      await expectCode(
        ledger.submit(labIdentity(lab), (ctx) =>
          cc.requests.SubmitSpotCheck(ctx, 'req-1', own.trace, own.receipt),
        ),
        'FORBIDDEN',
      );
      const bad = resultFor('req-1', checker);
      await expectCode(
        ledger.submit(labIdentity(checker), (ctx) =>
          cc.requests.SubmitSpotCheck(ctx, 'req-1', '{}', bad.receipt),
        ),
        'INVALID_ARGUMENT',
      );
    });

    it('answers NOT_FOUND for a request without a spot check', async () => {
      const ledger = await readyLedger();
      const lab = await requestAs(ledger, 'req-1');
      const { trace, receipt } = resultFor('req-1', lab);
      await expectCode(
        ledger.submit(labIdentity(lab), (ctx) => cc.requests.SubmitSpotCheck(ctx, 'req-1', trace, receipt)),
        'NOT_FOUND',
      );
    });
  });

  describe('GetRequest, ListRequests, GetReceipt and GetBatch', () => {
    it('shows a hospital its own request and hides it from another hospital as NOT_FOUND', async () => {
      const ledger = await readyLedger();
      await requestAs(ledger, 'req-1');
      const own = await ledger.evaluate(id.hospitalA, (ctx) => cc.requests.GetRequest(ctx, 'req-1'));
      expect(JSON.parse(own.result)).to.include({ requestId: 'req-1' });
      await expectCode(
        ledger.evaluate(id.hospitalB, (ctx) => cc.requests.GetRequest(ctx, 'req-1')),
        'NOT_FOUND',
      );
    });

    it('shows a lab the requests assigned to it only, and the regulator all of them', async () => {
      const ledger = await readyLedger();
      const lab = await requestAs(ledger, 'req-1');
      await ledger.evaluate(labIdentity(lab), (ctx) => cc.requests.GetRequest(ctx, 'req-1'));
      await expectCode(
        ledger.evaluate(otherLab(lab), (ctx) => cc.requests.GetRequest(ctx, 'req-1')),
        'NOT_FOUND',
      );
      await ledger.evaluate(id.regulator, (ctx) => cc.requests.GetRequest(ctx, 'req-1'));
    });

    it("lets a hospital's admin read its own requests only, refuses a jobless caller and a bad id", async () => {
      const ledger = await readyLedger();
      await requestAs(ledger, 'req-1');
      await ledger.evaluate(id.hospitalAdmin, (ctx) => cc.requests.GetRequest(ctx, 'req-1'));
      await expectCode(
        ledger.evaluate(id.hospitalBAdmin, (ctx) => cc.requests.GetRequest(ctx, 'req-1')),
        'NOT_FOUND',
      );
      await expectCode(
        ledger.evaluate(id.anonymous, (ctx) => cc.requests.GetRequest(ctx, 'req-1')),
        'FORBIDDEN',
      );
      await expectCode(
        ledger.evaluate(id.hospitalA, (ctx) => cc.requests.GetRequest(ctx, 'req 1')),
        'INVALID_ARGUMENT',
      );
    });

    it('pages through a hospital own requests with bookmarks and never returns another hospital request', async () => {
      const ledger = await readyLedger();
      for (let i = 0; i < 5; i += 1) await requestAs(ledger, `a-${i}`);
      for (let i = 0; i < 3; i += 1) await requestAs(ledger, `b-${i}`, id.hospitalB);
      const seen: string[] = [];
      let bookmark = '';
      let pages = 0;
      do {
        const { result } = await ledger.evaluate(id.hospitalA, (ctx) =>
          cc.requests.ListRequests(ctx, '{}', '2', bookmark),
        );
        const page = JSON.parse(result) as { requests: { requestId: string }[]; bookmark: string };
        seen.push(...page.requests.map((r) => r.requestId));
        bookmark = page.bookmark;
        pages += 1;
      } while (bookmark !== '' && pages < 10);
      expect(seen).to.deep.equal(['a-0', 'a-1', 'a-2', 'a-3', 'a-4']);
      expect(pages).to.equal(3);
      const all = await ledger.evaluate(id.regulator, (ctx) =>
        cc.requests.ListRequests(ctx, '{}', '100', ''),
      );
      expect((JSON.parse(all.result) as { requests: unknown[] }).requests).to.have.length(8);
      const byB = await ledger.evaluate(id.regulator, (ctx) =>
        cc.requests.ListRequests(ctx, '{"hospitalId":"hospital-b"}', '100', ''),
      );
      expect((JSON.parse(byB.result) as { requests: unknown[] }).requests).to.have.length(3);
    });

    it('answers a hospital with no requests with an empty page and an empty bookmark', async () => {
      const ledger = await readyLedger();
      await requestAs(ledger, 'a-0');
      const { result } = await ledger.evaluate(id.hospitalB, (ctx) =>
        cc.requests.ListRequests(ctx, '{}', '100', ''),
      );
      expect(JSON.parse(result)).to.deep.equal({ requests: [], bookmark: '', fetched: 0 });
    });

    it('refuses a hospital listing another hospital with FORBIDDEN and a bad page size with INVALID_ARGUMENT', async () => {
      const ledger = await readyLedger();
      await expectCode(
        ledger.evaluate(id.hospitalA, (ctx) =>
          cc.requests.ListRequests(ctx, '{"hospitalId":"hospital-b"}', '10', ''),
        ),
        'FORBIDDEN',
      );
      await expectCode(
        ledger.evaluate(id.hospitalA, (ctx) => cc.requests.ListRequests(ctx, '{}', '0', '')),
        'INVALID_ARGUMENT',
      );
      await expectCode(
        ledger.evaluate(id.hospitalA, (ctx) => cc.requests.ListRequests(ctx, '{}', '1000', '')),
        'INVALID_ARGUMENT',
      );
    });

    it('returns the receipt to the hospital and NOT_FOUND before completion', async () => {
      const ledger = await readyLedger();
      const lab = await requestAs(ledger, 'req-1');
      await expectCode(
        ledger.evaluate(id.hospitalA, (ctx) => cc.requests.GetReceipt(ctx, 'req-1')),
        'NOT_FOUND',
      );
      await submitResult(ledger, 'req-1', lab);
      const { result } = await ledger.evaluate(id.hospitalA, (ctx) => cc.requests.GetReceipt(ctx, 'req-1'));
      expect(JSON.parse(result)).to.include({ requestId: 'req-1', labId: lab });
      await expectCode(
        ledger.evaluate(id.hospitalB, (ctx) => cc.requests.GetReceipt(ctx, 'req-1')),
        'NOT_FOUND',
      );
      await expectCode(
        ledger.evaluate(id.anonymous, (ctx) => cc.requests.GetReceipt(ctx, 'req-1')),
        'FORBIDDEN',
      );
    });

    it('returns an anchored batch to any member, NOT_FOUND for a missing one and INVALID_ARGUMENT for a bad sequence', async () => {
      const ledger = await readyLedger();
      const lab = await requestAs(ledger, 'req-1');
      const arg = batchArg(labLog(lab), [resultFor('req-1', lab).receiptValue]);
      await ledger.submit(labIdentity(lab), (ctx) => cc.requests.AnchorBatch(ctx, arg));
      const { result } = await ledger.evaluate(id.hospitalB, (ctx) => cc.requests.GetBatch(ctx, lab, '0'));
      expect(JSON.parse(result)).to.include({ labId: lab, sequence: 0, count: 1 });
      await expectCode(
        ledger.evaluate(id.hospitalB, (ctx) => cc.requests.GetBatch(ctx, lab, '1')),
        'NOT_FOUND',
      );
      await expectCode(
        ledger.evaluate(id.hospitalB, (ctx) => cc.requests.GetBatch(ctx, lab, '-1')),
        'INVALID_ARGUMENT',
      );
      await expectCode(
        ledger.evaluate(id.anonymous, (ctx) => cc.requests.GetBatch(ctx, lab, '0')),
        'FORBIDDEN',
      );
    });
  });
});
