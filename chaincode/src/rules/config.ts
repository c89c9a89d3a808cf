/**
 * The consortium's tunable rules. Stored as one on-chain record, changed only by an approved
 * governance proposal of kind `config`; until then the typed defaults below apply. Fractions are integers per
 * mille so no floating-point value ever decides state.
 */
import type { Context } from 'fabric-contract-api';
import { fail } from '../infra/errors';
import type { Json } from '../infra/json';
import { KeyType } from '../infra/keys';
import { parseObject, type ObjectReader } from '../infra/reader';
import { arrayOf, integer, oneOf, type Parser } from '../infra/scalars';
import { readRecord } from '../infra/state';
import { SchedulerMode, type ChaincodeConfigRecord, type MintTier } from '@veriscan/ledger-api/wire';

/** Scheduler modes (ledger-api's table). */
export { SchedulerMode };

export const Priority = ['routine', 'urgent', 'stat'] as const;
export type Priority = (typeof Priority)[number];

/** The configuration record: its shape is ledger-api's, so clients parse exactly what is stored. */
export type ChaincodeConfig = ChaincodeConfigRecord;
export type { MintTier };

/** Defaults used until a `config` proposal writes a configuration record. */
export const DEFAULT_CONFIG: ChaincodeConfig = {
  proposalApprovalPerMille: 500,
  proposalTtlMs: 7 * 86_400_000,
  modelApprovalPerMille: 500,
  schedulerMode: 'weighted',
  baseWeight: 10,
  maxReputationWeight: 1000,
  deadlineMs: { routine: 3_600_000, urgent: 600_000, stat: 120_000 },
  auctionWindowMs: 5_000,
  mintTiers: [
    { maxLatencyPerMille: 250, amount: 3 },
    { maxLatencyPerMille: 500, amount: 2 },
    { maxLatencyPerMille: 1000, amount: 1 },
  ],
  lateSubmitBurn: 1,
  expiryBurn: 5,
  disputeBurn: 10,
  spotCheckPerMille: 50,
  spotCheckReward: 1,
  spotCheckDeadlineMs: 3_600_000,
  priorityWindowMs: 3_600_000,
  maxBatchSize: 256,
  recentHistory: 20,
};

const DAY_MS = 86_400_000;

const mintTier: Parser<MintTier> = (value, path) =>
  parseObject(value, path, (r) => ({
    maxLatencyPerMille: r.field('maxLatencyPerMille', integer(1, 1000)),
    amount: r.field('amount', integer(0, 1000)),
  }));

const mintTiers: Parser<readonly MintTier[]> = (value, path) => {
  const tiers = arrayOf(mintTier, 1, 10)(value, path);
  for (let i = 1; i < tiers.length; i += 1) {
    const previous = tiers[i - 1];
    const current = tiers[i];
    if (
      previous !== undefined &&
      current !== undefined &&
      current.maxLatencyPerMille <= previous.maxLatencyPerMille
    ) {
      fail('INVALID_ARGUMENT', `${path} must be ordered by increasing maxLatencyPerMille`);
    }
  }
  return tiers;
};

const deadlines: Parser<ChaincodeConfig['deadlineMs']> = (value, path) =>
  parseObject(value, path, (r) => ({
    routine: r.field('routine', integer(1000, 30 * DAY_MS)),
    urgent: r.field('urgent', integer(1000, 30 * DAY_MS)),
    stat: r.field('stat', integer(1000, 30 * DAY_MS)),
  }));

/** Reads each field from `r`, falling back to `base` for the ones a patch leaves out. */
function readConfig(r: ObjectReader, base: ChaincodeConfig): ChaincodeConfig {
  const pick = <K extends keyof ChaincodeConfig>(
    key: K,
    parse: Parser<ChaincodeConfig[K]>,
  ): ChaincodeConfig[K] => r.optional(key, parse) ?? base[key];
  return {
    proposalApprovalPerMille: pick('proposalApprovalPerMille', integer(0, 1000)),
    proposalTtlMs: pick('proposalTtlMs', integer(60_000, 90 * DAY_MS)),
    modelApprovalPerMille: pick('modelApprovalPerMille', integer(0, 1000)),
    schedulerMode: pick('schedulerMode', oneOf(SchedulerMode)),
    baseWeight: pick('baseWeight', integer(1, 1_000_000)),
    maxReputationWeight: pick('maxReputationWeight', integer(0, 1_000_000)),
    deadlineMs: pick('deadlineMs', deadlines),
    auctionWindowMs: pick('auctionWindowMs', integer(100, DAY_MS)),
    mintTiers: pick('mintTiers', mintTiers),
    lateSubmitBurn: pick('lateSubmitBurn', integer(0, 1000)),
    expiryBurn: pick('expiryBurn', integer(0, 1000)),
    disputeBurn: pick('disputeBurn', integer(0, 1000)),
    spotCheckPerMille: pick('spotCheckPerMille', integer(0, 1000)),
    spotCheckReward: pick('spotCheckReward', integer(0, 1000)),
    spotCheckDeadlineMs: pick('spotCheckDeadlineMs', integer(1000, 30 * DAY_MS)),
    priorityWindowMs: pick('priorityWindowMs', integer(1000, 30 * DAY_MS)),
    maxBatchSize: pick('maxBatchSize', integer(1, 1000)),
    recentHistory: pick('recentHistory', integer(1, 200)),
  };
}

/** Parses a stored configuration record (every field optional, defaults fill the gaps). */
export const parseConfig: Parser<ChaincodeConfig> = (value, path) =>
  parseObject(value, path, (r) => {
    // Retired: the peer-clock skew bound (the chaincode reads no node clock). Records written before
    // still carry it; it is read and dropped, and a patch may no longer set it.
    r.optional('maxClockSkewMs', integer(0, Number.MAX_SAFE_INTEGER));
    return readConfig(r, DEFAULT_CONFIG);
  });

/** Parses a patch (only the fields to change) and applies it over `base`. */
export function applyConfigPatch(base: ChaincodeConfig, patch: unknown): ChaincodeConfig {
  return parseObject(patch, 'config', (r) => readConfig(r, base));
}

/** The configuration in force: the on-chain record, or the defaults. */
export async function loadConfig(ctx: Context): Promise<ChaincodeConfig> {
  return (await readRecord(ctx, KeyType.config, ['current'], parseConfig)) ?? DEFAULT_CONFIG;
}

/** The record form, for writing. */
export function configJson(config: ChaincodeConfig): Json {
  return config;
}

/**
 * Approvals a vote needs from an electorate of `n` institutions: more than `perMille`/1000 of
 * them, `⌊n·perMille/1000⌋ + 1`, capped at `n` (500 is a strict majority, 1000 unanimity).
 */
export function approvalsNeeded(n: number, perMille: number): number {
  return Math.min(n, Math.floor((n * perMille) / 1000) + 1);
}
