import { loadConfig, type ChaincodeConfig } from './config';
import type { VeriscanContext } from '../infra/context';
import { fail } from '../infra/errors';
import { requireJob, type Job } from './identity';
import { POLICY, type TxName } from './policy';
import type { MemberId } from '../infra/scalars';
import { memberOfMsp, type Member, type MemberRole } from '../domain/member';

/** An authorized caller: a user of an active member institution, acting for it. */
export interface Actor {
  readonly mspId: string;
  readonly memberId: MemberId;
  readonly role: MemberRole;
  readonly job: Job;
  readonly member: Member;
}

/** What every transaction starts from: who calls and the configuration in force. */
export interface Authorized {
  readonly actor: Actor;
  readonly config: ChaincodeConfig;
}

/**
 * Step one of every policed transaction. Finds the caller's institution from its MSP id on the
 * ledger (an active member record), checks the institution's role and the certificate's job
 * against {@link POLICY}, and (for writes) the transaction timestamp's distance from this node's clock.
 * @throws FORBIDDEN when the caller may not call `tx`; FAILED_PRECONDITION for a skewed timestamp.
 */
export async function authorize(ctx: VeriscanContext, tx: TxName): Promise<Authorized> {
  const policy = POLICY[tx];
  const caller = requireJob(ctx);
  const member = await memberOfMsp(ctx, caller.mspId);
  if (member === undefined) fail('FORBIDDEN', `${caller.mspId} is not a member of the consortium`);
  if (member.status !== 'active') fail('FORBIDDEN', `member ${member.memberId} is ${member.status}`);
  const jobs = policy.grant[member.role];
  if (jobs === undefined) fail('FORBIDDEN', `a ${member.role} may not call this transaction`);
  if (!jobs.includes(caller.job))
    fail('FORBIDDEN', `a ${member.role}'s ${caller.job} may not call this transaction`);
  const config = await loadConfig(ctx);
  return {
    actor: { mspId: caller.mspId, memberId: member.memberId, role: member.role, job: caller.job, member },
    config,
  };
}

/** The member id the caller acts for. */
export function memberOf(actor: Actor): MemberId {
  return actor.memberId;
}
