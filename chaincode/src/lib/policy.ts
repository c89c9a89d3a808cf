/**
 * Who may call what: the one policy table every Veriscan transaction authorizes against.
 * `write: true` transactions change state; the regulator role appears in none of them, which is
 * how "the regulator reads everything and writes nothing" is enforced (and tested row by row).
 * Roles come from certificate attributes checked against the MSP id (lib/identity.ts); every
 * non-admin caller must also hold an active Member record whose id, org and role match.
 */
import type { Role } from './identity';

export interface TxPolicy {
  readonly roles: readonly Role[];
  readonly write: boolean;
}

const ANY: readonly Role[] = ['hospital', 'lab', 'regulator', 'admin'];
const read = (roles: readonly Role[] = ANY): TxPolicy => ({ roles, write: false });
const write = (roles: readonly Role[]): TxPolicy => ({ roles, write: true });

export const POLICY = {
  'Config:GetConfig': read(),
  'Config:SetConfig': write(['admin']),

  'Membership:Bootstrap': write(['admin']),
  'Membership:RegisterMember': write(['admin']),
  'Membership:ApproveMember': write(['admin']),
  'Membership:SuspendMember': write(['admin']),
  'Membership:SetMemberEndpoint': write(['hospital', 'lab', 'admin']),
  'Membership:GetMember': read(),
  'Membership:ListMembers': read(),

  'Models:ProposeModel': write(['lab']),
  'Models:ApproveModel': write(['admin']),
  'Models:DeprecateModel': write(['lab', 'admin']),
  'Models:RevokeModel': write(['admin']),
  'Models:GetModel': read(),
  'Models:ListModels': read(),
  'Models:ResolveModel': read(),

  'Requests:RequestInference': write(['hospital']),
  'Requests:SubmitResult': write(['lab']),
  'Requests:AnchorBatch': write(['lab']),
  'Requests:ExpireRequest': write(['hospital', 'lab', 'admin']),
  'Requests:SubmitSpotCheck': write(['lab']),
  'Requests:ResolveDispute': write(['admin']),
  'Requests:GetRequest': read(['hospital', 'lab', 'regulator']),
  'Requests:ListRequests': read(['hospital', 'lab', 'regulator']),
  'Requests:GetReceipt': read(['hospital', 'lab', 'regulator']),
  'Requests:GetBatch': read(),
  'Requests:GetSpotCheck': read(['hospital', 'lab', 'regulator']),

  'Scheduler:DeclareCapacity': write(['lab']),
  'Scheduler:PlaceBid': write(['lab']),
  'Scheduler:CloseAuction': write(['hospital', 'lab', 'admin']),
  'Scheduler:ListCapacity': read(),

  'Reputation:RedeemPriority': write(['lab']),
  'Reputation:CompactReputation': write(['hospital', 'lab', 'admin']),
  'Reputation:GetReputation': read(),
} as const satisfies Readonly<Record<string, TxPolicy>>;

/** A transaction's wire name, `Contract:Function`. */
export type TxName = keyof typeof POLICY;
