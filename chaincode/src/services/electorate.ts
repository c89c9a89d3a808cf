/** Who votes: the active hospitals and labs (the regulator watches and never votes). */
import type { Context } from 'fabric-contract-api';
import { listMembers, type Member } from '../domain/member';

/** Roles whose institutions vote on proposals and model versions. */
export const VOTING_ROLES: readonly Member['role'][] = ['hospital', 'lab'];

/** The active voting members, in id order. */
export async function votingMembers(ctx: Context): Promise<Member[]> {
  return (await listMembers(ctx)).filter((m) => m.status === 'active' && VOTING_ROLES.includes(m.role));
}
