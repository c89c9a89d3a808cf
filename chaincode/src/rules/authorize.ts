import { READ_ONLY_MSPS } from '@veriscan/fabric-kit/consortium';
import { loadConfig, type ChaincodeConfig } from './config';
import type { VeriscanContext } from '../infra/context';
import { fail } from '../infra/errors';
import { requireRole, type Role } from './identity';
import { KeyType } from '../infra/keys';
import { POLICY, type TxName } from './policy';
import type { MemberId } from '../infra/scalars';
import { memberId as parseMemberId } from '../infra/scalars';
import { readRecord } from '../infra/state';
import { checkTxTimeSkew } from '../infra/time';
import { parseMember, type Member } from '../domain/member';

/** An authorized caller: an org admin, or an active member acting under its own id. */
export type Actor =
  | { readonly kind: 'admin'; readonly mspId: string; readonly role: 'admin' }
  | {
      readonly kind: 'member';
      readonly mspId: string;
      readonly role: Exclude<Role, 'admin'>;
      readonly memberId: MemberId;
      readonly member: Member;
    };

/** What every transaction starts from: who calls and the configuration in force. */
export interface Authorized {
  readonly actor: Actor;
  readonly config: ChaincodeConfig;
}

/**
 * Step one of every transaction. Checks the caller's role against {@link POLICY}, the role's MSP,
 * the caller's active Member record, and (for writes) the transaction timestamp's distance from
 * this node's clock.
 * @throws FORBIDDEN when the caller may not call `tx`; FAILED_PRECONDITION for a skewed timestamp.
 */
export async function authorize(ctx: VeriscanContext, tx: TxName): Promise<Authorized> {
  const policy = POLICY[tx];
  const caller = requireRole(ctx, policy.roles);
  // The regulator org audits; its peer commits but never endorses, and none of its identities
  // (its admins included) may change state.
  if (policy.write && READ_ONLY_MSPS.includes(caller.mspId))
    fail('FORBIDDEN', `${caller.mspId} is read-only`);
  const config = await loadConfig(ctx);
  if (policy.write) checkTxTimeSkew(ctx, config.maxClockSkewMs);
  if (caller.role === 'admin')
    return { actor: { kind: 'admin', mspId: caller.mspId, role: 'admin' }, config };

  if (caller.memberId === null) fail('FORBIDDEN', `caller has no veriscan.member attribute`);
  const id = safeMemberId(caller.memberId);
  const member = await readRecord(ctx, KeyType.member, [id], parseMember);
  if (member === undefined) fail('FORBIDDEN', `member ${id} is not registered`);
  if (member.mspId !== caller.mspId || member.role !== caller.role) {
    fail('FORBIDDEN', `member ${id} is registered as ${member.role} of ${member.mspId}`);
  }
  if (member.status !== 'active') fail('FORBIDDEN', `member ${id} is ${member.status}`);
  return { actor: { kind: 'member', mspId: caller.mspId, role: caller.role, memberId: id, member }, config };
}

/** The certificate's member id, refused as FORBIDDEN (not INVALID_ARGUMENT) when malformed. */
function safeMemberId(raw: string): MemberId {
  try {
    return parseMemberId(raw, 'veriscan.member');
  } catch {
    return fail('FORBIDDEN', 'caller has a malformed veriscan.member attribute');
  }
}

/** The member id of an actor that the policy table guarantees is a member of `role`. */
export function memberOf(actor: Actor): MemberId {
  if (actor.kind !== 'member') return fail('FORBIDDEN', 'only a member may call this transaction');
  return actor.memberId;
}
