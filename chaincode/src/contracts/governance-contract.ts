import { Info, Returns, Transaction } from 'fabric-contract-api';
import {
  parseProposal,
  parseProposalBody,
  proposalJson,
  ProposalStatus,
  type Proposal,
} from '../domain/proposal';
import { authorize, type Actor } from '../rules/authorize';
import { approvalsNeeded, type ChaincodeConfig } from '../rules/config';
// A value import, not `import type`: decorator metadata must name the class so that
// fabric-contract-api recognises the first parameter as the context and not as an argument.
import { VeriscanContext } from '../infra/context';
import { ChaincodeError, fail } from '../infra/errors';
import { EventName, emit } from '../infra/events';
import { canonicalJson, parseJsonText } from '../infra/json';
import { KeyType } from '../infra/keys';
import { parseObject } from '../infra/reader';
import { formatTime, oneOf, txId } from '../infra/scalars';
import { readRecord, scanRecords, writeRecord } from '../infra/state';
import { txTimeMs } from '../infra/time';
import { votingMembers } from '../services/electorate';
import { approvingMsps, partiesTo, planEffect } from '../services/governance';
import { VeriscanContract } from './veriscan-contract';
import { ContractName, Tx } from '@veriscan/ledger-api/wire';

const Decision = ['approve', 'reject'] as const;

/**
 * Consortium governance: rule changes, admission, suspension and reinstatement of members, dispute
 * resolution and model revocation are proposals that take effect only once
 * `⌊n·proposalApprovalPerMille/1000⌋ + 1` of the n voting institutions approved (the active
 * hospitals and labs, fixed when the proposal opens; the two labs of a dispute do not vote on it).
 * Each institution votes once, through its admin. The regulator reads every proposal and votes on none.
 */
@Info({ title: 'Governance', description: 'Proposals and votes by the consortium institutions' })
export class GovernanceContract extends VeriscanContract {
  constructor() {
    super(ContractName.Governance);
  }

  /**
   * Opens a proposal with the caller's institution's approval as its first vote; with a
   * one-institution electorate it is carried out at once. `body` is JSON `{kind, ...}`:
   * `config {patch}`, `admit {memberId, mspId, role, endpoint?}`, `suspend {memberId}`,
   * `reinstate {memberId}`, `resolve-dispute {requestId, faultyLab}` (faultyLab: one of the two
   * labs or `none`), `revoke-model {modelId, version}`. The body is checked against the ledger now.
   * Callers: a hospital's or lab's admin. Errors: FORBIDDEN (not a voter, or a party to the dispute),
   * INVALID_ARGUMENT, NOT_FOUND, ALREADY_EXISTS, FAILED_PRECONDITION (cannot be carried out).
   * Event: ProposalOpened `{proposalId, kind, proposedBy, required, expiresAt}`, or ProposalDecided.
   */
  @Transaction()
  @Returns('string')
  async Propose(ctx: VeriscanContext, body: string): Promise<string> {
    const { actor, config } = await authorize(ctx, Tx.Propose);
    const parsed = parseProposalBody(parseJsonText(body, 'body'), 'body');
    await planEffect(ctx, parsed, config);
    const parties = await partiesTo(ctx, parsed);
    const electorate = (await votingMembers(ctx))
      .map((m) => m.memberId)
      .filter((id) => !parties.includes(id));
    if (!electorate.includes(actor.memberId))
      fail('FORBIDDEN', `${actor.memberId} is a party to this proposal and may not vote on it`);
    const now = txTimeMs(ctx);
    const proposal: Proposal = {
      proposalId: ctx.stub.getTxID(),
      body: parsed,
      proposedBy: actor.memberId,
      electorate,
      required: approvalsNeeded(electorate.length, config.proposalApprovalPerMille),
      approvals: [actor.memberId],
      rejections: [],
      status: 'open',
      outcome: '',
      createdAt: formatTime(now),
      expiresAt: formatTime(now + config.proposalTtlMs),
      decidedAt: null,
    };
    const settled = await settle(ctx, config, proposal);
    await writeRecord(ctx, KeyType.proposal, [proposal.proposalId], proposalJson(settled));
    if (settled.status === 'open') {
      emit(ctx, EventName.ProposalOpened, {
        proposalId: settled.proposalId,
        kind: settled.body.kind,
        proposedBy: settled.proposedBy,
        required: settled.required,
        expiresAt: settled.expiresAt,
      });
    } else emitDecided(ctx, settled);
    return canonicalJson(proposalJson(settled));
  }

  /**
   * The caller's institution's vote on an open proposal (`decision`: approve | reject). The vote
   * that reaches `required` approvals carries the proposal out (`approved`, or `failed` with the
   * reason when it can no longer be); the one that makes it unreachable rejects it. A vote after
   * `expiresAt` closes it as `expired` instead of counting.
   * Callers: the admin of an institution in the proposal's electorate.
   * Errors: FORBIDDEN (not in the electorate), INVALID_ARGUMENT, NOT_FOUND,
   * ALREADY_EXISTS (this institution voted), FAILED_PRECONDITION (already decided).
   * Event: ProposalVoted `{proposalId, memberId, approve, approvals, rejections}` or ProposalDecided
   * `{proposalId, kind, status, outcome}`.
   */
  @Transaction()
  @Returns('string')
  async Vote(ctx: VeriscanContext, proposalId: string, decision: string): Promise<string> {
    const { actor, config } = await authorize(ctx, Tx.Vote);
    const approve = oneOf(Decision)(decision, 'decision') === 'approve';
    const proposal = await requireProposal(ctx, proposalId);
    if (proposal.status !== 'open')
      fail('FAILED_PRECONDITION', `proposal ${proposal.proposalId} is ${proposal.status}`);
    const now = txTimeMs(ctx);
    if (now > Date.parse(proposal.expiresAt)) {
      const expired = decided(ctx, proposal, 'expired', `no decision before ${proposal.expiresAt}`);
      await writeRecord(ctx, KeyType.proposal, [proposal.proposalId], proposalJson(expired));
      emitDecided(ctx, expired);
      return canonicalJson(proposalJson(expired));
    }
    requireVoter(actor, proposal);
    const voted: Proposal = approve
      ? { ...proposal, approvals: [...proposal.approvals, actor.memberId] }
      : { ...proposal, rejections: [...proposal.rejections, actor.memberId] };
    const settled = await settle(ctx, config, voted);
    await writeRecord(ctx, KeyType.proposal, [proposal.proposalId], proposalJson(settled));
    if (settled.status === 'open') {
      emit(ctx, EventName.ProposalVoted, {
        proposalId: settled.proposalId,
        memberId: actor.memberId,
        approve,
        approvals: settled.approvals.length,
        rejections: settled.rejections.length,
      });
    } else emitDecided(ctx, settled);
    return canonicalJson(proposalJson(settled));
  }

  /** Returns one proposal. Callers: any user of an active member. Errors: FORBIDDEN, INVALID_ARGUMENT, NOT_FOUND. */
  @Transaction(false)
  @Returns('string')
  async GetProposal(ctx: VeriscanContext, proposalId: string): Promise<string> {
    await authorize(ctx, Tx.GetProposal);
    return canonicalJson(proposalJson(await requireProposal(ctx, proposalId)));
  }

  /**
   * Lists proposals newest first as `{proposals: [...]}`; `filter` is JSON `{status?}` ("{}" for
   * all). Callers: any user of an active member (the regulator included). Errors: FORBIDDEN, INVALID_ARGUMENT.
   */
  @Transaction(false)
  @Returns('string')
  async ListProposals(ctx: VeriscanContext, filter: string): Promise<string> {
    await authorize(ctx, Tx.ListProposals);
    const { status } = parseObject(parseJsonText(filter, 'filter'), 'filter', (r) => ({
      status: r.optional('status', oneOf(ProposalStatus)),
    }));
    const rows = await scanRecords(ctx, KeyType.proposal, [], parseProposal);
    const proposals = rows
      .map((row) => row.value)
      .filter((p) => status === undefined || p.status === status)
      .sort((a, b) =>
        a.createdAt === b.createdAt
          ? a.proposalId.localeCompare(b.proposalId)
          : b.createdAt.localeCompare(a.createdAt),
      );
    return canonicalJson({ proposals: proposals.map(proposalJson) });
  }
}

async function requireProposal(ctx: VeriscanContext, raw: string): Promise<Proposal> {
  const id = txId(raw, 'proposalId');
  const proposal = await readRecord(ctx, KeyType.proposal, [id], parseProposal);
  if (proposal === undefined) return fail('NOT_FOUND', `proposal ${id} does not exist`);
  return proposal;
}

function requireVoter(actor: Actor, proposal: Proposal): void {
  if (!proposal.electorate.includes(actor.memberId))
    fail('FORBIDDEN', `${actor.memberId} does not vote on proposal ${proposal.proposalId}`);
  if (proposal.approvals.includes(actor.memberId) || proposal.rejections.includes(actor.memberId))
    fail('ALREADY_EXISTS', `${actor.memberId} already voted on proposal ${proposal.proposalId}`);
}

function decided(
  ctx: VeriscanContext,
  proposal: Proposal,
  status: Exclude<Proposal['status'], 'open'>,
  outcome: string,
): Proposal {
  return { ...proposal, status, outcome, decidedAt: formatTime(txTimeMs(ctx)) };
}

/**
 * Decides `proposal` if its votes allow: carried out at `required` approvals (or `failed` when
 * its effect is no longer possible: the check runs again before any write), rejected once
 * `required` is out of reach; otherwise returned unchanged.
 */
async function settle(ctx: VeriscanContext, config: ChaincodeConfig, proposal: Proposal): Promise<Proposal> {
  if (proposal.approvals.length >= proposal.required) {
    let effect;
    try {
      effect = await planEffect(ctx, proposal.body, config);
    } catch (error) {
      if (error instanceof ChaincodeError) return decided(ctx, proposal, 'failed', error.message);
      throw error;
    }
    return decided(ctx, proposal, 'approved', await effect(await approvingMsps(ctx, proposal)));
  }
  if (proposal.rejections.length > proposal.electorate.length - proposal.required)
    return decided(
      ctx,
      proposal,
      'rejected',
      `${proposal.rejections.length} of ${proposal.electorate.length} rejected; ${proposal.required} approvals are out of reach`,
    );
  return proposal;
}

function emitDecided(ctx: VeriscanContext, proposal: Proposal): void {
  emit(ctx, EventName.ProposalDecided, {
    proposalId: proposal.proposalId,
    kind: proposal.body.kind,
    status: proposal.status,
    outcome: proposal.outcome,
  });
}
