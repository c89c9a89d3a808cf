import { expect } from 'chai';
import { DEFAULT_CONFIG, approvalsNeeded } from '../../../chaincode/src/rules/config';
import { cc, expectCode, govern, id, withMembers, type ProposalAnswer } from './support/fixtures';
import { EventName } from '@veriscan/ledger-api';

const config = async (ledger: Awaited<ReturnType<typeof withMembers>>): Promise<Record<string, unknown>> =>
  JSON.parse((await ledger.evaluate(id.regulator, (ctx) => cc.config.GetConfig(ctx))).result) as Record<
    string,
    unknown
  >;

describe('Governance contract', () => {
  it('reads a stored configuration that still carries the retired maxClockSkewMs, and refuses it in a patch', async () => {
    const ledger = await withMembers();
    ledger.state.set(
      ledger.key('veriscan.config', ['current']),
      Buffer.from('{"expiryBurn":4,"maxClockSkewMs":120000}'),
    );
    expect((await config(ledger)).expiryBurn).to.equal(4);
    await expectCode(
      ledger.submit(id.hospitalAdmin, (ctx) =>
        cc.governance.Propose(ctx, JSON.stringify({ kind: 'config', patch: { maxClockSkewMs: 1000 } })),
      ),
      'INVALID_ARGUMENT',
    );
  });

  it('returns the typed defaults until a config proposal passes', async () => {
    const ledger = await withMembers();
    expect(await config(ledger)).to.deep.equal(DEFAULT_CONFIG);
  });

  it('needs more than the configured share of the electorate: 3 of 4 at 500 per mille, 4 of 4 at 1000', () => {
    expect(approvalsNeeded(4, 500)).to.equal(3);
    expect(approvalsNeeded(5, 500)).to.equal(3);
    expect(approvalsNeeded(4, 1000)).to.equal(4);
    expect(approvalsNeeded(4, 0)).to.equal(1);
    expect(approvalsNeeded(1, 500)).to.equal(1);
  });

  it('leaves one admin changing a rule alone with a pending proposal (the reproduction of issue 12)', async () => {
    const ledger = await withMembers();
    const { result, event } = await ledger.submit(id.labAdmin, (ctx) =>
      cc.governance.Propose(ctx, JSON.stringify({ kind: 'config', patch: { spotCheckPerMille: 0 } })),
    );
    const proposal = JSON.parse(result) as ProposalAnswer;
    expect(proposal).to.include({ status: 'open', required: 3 });
    expect(proposal.electorate).to.deep.equal(['hospital-a', 'hospital-b', 'lab-1', 'lab-2']);
    expect(event?.name).to.equal(EventName.ProposalOpened);
    expect((await config(ledger)).spotCheckPerMille).to.equal(DEFAULT_CONFIG.spotCheckPerMille);
    // Its own second vote does not count twice.
    await expectCode(
      ledger.submit(id.labAdmin, (ctx) => cc.governance.Vote(ctx, proposal.proposalId, 'approve')),
      'ALREADY_EXISTS',
    );
  });

  it('carries a config proposal out at the deciding vote and announces it with ProposalDecided', async () => {
    const ledger = await withMembers();
    const opened = await ledger.submit(id.labAdmin, (ctx) =>
      cc.governance.Propose(ctx, JSON.stringify({ kind: 'config', patch: { schedulerMode: 'round-robin' } })),
    );
    const { proposalId } = JSON.parse(opened.result) as ProposalAnswer;
    const second = await ledger.submit(id.hospitalAdmin, (ctx) =>
      cc.governance.Vote(ctx, proposalId, 'approve'),
    );
    expect(second.event?.name).to.equal(EventName.ProposalVoted);
    expect((await config(ledger)).schedulerMode).to.equal('weighted');
    const third = await ledger.submit(id.lab2Admin, (ctx) => cc.governance.Vote(ctx, proposalId, 'approve'));
    expect(third.event?.name).to.equal(EventName.ProposalDecided);
    expect(third.event?.payload).to.deep.include({ proposalId, kind: 'config', status: 'approved' });
    expect((await config(ledger)).schedulerMode).to.equal('round-robin');
    await expectCode(
      ledger.submit(id.hospitalBAdmin, (ctx) => cc.governance.Vote(ctx, proposalId, 'approve')),
      'FAILED_PRECONDITION',
    );
  });

  it('rejects a proposal once the required approvals are out of reach', async () => {
    const ledger = await withMembers();
    const opened = await ledger.submit(id.labAdmin, (ctx) =>
      cc.governance.Propose(ctx, JSON.stringify({ kind: 'config', patch: { expiryBurn: 0 } })),
    );
    const { proposalId } = JSON.parse(opened.result) as ProposalAnswer;
    await ledger.submit(id.hospitalAdmin, (ctx) => cc.governance.Vote(ctx, proposalId, 'reject'));
    const { result } = await ledger.submit(id.hospitalBAdmin, (ctx) =>
      cc.governance.Vote(ctx, proposalId, 'reject'),
    );
    expect(JSON.parse(result)).to.include({ status: 'rejected' });
    expect((await config(ledger)).expiryBurn).to.equal(DEFAULT_CONFIG.expiryBurn);
  });

  it('closes a proposal voted on after its expiry as expired, without counting the vote', async () => {
    const ledger = await withMembers();
    const opened = await ledger.submit(id.labAdmin, (ctx) =>
      cc.governance.Propose(ctx, JSON.stringify({ kind: 'config', patch: { expiryBurn: 0 } })),
    );
    const { proposalId } = JSON.parse(opened.result) as ProposalAnswer;
    ledger.advance(DEFAULT_CONFIG.proposalTtlMs + 1);
    const { result } = await ledger.submit(id.hospitalAdmin, (ctx) =>
      cc.governance.Vote(ctx, proposalId, 'approve'),
    );
    expect(JSON.parse(result)).to.include({ status: 'expired' });
    expect((JSON.parse(result) as { approvals: unknown }).approvals).to.deep.equal(['lab-1']);
  });

  it('lets only hospital and lab admins propose and vote: the regulator and other jobs get FORBIDDEN', async () => {
    const ledger = await withMembers();
    const body = JSON.stringify({ kind: 'config', patch: { expiryBurn: 0 } });
    for (const caller of [
      id.regulatorAdmin,
      id.regulator,
      id.hospitalA,
      id.lab1,
      id.anonymous,
      id.outsiderAdmin,
    ]) {
      await expectCode(
        ledger.submit(caller, (ctx) => cc.governance.Propose(ctx, body)),
        'FORBIDDEN',
      );
    }
    const { result } = await ledger.submit(id.hospitalAdmin, (ctx) => cc.governance.Propose(ctx, body));
    const { proposalId } = JSON.parse(result) as ProposalAnswer;
    for (const caller of [id.regulatorAdmin, id.lab1]) {
      await expectCode(
        ledger.submit(caller, (ctx) => cc.governance.Vote(ctx, proposalId, 'approve')),
        'FORBIDDEN',
      );
    }
    // The regulator watches every proposal.
    const listed = await ledger.evaluate(id.regulator, (ctx) =>
      cc.governance.ListProposals(ctx, '{"status":"open"}'),
    );
    expect(
      (JSON.parse(listed.result) as { proposals: ProposalAnswer[] }).proposals.map((p) => p.proposalId),
    ).to.deep.equal([proposalId]);
  });

  it('refuses a proposal that could not be carried out when it is opened', async () => {
    const ledger = await withMembers();
    const cases: [Record<string, unknown>, string][] = [
      [{ kind: 'config', patch: { spotCheckPerMille: 1001 } }, 'INVALID_ARGUMENT'],
      [{ kind: 'config', patch: { mode: 'x' } }, 'INVALID_ARGUMENT'],
      [{ kind: 'suspend', memberId: 'lab-9' }, 'NOT_FOUND'],
      [{ kind: 'reinstate', memberId: 'lab-1' }, 'FAILED_PRECONDITION'],
      [{ kind: 'admit', memberId: 'lab-1', mspId: 'Lab9MSP', role: 'lab' }, 'ALREADY_EXISTS'],
      [{ kind: 'admit', memberId: 'lab-9', mspId: 'Lab1MSP', role: 'lab' }, 'ALREADY_EXISTS'],
      [{ kind: 'revoke-model', modelId: 'brain-tissue', version: '9.9.9' }, 'NOT_FOUND'],
      [{ kind: 'resolve-dispute', requestId: 'req-1', faultyLab: 'none' }, 'NOT_FOUND'],
      [{ kind: 'lottery' }, 'INVALID_ARGUMENT'],
    ];
    for (const [body, code] of cases) {
      await expectCode(
        ledger.submit(id.hospitalAdmin, (ctx) => cc.governance.Propose(ctx, JSON.stringify(body))),
        code,
      );
    }
  });

  it('admits a new institution by vote; before that its admin is not a member', async () => {
    const ledger = await withMembers();
    await expectCode(
      ledger.evaluate(id.outsiderAdmin, (ctx) => cc.membership.ListMembers(ctx)),
      'FORBIDDEN',
    );
    const decided = await govern(ledger, {
      kind: 'admit',
      memberId: 'hospital-c',
      mspId: 'HospitalCMSP',
      role: 'hospital',
    });
    expect(decided).to.include({ status: 'approved' });
    const { result } = await ledger.evaluate(id.outsiderAdmin, (ctx) =>
      cc.membership.GetMember(ctx, 'hospital-c'),
    );
    expect(JSON.parse(result)).to.include({ mspId: 'HospitalCMSP', role: 'hospital', status: 'active' });
    expect((JSON.parse(result) as { approvals: unknown }).approvals).to.deep.equal([
      'HospitalAMSP',
      'HospitalBMSP',
      'Lab1MSP',
    ]);
  });

  it('suspends and reinstates a member only by vote, and a proposal overtaken meanwhile ends failed', async () => {
    const ledger = await withMembers();
    const first = await ledger.submit(id.hospitalAdmin, (ctx) =>
      cc.governance.Propose(ctx, JSON.stringify({ kind: 'suspend', memberId: 'lab-2' })),
    );
    const stale = JSON.parse(first.result) as ProposalAnswer;
    expect(await govern(ledger, { kind: 'suspend', memberId: 'lab-2' }, id.labAdmin)).to.include({
      status: 'approved',
    });
    await expectCode(
      ledger.submit(id.lab2, (ctx) => cc.scheduler.DeclareCapacity(ctx, 'brain-tissue@1.0.0', '1')),
      'FORBIDDEN',
    );
    // The earlier proposal can no longer be carried out: its deciding vote marks it failed.
    await ledger.submit(id.hospitalBAdmin, (ctx) => cc.governance.Vote(ctx, stale.proposalId, 'approve'));
    const { result } = await ledger.submit(id.labAdmin, (ctx) =>
      cc.governance.Vote(ctx, stale.proposalId, 'approve'),
    );
    expect(JSON.parse(result)).to.include({ status: 'failed' });
    expect((JSON.parse(result) as { outcome: string }).outcome).to.match(
      /FAILED_PRECONDITION: member lab-2 is suspended/,
    );
    // lab-2 is out of the electorate while suspended.
    expect((await govern(ledger, { kind: 'reinstate', memberId: 'lab-2' })).electorate).to.deep.equal([
      'hospital-a',
      'hospital-b',
      'lab-1',
    ]);
    const member = await ledger.evaluate(id.regulator, (ctx) => cc.membership.GetMember(ctx, 'lab-2'));
    expect(JSON.parse(member.result)).to.include({ status: 'active' });
  });
});
