/** Consortium members (chaincode `domain/member.ts`) and the Membership contract's answers. */
import { isMemberId, isSha256Hex, type MemberId, type Sha256Hex } from '@veriscan/protocol';
import {
  checked,
  isIsoTime,
  isMspId,
  isNonEmptyString,
  objectAt,
  oneOf,
  readArray,
  readField,
  type Check,
} from './fields';

/** Roles a member record can hold; `admin` lives only in certificates and is never a member. */
export const MemberRole = ['hospital', 'lab', 'regulator'] as const;
/** A member's role. */
export type MemberRole = (typeof MemberRole)[number];

/** A member's lifecycle: registered, approved by enough orgs, suspended for good. */
export const MemberStatus = ['pending', 'active', 'suspended'] as const;
/** A member's status. */
export type MemberStatus = (typeof MemberStatus)[number];

/** True for a {@link MemberRole}. */
export const isMemberRole: Check<MemberRole> = oneOf(MemberRole);
/** True for a {@link MemberStatus}. */
export const isMemberStatus: Check<MemberStatus> = oneOf(MemberStatus);

/** A stored member record (GetMember, RegisterMember, ApproveMember, SuspendMember, SetMemberEndpoint). */
export type MemberRecord = {
  readonly memberId: MemberId;
  readonly mspId: string;
  readonly role: MemberRole;
  readonly status: MemberStatus;
  /** MSP ids of the orgs whose admins approved, sorted; `genesis` marks a bootstrapped member. */
  readonly approvals: readonly string[];
  /** Base URL of a hospital gateway's blob endpoint; "" if none. */
  readonly endpoint: string;
  readonly registeredAt: string;
  readonly updatedAt: string;
};

/** ListMembers' answer: every member in id order. */
export type MemberList = {
  readonly members: readonly MemberRecord[];
};

/** Bootstrap's answer: the genesis record of the founding members. */
export type GenesisRecord = {
  /** SHA-256 of the canonical member list. */
  readonly digest: Sha256Hex;
  readonly memberIds: readonly MemberId[];
  /** MSP id of the admin who bootstrapped. */
  readonly by: string;
  readonly at: string;
};

const ENDPOINT = /^$|^https?:\/\/[A-Za-z0-9.-]+(:[0-9]{1,5})?(\/[A-Za-z0-9._~/-]*)?$/;

/** An http(s) URL without credentials or query, or "" (the chaincode's `endpointUrl`). */
export const isEndpoint: Check<string> = (value): value is string =>
  typeof value === 'string' && value.length <= 256 && ENDPOINT.test(value);

/** Item parser for arrays of member ids. */
export const memberIdItem = checked(isMemberId, 'a member id');

/** Parses a stored member record. */
export function parseMemberRecord(value: unknown, what = 'member'): MemberRecord {
  const o = objectAt(value, what);
  return {
    memberId: readField(o, 'memberId', what, isMemberId, 'a member id'),
    mspId: readField(o, 'mspId', what, isMspId, 'an MSP id'),
    role: readField(o, 'role', what, isMemberRole, 'a member role'),
    status: readField(o, 'status', what, isMemberStatus, 'a member status'),
    approvals: readArray(o, 'approvals', what, checked(isMspId, 'an MSP id')),
    endpoint: readField(o, 'endpoint', what, isEndpoint, 'an http(s) URL or ""'),
    registeredAt: readField(o, 'registeredAt', what, isIsoTime, 'an ISO time'),
    updatedAt: readField(o, 'updatedAt', what, isIsoTime, 'an ISO time'),
  };
}

/** Parses ListMembers' `{members}`. */
export function parseMemberList(value: unknown, what = 'memberList'): MemberList {
  const o = objectAt(value, what);
  return { members: readArray(o, 'members', what, parseMemberRecord) };
}

/** Parses Bootstrap's genesis record `{digest, memberIds, by, at}`. */
export function parseGenesisRecord(value: unknown, what = 'genesis'): GenesisRecord {
  const o = objectAt(value, what);
  return {
    digest: readField(o, 'digest', what, isSha256Hex, 'a hex digest'),
    memberIds: readArray(o, 'memberIds', what, memberIdItem),
    by: readField(o, 'by', what, isNonEmptyString, 'an MSP id'),
    at: readField(o, 'at', what, isIsoTime, 'an ISO time'),
  };
}
