/** The consortium membership record: one per institution, keyed by member id and found by MSP id (ARCHITECTURE.md §1, §3). */
import type { Context } from 'fabric-contract-api';
import { MEMBER_ROLES } from '@veriscan/fabric-kit/consortium';
import { KeyType } from '../infra/keys';
import { recordJson } from '../infra/json';
import { parseObject } from '../infra/reader';
import { arrayOf, isoTime, memberId, oneOf, text, type MemberId, type Parser } from '../infra/scalars';
import { readRecord, scanRecords, writeRecord } from '../infra/state';
import { type MemberRecord } from '@veriscan/ledger-api/wire';

/** The kinds of institution; the policy table grants transactions per kind. */
export const MemberRole = MEMBER_ROLES;
export type MemberRole = (typeof MemberRole)[number];

export const MemberStatus = ['active', 'suspended'] as const;
export type MemberStatus = (typeof MemberStatus)[number];

export type Member = MemberRecord;

export const mspIdParser = text({ min: 1, max: 64, pattern: /^[A-Za-z0-9.-]+$/, expect: 'an MSP id' });

/** `http(s)://host[:port][/path]`, no credentials, no query: it is published to the whole channel. */
export const endpointUrl = text({
  min: 0,
  max: 256,
  pattern: /^$|^https?:\/\/[A-Za-z0-9.-]+(:[0-9]{1,5})?(\/[A-Za-z0-9._~/-]*)?$/,
  expect: 'an http(s) URL without credentials or query, or ""',
});

/** Parses a stored member record. */
export const parseMember: Parser<Member> = (value, path) =>
  parseObject(value, path, (r) => ({
    memberId: r.field('memberId', memberId),
    mspId: r.field('mspId', mspIdParser),
    role: r.field('role', oneOf(MemberRole)),
    status: r.field('status', oneOf(MemberStatus)),
    approvals: r.field('approvals', arrayOf(mspIdParser, 0, 64)),
    endpoint: r.field('endpoint', endpointUrl),
    registeredAt: r.field('registeredAt', isoTime),
    updatedAt: r.field('updatedAt', isoTime),
  }));

const parseMspIndex: Parser<MemberId> = (value, path) =>
  parseObject(value, path, (r) => r.field('memberId', memberId));

/** The member record of `id`, or undefined. */
export function readMember(ctx: Context, id: MemberId): Promise<Member | undefined> {
  return readRecord(ctx, KeyType.member, [id], parseMember);
}

/** The member whose institution's org has `mspId`, or undefined (one org is one institution). */
export async function memberOfMsp(ctx: Context, mspId: string): Promise<Member | undefined> {
  const id = await readRecord(ctx, KeyType.memberByMsp, [mspId], parseMspIndex);
  return id === undefined ? undefined : readMember(ctx, id);
}

/** Writes a member record and, for a new member, the index from its MSP id. */
export async function writeMember(ctx: Context, member: Member, isNew: boolean): Promise<void> {
  await writeRecord(ctx, KeyType.member, [member.memberId], recordJson(member));
  if (isNew) await writeRecord(ctx, KeyType.memberByMsp, [member.mspId], { memberId: member.memberId });
}

/** Every member, in id order. */
export async function listMembers(ctx: Context): Promise<Member[]> {
  return (await scanRecords(ctx, KeyType.member, [], parseMember)).map((row) => row.value);
}
