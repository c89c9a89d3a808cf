import { createHash } from 'node:crypto';
import { Info, Returns, Transaction } from 'fabric-contract-api';
import {
  MemberRole,
  endpointUrl,
  listMembers,
  memberOfMsp,
  mspIdParser,
  readMember,
  writeMember,
  type Member,
} from '../domain/member';
import { authorize } from '../rules/authorize';
import { requireJob } from '../rules/identity';
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
  isoTime,
  memberId as parseMemberId,
  oneOf,
  text,
  type MemberId,
  type Parser,
} from '../infra/scalars';
import { readRecord, writeRecord } from '../infra/state';
import { txTimeMs } from '../infra/time';
import { VOTING_ROLES } from '../services/electorate';
import { VeriscanContract } from './veriscan-contract';
import { ContractName, GenesisStatus, Tx, type GenesisRecord } from '@veriscan/ledger-api/wire';

type GenesisMember = {
  readonly memberId: MemberId;
  readonly mspId: string;
  readonly role: MemberRole;
  readonly endpoint: string;
};

const genesisMember: Parser<GenesisMember> = (value, path) =>
  parseObject(value, path, (r) => ({
    memberId: r.field('memberId', parseMemberId),
    mspId: r.field('mspId', mspIdParser),
    role: r.field('role', oneOf(MemberRole)),
    endpoint: r.optional('endpoint', endpointUrl) ?? '',
  }));

const parseGenesis: Parser<GenesisRecord> = (value, path) =>
  parseObject(value, path, (r) => ({
    digest: r.field('digest', text({ min: 64, max: 64 })) as GenesisRecord['digest'],
    memberIds: r.field('memberIds', arrayOf(parseMemberId, 1, 64)),
    confirmedBy: r.field('confirmedBy', arrayOf(mspIdParser, 0, 64)),
    awaiting: r.field('awaiting', arrayOf(mspIdParser, 0, 64)),
    status: r.field('status', oneOf(GenesisStatus)),
    at: r.field('at', isoTime),
  }));

/**
 * Consortium membership: one member record per institution, keyed by its member id and found by
 * its org's MSP id. The founders are written by the genesis below; every later admission,
 * suspension and reinstatement is a governance proposal (Governance contract).
 */
@Info({ title: 'Membership', description: 'Consortium members, the genesis and gateway endpoints' })
export class MembershipContract extends VeriscanContract {
  constructor() {
    super(ContractName.Membership);
  }

  /**
   * The channel's founding members, agreed by every founder: `members` is JSON
   * `{"members":[{"memberId","mspId","role","endpoint"?}]}`, one institution per MSP id. Each
   * founding hospital's and lab's admin calls it with the same list; the first call records the
   * list as `pending`, each call adds the caller's org to `confirmedBy`, and the last missing
   * confirmation writes every member `active`. Calling again after that returns the record, so
   * set-up can run it on every start. Callers: the admin (`veriscan.job=admin`) of an org listed
   * as a hospital or lab. The regulator is listed but, read-only, does not confirm.
   * Errors: FORBIDDEN (not an admin, or an org the list does not name as a hospital or lab);
   * INVALID_ARGUMENT (bad list, a member id or MSP id twice, no hospital or lab);
   * CONFLICT (a different list is pending or recorded).
   * Event: MembersBootstrapped `{memberIds, digest, status, confirmedBy}`.
   */
  @Transaction()
  @Returns('string')
  async Bootstrap(ctx: VeriscanContext, members: string): Promise<string> {
    const caller = requireJob(ctx);
    if (caller.job !== 'admin') fail('FORBIDDEN', 'only an admin confirms the genesis');
    const existing = await readRecord(ctx, KeyType.genesis, ['current'], parseGenesis);
    if (existing?.status === 'recorded') {
      // Once recorded, only the founders' admins may ask again (set-up does, idempotently).
      const member = await memberOfMsp(ctx, caller.mspId);
      if (member === undefined || !VOTING_ROLES.includes(member.role))
        fail('FORBIDDEN', `${caller.mspId} is not a founding hospital or lab`);
    }
    const list = parseObject(parseJsonText(members, 'members'), 'members', (r) =>
      r.field('members', arrayOf(genesisMember, 1, 64)),
    );
    const ids = list.map((m) => m.memberId);
    if (new Set(ids).size !== ids.length) fail('INVALID_ARGUMENT', 'members lists a member id twice');
    if (new Set(list.map((m) => m.mspId)).size !== list.length)
      fail('INVALID_ARGUMENT', 'members lists an MSP id twice (one org is one institution)');
    const founders = list
      .filter((m) => VOTING_ROLES.includes(m.role))
      .map((m) => m.mspId)
      .sort();
    if (founders.length === 0) fail('INVALID_ARGUMENT', 'members lists no hospital or lab');
    if (!founders.includes(caller.mspId))
      fail(
        'FORBIDDEN',
        `only the admin of a founding hospital or lab confirms the genesis, not ${caller.mspId}`,
      );
    const digest = createHash('sha256').update(canonicalJson(list), 'utf8').digest('hex');

    if (existing !== undefined && existing.digest !== digest)
      fail('CONFLICT', `a different genesis member list is already ${existing.status}`);
    if (existing?.status === 'recorded' || existing?.confirmedBy.includes(caller.mspId))
      return canonicalJson(recordJson(existing));

    const at = formatTime(txTimeMs(ctx));
    const confirmedBy = [...(existing?.confirmedBy ?? []), caller.mspId].sort();
    const awaiting = founders.filter((msp) => !confirmedBy.includes(msp));
    const genesis: GenesisRecord = {
      digest: digest as GenesisRecord['digest'],
      memberIds: ids,
      confirmedBy,
      awaiting,
      status: awaiting.length === 0 ? 'recorded' : 'pending',
      at,
    };
    if (genesis.status === 'recorded') {
      for (const entry of list) {
        if ((await readMember(ctx, entry.memberId)) !== undefined)
          fail('CONFLICT', `member ${entry.memberId} is already registered`);
        if ((await memberOfMsp(ctx, entry.mspId)) !== undefined)
          fail('CONFLICT', `${entry.mspId} already belongs to a member`);
      }
      for (const entry of list) {
        const member: Member = {
          ...entry,
          status: 'active',
          approvals: founders,
          registeredAt: at,
          updatedAt: at,
        };
        await writeMember(ctx, member, true);
      }
    }
    await writeRecord(ctx, KeyType.genesis, ['current'], recordJson(genesis));
    emit(ctx, EventName.MembersBootstrapped, { memberIds: ids, digest, status: genesis.status, confirmedBy });
    return canonicalJson(recordJson(genesis));
  }

  /**
   * Sets the base URL of the caller's own institution's gateway endpoint (where labs fetch assigned
   * scans). Callers: a hospital's admin, a lab's admin or operator, for their own member id only.
   * `endpoint` "" clears it. Errors: FORBIDDEN, INVALID_ARGUMENT (not an http(s) URL).
   */
  @Transaction()
  @Returns('string')
  async SetMemberEndpoint(ctx: VeriscanContext, memberId: string, endpoint: string): Promise<string> {
    const { actor } = await authorize(ctx, Tx.SetMemberEndpoint);
    const id = parseMemberId(memberId, 'memberId');
    const url = endpointUrl(endpoint, 'endpoint');
    if (actor.memberId !== id)
      fail('FORBIDDEN', `${actor.memberId} may not set the endpoint of member ${id}`);
    const updated: Member = { ...actor.member, endpoint: url, updatedAt: formatTime(txTimeMs(ctx)) };
    await writeMember(ctx, updated, false);
    return canonicalJson(recordJson(updated));
  }

  /**
   * Returns a member record. Callers: any user of an active member.
   * Errors: FORBIDDEN, INVALID_ARGUMENT, NOT_FOUND.
   */
  @Transaction(false)
  @Returns('string')
  async GetMember(ctx: VeriscanContext, memberId: string): Promise<string> {
    await authorize(ctx, Tx.GetMember);
    const id = parseMemberId(memberId, 'memberId');
    const member = await readMember(ctx, id);
    if (member === undefined) return fail('NOT_FOUND', `member ${id} does not exist`);
    return canonicalJson(recordJson(member));
  }

  /** Returns `{members: [...]}` in id order. Callers: any user of an active member. Errors: FORBIDDEN. */
  @Transaction(false)
  @Returns('string')
  async ListMembers(ctx: VeriscanContext): Promise<string> {
    await authorize(ctx, Tx.ListMembers);
    return canonicalJson({ members: (await listMembers(ctx)).map((m) => recordJson(m)) });
  }
}
