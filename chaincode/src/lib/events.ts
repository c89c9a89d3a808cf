import type { Context } from 'fabric-contract-api';
import { canonicalBytes, type Json } from './json';

/** Chaincode event names, the contract's outbound API. */
export const EventName = {
  MemberRegistered: 'MemberRegistered',
  MemberApproved: 'MemberApproved',
  MemberSuspended: 'MemberSuspended',
  MembersBootstrapped: 'MembersBootstrapped',
  ConfigChanged: 'ConfigChanged',
  ModelProposed: 'ModelProposed',
  ModelApproved: 'ModelApproved',
  ModelDeprecated: 'ModelDeprecated',
  ModelRevoked: 'ModelRevoked',
  AuctionOpened: 'AuctionOpened',
  RequestAssigned: 'RequestAssigned',
  RequestExpired: 'RequestExpired',
  ResultCommitted: 'ResultCommitted',
  BatchAnchored: 'BatchAnchored',
  SpotCheckPassed: 'SpotCheckPassed',
  DisputeOpened: 'DisputeOpened',
  DisputeResolved: 'DisputeResolved',
  PriorityRedeemed: 'PriorityRedeemed',
  ReputationCompacted: 'ReputationCompacted',
} as const;
export type EventName = (typeof EventName)[keyof typeof EventName];

/**
 * Sets the transaction's event. Fabric keeps only the last `setEvent` of a transaction, so each
 * transaction emits exactly one event, built once at its end. Payloads carry ids and hashes only.
 */
export function emit(ctx: Context, name: EventName, payload: Json): void {
  ctx.stub.setEvent(name, canonicalBytes(payload));
}
