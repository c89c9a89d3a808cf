/** The consortium configuration record (chaincode `rules/config.ts`), as GetConfig returns it. */
import { isCount, isPositive, objectAt, oneOf, readArray, readField, readNested, type Check } from './fields';

/** How the chaincode picks a lab for a request. */
export const SchedulerMode = ['weighted', 'round-robin', 'auction'] as const;
/** A scheduler mode. */
export type SchedulerMode = (typeof SchedulerMode)[number];

/** Request priorities, each with its own deadline. */
export const Priority = ['routine', 'urgent', 'stat'] as const;
/** A request priority. */
export type Priority = (typeof Priority)[number];

/** True for a {@link Priority}. */
export const isPriority: Check<Priority> = oneOf(Priority);

/** A mint tier: a completion within `maxLatencyPerMille` of the deadline budget earns `amount`. */
export type MintTier = {
  readonly maxLatencyPerMille: number;
  readonly amount: number;
};

/** The deadline of each priority, in ms. */
export type PriorityDeadlines = {
  readonly routine: number;
  readonly urgent: number;
  readonly stat: number;
};

/** The configuration in force (chaincode `ChaincodeConfig`); fractions are integers per mille. */
export type ChaincodeConfigRecord = {
  /**
   * A governance proposal passes when more than this share (per mille) of its electorate approved:
   * `⌊n·x/1000⌋ + 1` of `n` voting institutions (500: a strict majority; 1000: unanimity).
   */
  readonly proposalApprovalPerMille: number;
  /** How long a proposal stays open for votes. */
  readonly proposalTtlMs: number;
  /** The same rule for model versions: approvals from hospital and lab admins. */
  readonly modelApprovalPerMille: number;
  readonly schedulerMode: SchedulerMode;
  /** Scheduling weight every eligible lab gets before reputation and priority credits. */
  readonly baseWeight: number;
  /** Upper bound on the reputation counted into a lab's weight, so no lab can starve the rest. */
  readonly maxReputationWeight: number;
  readonly deadlineMs: PriorityDeadlines;
  readonly auctionWindowMs: number;
  /** Ordered by `maxLatencyPerMille`; the first tier the completion fits pays. */
  readonly mintTiers: readonly MintTier[];
  /** Burned when a result arrives after the deadline but before anyone expired the request. */
  readonly lateSubmitBurn: number;
  /** Burned from a lab whose assignment is expired. */
  readonly expiryBurn: number;
  /** Burned from a lab found wrong in a resolved dispute. */
  readonly disputeBurn: number;
  readonly spotCheckPerMille: number;
  readonly spotCheckReward: number;
  readonly spotCheckDeadlineMs: number;
  /** How long redeemed priority credits raise a lab's weight. */
  readonly priorityWindowMs: number;
  readonly maxBatchSize: number;
  /** Entries returned by GetReputation's history. */
  readonly recentHistory: number;
};

const isSchedulerMode: Check<SchedulerMode> = oneOf(SchedulerMode);

function parseMintTier(value: unknown, what: string): MintTier {
  const o = objectAt(value, what);
  return {
    maxLatencyPerMille: readField(o, 'maxLatencyPerMille', what, isPositive, 'a positive integer'),
    amount: readField(o, 'amount', what, isCount, 'a non-negative integer'),
  };
}

function parseDeadlines(value: unknown, what: string): PriorityDeadlines {
  const o = objectAt(value, what);
  return {
    routine: readField(o, 'routine', what, isPositive, 'a duration in ms'),
    urgent: readField(o, 'urgent', what, isPositive, 'a duration in ms'),
    stat: readField(o, 'stat', what, isPositive, 'a duration in ms'),
  };
}

/** Parses the configuration record (GetConfig): every field is required in an answer. */
export function parseChaincodeConfigRecord(value: unknown, what = 'config'): ChaincodeConfigRecord {
  const o = objectAt(value, what);
  const count = (key: string): number => readField(o, key, what, isCount, 'a non-negative integer');
  const positive = (key: string): number => readField(o, key, what, isPositive, 'a positive integer');
  return {
    proposalApprovalPerMille: count('proposalApprovalPerMille'),
    proposalTtlMs: positive('proposalTtlMs'),
    modelApprovalPerMille: count('modelApprovalPerMille'),
    schedulerMode: readField(o, 'schedulerMode', what, isSchedulerMode, 'a scheduler mode'),
    baseWeight: positive('baseWeight'),
    maxReputationWeight: count('maxReputationWeight'),
    deadlineMs: readNested(o, 'deadlineMs', what, parseDeadlines),
    auctionWindowMs: positive('auctionWindowMs'),
    mintTiers: readArray(o, 'mintTiers', what, parseMintTier),
    lateSubmitBurn: count('lateSubmitBurn'),
    expiryBurn: count('expiryBurn'),
    disputeBurn: count('disputeBurn'),
    spotCheckPerMille: count('spotCheckPerMille'),
    spotCheckReward: count('spotCheckReward'),
    spotCheckDeadlineMs: positive('spotCheckDeadlineMs'),
    priorityWindowMs: positive('priorityWindowMs'),
    maxBatchSize: positive('maxBatchSize'),
    recentHistory: positive('recentHistory'),
  };
}
