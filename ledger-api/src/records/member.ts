/** Consortium members (chaincode `domain/member.ts`) and the Membership contract's answers. */
import { isMemberId, isSha256Hex, type MemberId, type Sha256Hex } from '@veriscan/protocol';
import { checked, isIsoTime, isMspId, objectAt, oneOf, readArray, readField, type Check } from './fields';

/** The kind of institution a member is; the chaincode derives what its users may do from it. */
export const MemberRole = ['hospital', 'lab', 'regulator'] as const;
/** A member's role. */
export type MemberRole = (typeof MemberRole)[number];

/** A member's standing: admitted (at genesis or by vote) and active, or suspended by vote. */
export const MemberStatus = ['active', 'suspended'] as const;
/** A member's status. */
export type MemberStatus = (typeof MemberStatus)[number];

/** True for a {@link MemberRole}. */
export const isMemberRole: Check<MemberRole> = oneOf(MemberRole);
/** True for a {@link MemberStatus}. */
export const isMemberStatus: Check<MemberStatus> = oneOf(MemberStatus);

/** A stored member record, one per institution (GetMember, SetMemberEndpoint, ListMembers). */
export type MemberRecord = {
  readonly memberId: MemberId;
  /** The institution's own organisation: every caller with this MSP id acts for this member. */
  readonly mspId: string;
  readonly role: MemberRole;
  readonly status: MemberStatus;
  /** MSP ids of the orgs whose admins approved the admission, sorted (the founders for a genesis member). */
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

/** Whether the founders' list still waits for confirmations or has been written as members. */
export const GenesisStatus = ['pending', 'recorded'] as const;
/** A genesis record's status. */
export type GenesisStatus = (typeof GenesisStatus)[number];

/** Bootstrap's answer: the founding members' list and which founders confirmed it. */
export type GenesisRecord = {
  /** SHA-256 of the canonical member list. */
  readonly digest: Sha256Hex;
  readonly memberIds: readonly MemberId[];
  /** MSP ids of the founding hospital and lab orgs whose admins confirmed the list, sorted. */
  readonly confirmedBy: readonly string[];
  /** MSP ids whose confirmation is still missing, sorted (empty once recorded). */
  readonly awaiting: readonly string[];
  readonly status: GenesisStatus;
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

/** True for a {@link GenesisStatus}. */
export const isGenesisStatus: Check<GenesisStatus> = oneOf(GenesisStatus);

/** Parses Bootstrap's genesis record `{digest, memberIds, confirmedBy, awaiting, status, at}`. */
export function parseGenesisRecord(value: unknown, what = 'genesis'): GenesisRecord {
  const o = objectAt(value, what);
  return {
    digest: readField(o, 'digest', what, isSha256Hex, 'a hex digest'),
    memberIds: readArray(o, 'memberIds', what, memberIdItem),
    confirmedBy: readArray(o, 'confirmedBy', what, checked(isMspId, 'an MSP id')),
    awaiting: readArray(o, 'awaiting', what, checked(isMspId, 'an MSP id')),
    status: readField(o, 'status', what, isGenesisStatus, 'a genesis status'),
    at: readField(o, 'at', what, isIsoTime, 'an ISO time'),
  };
}
