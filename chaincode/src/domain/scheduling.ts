/**
 * The scheduler's pure decisions (ARCHITECTURE.md §5): given eligible labs in key order and a draw
 * from the transaction id, pick one. Pure so the distribution can be tested over many draws.
 */
import { DRAW_RANGE } from '../infra/random';
import { parseObject } from '../infra/reader';
import { integer, isoTime, memberId, modelId, semver, type MemberId, type Parser } from '../infra/scalars';
import { type BidRecord, type CapacityRecord } from '@veriscan/ledger-api/wire';

/** A lab that may take the request, with its scheduling weight (≥ 1). */
export type Candidate = { readonly labId: MemberId; readonly weight: number };

/**
 * Weighted choice: lab i wins with probability weight_i / Σweights. `draw` is uniform in
 * [0, DRAW_RANGE); scaling it (rather than `draw % total`) keeps the bias below total / 2^48.
 */
export function pickWeighted(candidates: readonly Candidate[], draw: number): MemberId | undefined {
  const total = candidates.reduce((sum, c) => sum + c.weight, 0);
  if (total <= 0) return undefined;
  let ticket = Math.floor((draw / DRAW_RANGE) * total);
  for (const candidate of candidates) {
    if (ticket < candidate.weight) return candidate.labId;
    ticket -= candidate.weight;
  }
  return candidates[candidates.length - 1]?.labId;
}

/** Round robin: the first lab after `last` in key order, wrapping to the first. */
export function pickRoundRobin(labIds: readonly MemberId[], last: MemberId | null): MemberId | undefined {
  if (last !== null) {
    const next = labIds.find((id) => id > last);
    if (next !== undefined) return next;
  }
  return labIds[0];
}

/** A lab's bid in an auction. */
export type Bid = BidRecord;

/** The best bid: lowest price, then lowest promised latency, then lab id (a total order, so deterministic). */
export function pickBestBid(bids: readonly Bid[]): Bid | undefined {
  let best: Bid | undefined;
  for (const bid of bids) {
    if (
      best === undefined ||
      bid.price < best.price ||
      (bid.price === best.price &&
        (bid.latencyMs < best.latencyMs || (bid.latencyMs === best.latencyMs && bid.labId < best.labId)))
    ) {
      best = bid;
    }
  }
  return best;
}

/** Weight of a lab: base + reputation (clamped to [0, cap]) + active priority credits. */
export function weightOf(base: number, reputation: number, cap: number, priority: number): number {
  return base + Math.min(cap, Math.max(0, reputation)) + Math.max(0, priority);
}

/** A lab's declaration that it serves a model version, with how many requests it runs at once. */
export type Capacity = CapacityRecord;

/** Parses a stored capacity declaration. */
export const parseCapacity: Parser<Capacity> = (value, path) =>
  parseObject(value, path, (r) => ({
    labId: r.field('labId', memberId),
    modelId: r.field('modelId', modelId),
    modelVersion: r.field('modelVersion', semver),
    maxConcurrent: r.field('maxConcurrent', integer(1, 10_000)),
    declaredAt: r.field('declaredAt', isoTime),
  }));

/** Parses a stored bid. */
export const parseBid: Parser<Bid> = (value, path) =>
  parseObject(value, path, (r) => ({
    labId: r.field('labId', memberId),
    latencyMs: r.field('latencyMs', integer(1, Number.MAX_SAFE_INTEGER)),
    price: r.field('price', integer(0, 1_000_000_000)),
    placedAt: r.field('placedAt', isoTime),
  }));

/** The round-robin cursor of one model version: the lab assigned last. */
export type RoundRobinCursor = { readonly lastLabId: MemberId };

/** Parses a stored cursor. */
export const parseCursor: Parser<RoundRobinCursor> = (value, path) =>
  parseObject(value, path, (r) => ({ lastLabId: r.field('lastLabId', memberId) }));
