/**
 * Every transaction of the `veriscan` chaincode by its wire name, `Contract:Function`, and whether
 * it writes (submitted and ordered) or only reads (evaluated on one peer). The chaincode names its
 * contracts from {@link ContractName} and authorizes against {@link Tx}; a unit test checks that the
 * chaincode's metadata lists exactly these. Nothing else spells a transaction name.
 */

/** The chaincode's contracts (fabric-contract-api namespaces). `System` is the default contract. */
export const ContractName = {
  System: 'System',
  Config: 'Config',
  Membership: 'Membership',
  Models: 'Models',
  Requests: 'Requests',
  Scheduler: 'Scheduler',
  Reputation: 'Reputation',
  Governance: 'Governance',
} as const;
export type ContractName = (typeof ContractName)[keyof typeof ContractName];

/** Transaction wire names. */
export const Tx = {
  Ping: 'System:Ping',
  Whoami: 'System:Whoami',
  PutProbe: 'System:PutProbe',
  IncrementProbe: 'System:IncrementProbe',
  WriteThenReadProbe: 'System:WriteThenReadProbe',
  CountProbes: 'System:CountProbes',
  PagedQueryThenWriteProbe: 'System:PagedQueryThenWriteProbe',
  WriteThenPagedQueryProbe: 'System:WriteThenPagedQueryProbe',
  GetProbe: 'System:GetProbe',

  GetConfig: 'Config:GetConfig',

  Bootstrap: 'Membership:Bootstrap',
  SetMemberEndpoint: 'Membership:SetMemberEndpoint',
  GetMember: 'Membership:GetMember',
  ListMembers: 'Membership:ListMembers',

  ProposeModel: 'Models:ProposeModel',
  ApproveModel: 'Models:ApproveModel',
  DeprecateModel: 'Models:DeprecateModel',
  GetModel: 'Models:GetModel',
  ListModels: 'Models:ListModels',
  ResolveModel: 'Models:ResolveModel',

  RequestInference: 'Requests:RequestInference',
  SubmitResult: 'Requests:SubmitResult',
  AnchorBatch: 'Requests:AnchorBatch',
  ExpireRequest: 'Requests:ExpireRequest',
  SubmitSpotCheck: 'Requests:SubmitSpotCheck',
  GetRequest: 'Requests:GetRequest',
  ListRequests: 'Requests:ListRequests',
  GetReceipt: 'Requests:GetReceipt',
  GetBatch: 'Requests:GetBatch',
  GetSpotCheck: 'Requests:GetSpotCheck',

  DeclareCapacity: 'Scheduler:DeclareCapacity',
  PlaceBid: 'Scheduler:PlaceBid',
  CloseAuction: 'Scheduler:CloseAuction',
  ListCapacity: 'Scheduler:ListCapacity',

  RedeemPriority: 'Reputation:RedeemPriority',
  CompactReputation: 'Reputation:CompactReputation',
  GetReputation: 'Reputation:GetReputation',

  Propose: 'Governance:Propose',
  Vote: 'Governance:Vote',
  GetProposal: 'Governance:GetProposal',
  ListProposals: 'Governance:ListProposals',
} as const;
/** A transaction's wire name. */
export type TxName = (typeof Tx)[keyof typeof Tx];

/** The transactions that write: submitted through the orderer. Every other one is evaluated. */
export const WRITE_TXS: ReadonlySet<TxName> = new Set<TxName>([
  Tx.PutProbe,
  Tx.IncrementProbe,
  Tx.WriteThenReadProbe,
  Tx.CountProbes,
  Tx.PagedQueryThenWriteProbe,
  Tx.WriteThenPagedQueryProbe,
  Tx.Bootstrap,
  Tx.SetMemberEndpoint,
  Tx.ProposeModel,
  Tx.ApproveModel,
  Tx.DeprecateModel,
  Tx.RequestInference,
  Tx.SubmitResult,
  Tx.AnchorBatch,
  Tx.ExpireRequest,
  Tx.SubmitSpotCheck,
  Tx.DeclareCapacity,
  Tx.PlaceBid,
  Tx.CloseAuction,
  Tx.RedeemPriority,
  Tx.CompactReputation,
  Tx.Propose,
  Tx.Vote,
]);

/** True when `name` is one of the chaincode's transactions. */
export function isTxName(name: string): name is TxName {
  return (Object.values(Tx) as readonly string[]).includes(name);
}

/** The contract half of a wire name. */
export function contractOf(name: TxName): ContractName {
  const contract = name.slice(0, name.indexOf(':'));
  const found = Object.values(ContractName).find((c) => c === contract);
  // Every Tx value starts with a ContractName value (checked by the unit tests).
  if (found === undefined) throw new RangeError(`no contract for ${name}`);
  return found;
}

/** The function half of a wire name, e.g. `SubmitResult`. */
export function functionOf(name: TxName): string {
  return name.slice(name.indexOf(':') + 1);
}
