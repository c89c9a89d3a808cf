/**
 * The chaincode's events, its outbound API. Fabric keeps only the last `setEvent` of a
 * transaction, so each transaction emits at most one of these; payloads carry ids and hashes only.
 */
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

/** True when `name` is one of the chaincode's events. */
export function isEventName(name: string): name is EventName {
  return (Object.values(EventName) as readonly string[]).includes(name);
}
