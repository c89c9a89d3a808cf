/**
 * Who may call what: the one policy table every Veriscan transaction authorizes against.
 * `write: true` transactions change state; the regulator role appears in none of them, which is
 * how "the regulator reads everything and writes nothing" is enforced (and tested row by row).
 * Roles come from certificate attributes checked against the MSP id (lib/identity.ts); every
 * non-admin caller must also hold an active Member record whose id, org and role match.
 */
import { Tx, WRITE_TXS, type TxName } from '@veriscan/ledger-api/wire';
import type { Role } from './identity';

export interface TxPolicy {
  readonly roles: readonly Role[];
  readonly write: boolean;
}

const ANY: readonly Role[] = ['hospital', 'lab', 'regulator', 'admin'];
const read = (roles: readonly Role[] = ANY): TxPolicy => ({ roles, write: false });
const write = (roles: readonly Role[]): TxPolicy => ({ roles, write: true });

/** Policed transactions: every one but the System probes, which authorize with their own rule. */
type PolicedTx = Exclude<TxName, `System:${string}`>;

export const POLICY = {
  [Tx.GetConfig]: read(),
  [Tx.SetConfig]: write(['admin']),

  [Tx.Bootstrap]: write(['admin']),
  [Tx.RegisterMember]: write(['admin']),
  [Tx.ApproveMember]: write(['admin']),
  [Tx.SuspendMember]: write(['admin']),
  [Tx.SetMemberEndpoint]: write(['hospital', 'lab', 'admin']),
  [Tx.GetMember]: read(),
  [Tx.ListMembers]: read(),

  [Tx.ProposeModel]: write(['lab']),
  [Tx.ApproveModel]: write(['admin']),
  [Tx.DeprecateModel]: write(['lab', 'admin']),
  [Tx.RevokeModel]: write(['admin']),
  [Tx.GetModel]: read(),
  [Tx.ListModels]: read(),
  [Tx.ResolveModel]: read(),

  [Tx.RequestInference]: write(['hospital']),
  [Tx.SubmitResult]: write(['lab']),
  [Tx.AnchorBatch]: write(['lab']),
  [Tx.ExpireRequest]: write(['hospital', 'lab', 'admin']),
  [Tx.SubmitSpotCheck]: write(['lab']),
  [Tx.ResolveDispute]: write(['admin']),
  [Tx.GetRequest]: read(['hospital', 'lab', 'regulator']),
  [Tx.ListRequests]: read(['hospital', 'lab', 'regulator']),
  [Tx.GetReceipt]: read(['hospital', 'lab', 'regulator']),
  [Tx.GetBatch]: read(),
  [Tx.GetSpotCheck]: read(['hospital', 'lab', 'regulator']),

  [Tx.DeclareCapacity]: write(['lab']),
  [Tx.PlaceBid]: write(['lab']),
  [Tx.CloseAuction]: write(['hospital', 'lab', 'admin']),
  [Tx.ListCapacity]: read(),

  [Tx.RedeemPriority]: write(['lab']),
  [Tx.CompactReputation]: write(['hospital', 'lab', 'admin']),
  [Tx.GetReputation]: read(),
} as const satisfies Readonly<Record<PolicedTx, TxPolicy>>;

/** A policed transaction's wire name, `Contract:Function` (from `@veriscan/ledger-api`). */
export type { PolicedTx as TxName };

/** True when the table's `write` agrees with ledger-api's {@link WRITE_TXS} (checked by the unit tests). */
export function writeFlagsAgree(): boolean {
  return (Object.entries(POLICY) as [PolicedTx, TxPolicy][]).every(
    ([tx, p]) => p.write === WRITE_TXS.has(tx),
  );
}
