/**
 * The chaincode's events, its outbound API. Fabric keeps only the last `setEvent` of a
 * transaction, so each transaction emits at most one of these; payloads carry ids and hashes only.
 * A governance proposal's effect (a configuration change, an admission, a suspension, a dispute
 * resolution, a model revocation) is announced by the `ProposalDecided` of the vote that carried it.
 */
export const EventName = {
  MembersBootstrapped: 'MembersBootstrapped',
  ModelProposed: 'ModelProposed',
  ModelApproved: 'ModelApproved',
  ModelDeprecated: 'ModelDeprecated',
  AuctionOpened: 'AuctionOpened',
  RequestAssigned: 'RequestAssigned',
  RequestExpired: 'RequestExpired',
  ResultCommitted: 'ResultCommitted',
  BatchAnchored: 'BatchAnchored',
  SpotCheckPassed: 'SpotCheckPassed',
  DisputeOpened: 'DisputeOpened',
  PriorityRedeemed: 'PriorityRedeemed',
  ReputationCompacted: 'ReputationCompacted',
  ProposalOpened: 'ProposalOpened',
  ProposalVoted: 'ProposalVoted',
  ProposalDecided: 'ProposalDecided',
} as const;
export type EventName = (typeof EventName)[keyof typeof EventName];

/** True when `name` is one of the chaincode's events. */
export function isEventName(name: string): name is EventName {
  return (Object.values(EventName) as readonly string[]).includes(name);
}
