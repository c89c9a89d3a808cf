/** Governance proposals as stored records (ledger-api `records/governance.ts` is the wire shape). */
import {
  ProposalKind,
  ProposalStatus,
  type ProposalBody,
  type ProposalRecord,
} from '@veriscan/ledger-api/wire';
import { parseObject, plainObject, type ObjectReader } from '../infra/reader';
import {
  arrayOf,
  integer,
  isoTime,
  memberId,
  modelId,
  oneOf,
  requestId,
  semver,
  text,
  txId,
  type MemberId,
  type Parser,
} from '../infra/scalars';
import { endpointUrl, MemberRole, mspIdParser } from './member';
import type { Json } from '../infra/json';

export type Proposal = ProposalRecord;
export { ProposalKind, ProposalStatus, type ProposalBody };

const faultyLab: Parser<MemberId | 'none'> = (value, path) =>
  value === 'none' ? 'none' : memberId(value, path);

function readBody(r: ObjectReader): ProposalBody {
  const kind = r.field('kind', oneOf(ProposalKind));
  switch (kind) {
    case 'config':
      return { kind, patch: r.field('patch', plainObject) };
    case 'admit':
      return {
        kind,
        memberId: r.field('memberId', memberId),
        mspId: r.field('mspId', mspIdParser),
        role: r.field('role', oneOf(MemberRole)),
        endpoint: r.optional('endpoint', endpointUrl) ?? '',
      };
    case 'suspend':
    case 'reinstate':
      return { kind, memberId: r.field('memberId', memberId) };
    case 'resolve-dispute':
      return { kind, requestId: r.field('requestId', requestId), faultyLab: r.field('faultyLab', faultyLab) };
    case 'revoke-model':
      return { kind, modelId: r.field('modelId', modelId), version: r.field('version', semver) };
  }
}

/** Parses a proposal body `{kind, ...}` as Propose takes it: unknown fields are refused. */
export const parseProposalBody: Parser<ProposalBody> = (value, path) => parseObject(value, path, readBody);

/** Parses a stored proposal. */
export const parseProposal: Parser<Proposal> = (value, path) =>
  parseObject(value, path, (r) => ({
    proposalId: r.field('proposalId', txId),
    body: r.field('body', parseProposalBody),
    proposedBy: r.field('proposedBy', memberId),
    electorate: r.field('electorate', arrayOf(memberId, 1, 256)),
    required: r.field('required', integer(1, 256)),
    approvals: r.field('approvals', arrayOf(memberId, 0, 256)),
    rejections: r.field('rejections', arrayOf(memberId, 0, 256)),
    status: r.field('status', oneOf(ProposalStatus)),
    outcome: r.field('outcome', text({ min: 0, max: 1024 })),
    createdAt: r.field('createdAt', isoTime),
    expiresAt: r.field('expiresAt', isoTime),
    decidedAt: r.field('decidedAt', (v, p) => (v === null ? null : isoTime(v, p))),
  }));

/**
 * The record form, for writing. A `config` body's patch is typed `unknown`-valued, but it came
 * from parsed JSON text (Propose's argument), so every value in it is JSON.
 */
export function proposalJson(proposal: Proposal): Json {
  return proposal as unknown as Json;
}
