/**
 * Who may call what: the one policy table every Veriscan transaction authorizes against. A row
 * grants a transaction to jobs inside institutions of a role; the role comes from the caller's
 * member record on the ledger (keyed by its MSP id), the job from its certificate (rules/identity.ts).
 * `write: true` transactions change state; the regulator role appears in none of them, which is how
 * "the regulator reads everything and writes nothing" is enforced (and tested row by row).
 */
import { JOBS } from '@veriscan/fabric-kit/consortium';
import { Tx, WRITE_TXS, type TxName } from '@veriscan/ledger-api/wire';
import type { MemberRole } from '../domain/member';
import type { Job } from './identity';

/** Jobs allowed per institution role; a role left out may not call at all. */
export type Grant = Readonly<Partial<Record<MemberRole, readonly Job[]>>>;

export interface TxPolicy {
  readonly grant: Grant;
  readonly write: boolean;
}

const EVERY_JOB: readonly Job[] = JOBS;
/** Any user of any active institution. */
const EVERYONE: Grant = { hospital: EVERY_JOB, lab: EVERY_JOB, regulator: EVERY_JOB };
/** The admins of the institutions that vote: hospitals and labs. */
const VOTERS: Grant = { hospital: ['admin'], lab: ['admin'] };
/** Whoever runs a lab's service, or its admin. */
const LAB: Grant = { lab: ['operator', 'admin'] };
/** Those who read requests: their hospital, their labs, the regulator. */
const REQUEST_READERS: Grant = {
  hospital: ['clinician', 'admin'],
  lab: ['operator', 'admin'],
  regulator: ['auditor', 'admin'],
};
/** Any working hospital or lab user: chores anyone may trigger (expiry, auctions, compaction). */
const KEEPERS: Grant = { hospital: ['clinician', 'admin'], lab: ['operator', 'admin'] };

const read = (grant: Grant = EVERYONE): TxPolicy => ({ grant, write: false });
const write = (grant: Grant): TxPolicy => ({ grant, write: true });

/** Policed transactions: every one but the System probes and the genesis, which authorize with their own rule. */
type PolicedTx = Exclude<TxName, `System:${string}` | typeof Tx.Bootstrap>;

export const POLICY = {
  [Tx.GetConfig]: read(),

  [Tx.SetMemberEndpoint]: write({ hospital: ['admin'], lab: ['admin', 'operator'] }),
  [Tx.GetMember]: read(),
  [Tx.ListMembers]: read(),

  [Tx.ProposeModel]: write(LAB),
  [Tx.ApproveModel]: write(VOTERS),
  [Tx.DeprecateModel]: write(LAB),
  [Tx.GetModel]: read(),
  [Tx.ListModels]: read(),
  [Tx.ResolveModel]: read(),

  [Tx.RequestInference]: write({ hospital: ['clinician'] }),
  [Tx.SubmitResult]: write({ lab: ['operator'] }),
  [Tx.AnchorBatch]: write({ lab: ['operator'] }),
  [Tx.ExpireRequest]: write(KEEPERS),
  [Tx.SubmitSpotCheck]: write({ lab: ['operator'] }),
  [Tx.GetRequest]: read(REQUEST_READERS),
  [Tx.ListRequests]: read(REQUEST_READERS),
  [Tx.GetReceipt]: read(REQUEST_READERS),
  [Tx.GetBatch]: read(),
  [Tx.GetSpotCheck]: read(REQUEST_READERS),

  [Tx.DeclareCapacity]: write({ lab: ['operator'] }),
  [Tx.PlaceBid]: write({ lab: ['operator'] }),
  [Tx.CloseAuction]: write(KEEPERS),
  [Tx.ListCapacity]: read(),

  [Tx.RedeemPriority]: write({ lab: ['operator'] }),
  [Tx.CompactReputation]: write(KEEPERS),
  [Tx.GetReputation]: read(),

  [Tx.Propose]: write(VOTERS),
  [Tx.Vote]: write(VOTERS),
  [Tx.GetProposal]: read(),
  [Tx.ListProposals]: read(),
} as const satisfies Readonly<Record<PolicedTx, TxPolicy>>;

/** A policed transaction's wire name, `Contract:Function` (from `@veriscan/ledger-api`). */
export type { PolicedTx as TxName };

/** True when the table's `write` agrees with ledger-api's {@link WRITE_TXS} (checked by the unit tests). */
export function writeFlagsAgree(): boolean {
  return (Object.entries(POLICY) as [PolicedTx, TxPolicy][]).every(
    ([tx, p]) => p.write === WRITE_TXS.has(tx),
  );
}
