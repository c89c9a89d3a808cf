/**
 * What each kind of proposal does. `planEffect` checks a body against the ledger as it stands and
 * returns the writes to carry it out, so a proposal is refused when it is opened if it could not
 * be carried out, and a proposal that became impossible meanwhile (the member already suspended,
 * the dispute already resolved) ends `failed` at its deciding vote instead of writing half.
 */
import { createHash } from 'node:crypto';
import type { Context } from 'fabric-contract-api';
import { readMember, memberOfMsp, writeMember, type Member } from '../domain/member';
import { parseSpotCheck } from '../domain/request';
import type { Proposal, ProposalBody } from '../domain/proposal';
import { fail } from '../infra/errors';
import { canonicalJson, recordJson } from '../infra/json';
import { KeyType } from '../infra/keys';
import { formatTime, type MemberId } from '../infra/scalars';
import { readRecord, writeRecord } from '../infra/state';
import { txTimeMs } from '../infra/time';
import { applyConfigPatch, configJson, type ChaincodeConfig } from '../rules/config';
import { resolveDispute } from './disputes';
import { readModel } from './models';

/** Carries out an approved proposal; answers the outcome text recorded on it. */
export type Effect = (approvedBy: readonly string[]) => Promise<string>;

/** The institutions a proposal's vote excludes: the two labs of a disputed spot check. */
export async function partiesTo(ctx: Context, body: ProposalBody): Promise<readonly MemberId[]> {
  if (body.kind !== 'resolve-dispute') return [];
  const spot = await readRecord(ctx, KeyType.spotCheck, [body.requestId], parseSpotCheck);
  return spot === undefined ? [] : [spot.labId, spot.checkerLab];
}

async function requireMember(ctx: Context, id: MemberId): Promise<Member> {
  const member = await readMember(ctx, id);
  if (member === undefined) return fail('NOT_FOUND', `member ${id} does not exist`);
  return member;
}

/**
 * Checks `body` against the current ledger and returns the writes that carry it out.
 * @throws INVALID_ARGUMENT, NOT_FOUND, ALREADY_EXISTS or FAILED_PRECONDITION when it cannot be.
 */
export async function planEffect(ctx: Context, body: ProposalBody, config: ChaincodeConfig): Promise<Effect> {
  const now = formatTime(txTimeMs(ctx));
  switch (body.kind) {
    case 'config': {
      const next = applyConfigPatch(config, body.patch);
      return async () => {
        await writeRecord(ctx, KeyType.config, ['current'], configJson(next));
        const digest = createHash('sha256')
          .update(canonicalJson(configJson(next)), 'utf8')
          .digest('hex');
        return `configuration changed (sha256 ${digest})`;
      };
    }
    case 'admit': {
      if ((await readMember(ctx, body.memberId)) !== undefined)
        fail('ALREADY_EXISTS', `member ${body.memberId} already exists`);
      const holder = await memberOfMsp(ctx, body.mspId);
      if (holder !== undefined)
        fail('ALREADY_EXISTS', `${body.mspId} already belongs to member ${holder.memberId}`);
      return async (approvedBy) => {
        const member: Member = {
          memberId: body.memberId,
          mspId: body.mspId,
          role: body.role,
          status: 'active',
          approvals: [...approvedBy].sort(),
          endpoint: body.endpoint,
          registeredAt: now,
          updatedAt: now,
        };
        await writeMember(ctx, member, true);
        return `admitted ${body.memberId} (${body.mspId}) as a ${body.role}`;
      };
    }
    case 'suspend':
    case 'reinstate': {
      const member = await requireMember(ctx, body.memberId);
      const [from, to] =
        body.kind === 'suspend' ? (['active', 'suspended'] as const) : (['suspended', 'active'] as const);
      if (member.status !== from)
        fail('FAILED_PRECONDITION', `member ${member.memberId} is ${member.status}`);
      return async () => {
        await writeMember(ctx, { ...member, status: to, updatedAt: now }, false);
        return `${member.memberId} is ${to}`;
      };
    }
    case 'resolve-dispute': {
      const spot = await readRecord(ctx, KeyType.spotCheck, [body.requestId], parseSpotCheck);
      if (spot === undefined) return fail('NOT_FOUND', `request ${body.requestId} has no spot check`);
      if (body.faultyLab !== 'none' && body.faultyLab !== spot.labId && body.faultyLab !== spot.checkerLab)
        fail('INVALID_ARGUMENT', `faultyLab must be ${spot.labId}, ${spot.checkerLab} or none`);
      if (spot.status !== 'disputed')
        fail('FAILED_PRECONDITION', `the spot check of ${body.requestId} is ${spot.status}`);
      return async () => {
        await resolveDispute(ctx, config, spot, body.faultyLab);
        return body.faultyLab === 'none'
          ? `dispute on ${body.requestId} resolved: no lab at fault`
          : `dispute on ${body.requestId} resolved: ${body.faultyLab} at fault`;
      };
    }
    case 'revoke-model': {
      const model = await readModel(ctx, body.modelId, body.version);
      if (model === undefined)
        return fail('NOT_FOUND', `model ${body.modelId}@${body.version} does not exist`);
      if (model.status === 'revoked')
        fail('FAILED_PRECONDITION', `model ${body.modelId}@${body.version} is already revoked`);
      return async () => {
        const updated = { ...model, status: 'revoked' as const, updatedAt: now };
        await writeRecord(ctx, KeyType.model, [model.modelId, model.version], recordJson(updated));
        return `model ${body.modelId}@${body.version} revoked`;
      };
    }
  }
}

/** MSP ids of the institutions that approved `proposal`, for an admitted member's record. */
export async function approvingMsps(ctx: Context, proposal: Proposal): Promise<string[]> {
  const msps: string[] = [];
  for (const id of proposal.approvals) {
    const member = await readMember(ctx, id);
    if (member !== undefined) msps.push(member.mspId);
  }
  return msps.sort();
}
