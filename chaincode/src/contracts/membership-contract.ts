import { createHash } from 'node:crypto';
import { Info, Returns, Transaction } from 'fabric-contract-api';
import { MemberRole, ROLE_MSP, endpointUrl, parseMember, type Member } from '../domain/member';
import { authorize } from '../rules/authorize';
// A value import, not `import type`: decorator metadata must name the class so that
// fabric-contract-api recognises the first parameter as the context and not as an argument.
import { VeriscanContext } from '../infra/context';
import { fail } from '../infra/errors';
import { EventName, emit } from '../infra/events';
import { canonicalJson, parseJsonText, recordJson } from '../infra/json';
import { KeyType } from '../infra/keys';
import { parseObject } from '../infra/reader';
import {
  arrayOf,
  formatTime,
  memberId as parseMemberId,
  oneOf,
  text,
  type MemberId,
  type Parser,
} from '../infra/scalars';
import { readRecord, scanRecords, writeRecord } from '../infra/state';
import { txTimeMs } from '../infra/time';
import { VeriscanContract } from './veriscan-contract';
import { ContractName, Tx } from '@veriscan/ledger-api/wire';

type GenesisMember = { readonly memberId: MemberId; readonly role: MemberRole; readonly endpoint: string };
type Genesis = {
  readonly digest: string;
  readonly memberIds: readonly MemberId[];
  readonly by: string;
  readonly at: string;
};

const genesisMember: Parser<GenesisMember> = (value, path) =>
  parseObject(value, path, (r) => ({
    memberId: r.field('memberId', parseMemberId),
    role: r.field('role', oneOf(MemberRole)),
    endpoint: r.optional('endpoint', endpointUrl) ?? '',
  }));

const parseGenesis: Parser<Genesis> = (value, path) =>
  parseObject(value, path, (r) => ({
    digest: r.field('digest', text({ min: 64, max: 64 })),
    memberIds: r.field('memberIds', arrayOf(parseMemberId, 1, 64)),
    by: r.field('by', text({ min: 1, max: 64 })),
    at: r.field('at', text({ min: 1, max: 32 })),
  }));

/**
 * Consortium membership: who may transact. A member is registered by an admin of its own org and
 * becomes active once admins of `memberApprovalOrgs` distinct orgs (its own included) approved.
 */
@Info({ title: 'Membership', description: 'Consortium members, their approval and their gateway endpoints' })
export class MembershipContract extends VeriscanContract {
  constructor() {
    super(ContractName.Membership);
  }

  /**
   * Registers and activates the network's founding members in one step, once per channel
   * (genesis). Callers: an admin of HospitalMSP or LabMSP. `members` is JSON
   * `{"members":[{"memberId","role","endpoint"?}]}`. Calling it again with the same list returns the
   * existing genesis record, so network set-up can run it on every start.
   * Errors: FORBIDDEN (not an admin, or the regulator org); INVALID_ARGUMENT (bad list, duplicates);
   * CONFLICT (a different genesis exists, or a listed member is already registered).
   * Event: MembersBootstrapped `{memberIds, digest}`.
   */
  @Transaction()
  @Returns('string')
  async Bootstrap(ctx: VeriscanContext, members: string): Promise<string> {
    const { actor } = await authorize(ctx, Tx.Bootstrap);
    const list = parseObject(parseJsonText(members, 'members'), 'members', (r) =>
      r.field('members', arrayOf(genesisMember, 1, 64)),
    );
    const ids = list.map((m) => m.memberId);
    if (new Set(ids).size !== ids.length) fail('INVALID_ARGUMENT', 'members lists a member id twice');
    const digest = createHash('sha256').update(canonicalJson(list), 'utf8').digest('hex');

    const existing = await readRecord(ctx, KeyType.genesis, ['current'], parseGenesis);
    if (existing !== undefined) {
      if (existing.digest === digest) return canonicalJson(existing);
      fail('CONFLICT', 'a different genesis member list is already recorded');
    }
    const at = formatTime(txTimeMs(ctx));
    for (const entry of list) {
      if ((await readRecord(ctx, KeyType.member, [entry.memberId], parseMember)) !== undefined) {
        fail('CONFLICT', `member ${entry.memberId} is already registered`);
      }
    }
    for (const entry of list) {
      const member: Member = {
        memberId: entry.memberId,
        mspId: ROLE_MSP[entry.role],
        role: entry.role,
        status: 'active',
        approvals: ['genesis'],
        endpoint: entry.endpoint,
        registeredAt: at,
        updatedAt: at,
      };
      await writeRecord(ctx, KeyType.member, [entry.memberId], recordJson(member));
    }
    const genesis: Genesis = { digest, memberIds: ids, by: actor.mspId, at };
    await writeRecord(ctx, KeyType.genesis, ['current'], genesis);
    emit(ctx, EventName.MembersBootstrapped, { memberIds: ids, digest });
    return canonicalJson(genesis);
  }

  /**
   * Registers a member of the caller's own org (`pending` until approved). Callers: an admin of
   * the org the role belongs to (HospitalMSP for hospital, LabMSP for lab); a regulator member is
   * registered by a HospitalMSP or LabMSP admin, since the regulator org never writes.
   * Errors: FORBIDDEN, INVALID_ARGUMENT (id, role), ALREADY_EXISTS.
   * Event: MemberRegistered `{memberId, role, mspId, status}`.
   */
  @Transaction()
  @Returns('string')
  async RegisterMember(ctx: VeriscanContext, memberId: string, role: string): Promise<string> {
    const { actor, config } = await authorize(ctx, Tx.RegisterMember);
    const id = parseMemberId(memberId, 'memberId');
    const memberRole = oneOf(MemberRole)(role, 'role');
    const mspId = ROLE_MSP[memberRole];
    if (memberRole !== 'regulator' && actor.mspId !== mspId) {
      fail('FORBIDDEN', `an admin of ${actor.mspId} may not register a ${memberRole} (${mspId})`);
    }
    if ((await readRecord(ctx, KeyType.member, [id], parseMember)) !== undefined) {
      fail('ALREADY_EXISTS', `member ${id} is already registered`);
    }
    const at = formatTime(txTimeMs(ctx));
    const approvals = [actor.mspId];
    const member: Member = {
      memberId: id,
      mspId,
      role: memberRole,
      status: approvals.length >= config.memberApprovalOrgs ? 'active' : 'pending',
      approvals,
      endpoint: '',
      registeredAt: at,
      updatedAt: at,
    };
    await writeRecord(ctx, KeyType.member, [id], recordJson(member));
    emit(ctx, EventName.MemberRegistered, { memberId: id, role: memberRole, mspId, status: member.status });
    return canonicalJson(recordJson(member));
  }

  /**
   * Adds the caller's org to a pending member's approvals; the member becomes `active` at the
   * configured number of orgs. Callers: an org admin (HospitalMSP or LabMSP) whose org has not approved yet.
   * Errors: FORBIDDEN, INVALID_ARGUMENT, NOT_FOUND, ALREADY_EXISTS (this org already approved),
   * FAILED_PRECONDITION (member is active or suspended). Event: MemberApproved `{memberId, approvals, status}`.
   */
  @Transaction()
  @Returns('string')
  async ApproveMember(ctx: VeriscanContext, memberId: string): Promise<string> {
    const { actor, config } = await authorize(ctx, Tx.ApproveMember);
    const id = parseMemberId(memberId, 'memberId');
    const member = await requireMember(ctx, id);
    if (member.approvals.includes(actor.mspId))
      fail('ALREADY_EXISTS', `${actor.mspId} already approved member ${id}`);
    if (member.status !== 'pending') fail('FAILED_PRECONDITION', `member ${id} is ${member.status}`);
    const approvals = [...member.approvals, actor.mspId].sort();
    const updated: Member = {
      ...member,
      approvals,
      status: approvals.length >= config.memberApprovalOrgs ? 'active' : 'pending',
      updatedAt: formatTime(txTimeMs(ctx)),
    };
    await writeRecord(ctx, KeyType.member, [id], recordJson(updated));
    emit(ctx, EventName.MemberApproved, { memberId: id, approvals, status: updated.status });
    return canonicalJson(recordJson(updated));
  }

  /**
   * Suspends a member: from the next transaction on it may not transact. Suspension is final;
   * a reinstated party registers under a new id. Callers: any org admin (HospitalMSP or LabMSP),
   * so any consortium org can quarantine a misbehaving member at once.
   * Errors: FORBIDDEN, INVALID_ARGUMENT, NOT_FOUND, FAILED_PRECONDITION (already suspended).
   * Event: MemberSuspended `{memberId, by}`.
   */
  @Transaction()
  @Returns('string')
  async SuspendMember(ctx: VeriscanContext, memberId: string): Promise<string> {
    const { actor } = await authorize(ctx, Tx.SuspendMember);
    const id = parseMemberId(memberId, 'memberId');
    const member = await requireMember(ctx, id);
    if (member.status === 'suspended') fail('FAILED_PRECONDITION', `member ${id} is already suspended`);
    const updated: Member = { ...member, status: 'suspended', updatedAt: formatTime(txTimeMs(ctx)) };
    await writeRecord(ctx, KeyType.member, [id], recordJson(updated));
    emit(ctx, EventName.MemberSuspended, { memberId: id, by: actor.mspId });
    return canonicalJson(recordJson(updated));
  }

  /**
   * Sets the base URL of a member's gateway blob endpoint (where labs fetch assigned scans).
   * Callers: the member itself, or an admin of the member's org. `endpoint` "" clears it.
   * Errors: FORBIDDEN, INVALID_ARGUMENT (not an http(s) URL), NOT_FOUND.
   */
  @Transaction()
  @Returns('string')
  async SetMemberEndpoint(ctx: VeriscanContext, memberId: string, endpoint: string): Promise<string> {
    const { actor } = await authorize(ctx, Tx.SetMemberEndpoint);
    const id = parseMemberId(memberId, 'memberId');
    const url = endpointUrl(endpoint, 'endpoint');
    const member = await requireMember(ctx, id);
    const allowed = actor.kind === 'admin' ? actor.mspId === member.mspId : actor.memberId === id;
    if (!allowed) fail('FORBIDDEN', `caller may not set the endpoint of member ${id}`);
    const updated: Member = { ...member, endpoint: url, updatedAt: formatTime(txTimeMs(ctx)) };
    await writeRecord(ctx, KeyType.member, [id], recordJson(updated));
    return canonicalJson(recordJson(updated));
  }

  /**
   * Returns a member record. Callers: any active member or admin.
   * Errors: FORBIDDEN, INVALID_ARGUMENT, NOT_FOUND.
   */
  @Transaction(false)
  @Returns('string')
  async GetMember(ctx: VeriscanContext, memberId: string): Promise<string> {
    await authorize(ctx, Tx.GetMember);
    const id = parseMemberId(memberId, 'memberId');
    return canonicalJson(recordJson(await requireMember(ctx, id)));
  }

  /** Returns `{members: [...]}` in id order. Callers: any active member or admin. Errors: FORBIDDEN. */
  @Transaction(false)
  @Returns('string')
  async ListMembers(ctx: VeriscanContext): Promise<string> {
    await authorize(ctx, Tx.ListMembers);
    const rows = await scanRecords(ctx, KeyType.member, [], parseMember);
    return canonicalJson({ members: rows.map((row) => recordJson(row.value)) });
  }
}

async function requireMember(ctx: VeriscanContext, id: MemberId): Promise<Member> {
  const member = await readRecord(ctx, KeyType.member, [id], parseMember);
  if (member === undefined) return fail('NOT_FOUND', `member ${id} does not exist`);
  return member;
}
