/** The consortium membership record (ARCHITECTURE.md §1, §3). */
import { orgOfRole } from '@veriscan/fabric-kit/consortium';
import { parseObject } from '../infra/reader';
import { arrayOf, isoTime, memberId, oneOf, text, type Parser } from '../infra/scalars';
import { type MemberRecord } from '@veriscan/ledger-api/wire';

/** Roles a member record can hold; `admin` lives only in certificates and is never a member. */
export const MemberRole = ['hospital', 'lab', 'regulator'] as const;
export type MemberRole = (typeof MemberRole)[number];

export const MemberStatus = ['pending', 'active', 'suspended'] as const;
export type MemberStatus = (typeof MemberStatus)[number];

/** Which MSP a member of each role belongs to. */
export const ROLE_MSP: Readonly<Record<MemberRole, string>> = {
  hospital: orgOfRole('hospital').mspId,
  lab: orgOfRole('lab').mspId,
  regulator: orgOfRole('regulator').mspId,
};

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
    approvals: r.field('approvals', arrayOf(mspIdParser, 0, 32)),
    endpoint: r.field('endpoint', endpointUrl),
    registeredAt: r.field('registeredAt', isoTime),
    updatedAt: r.field('updatedAt', isoTime),
  }));
