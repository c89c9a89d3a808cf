/** Lab capacity declarations and auction bids (chaincode `domain/scheduling.ts`, Scheduler contract). */
import { isMemberId, isModelId, type MemberId, type ModelId } from '@veriscan/protocol';
import {
  isCount,
  isIsoTime,
  isPositive,
  isVersion,
  objectAt,
  readArray,
  readField,
  type Semver,
} from './fields';

/** A lab's declaration that it serves a model version (ListCapacity, DeclareCapacity with max ≥ 1). */
export type CapacityRecord = {
  readonly labId: MemberId;
  readonly modelId: ModelId;
  readonly modelVersion: Semver;
  /** Requests the lab runs at once (advisory; ≥ 1). */
  readonly maxConcurrent: number;
  readonly declaredAt: string;
};

/** DeclareCapacity's answer to `maxConcurrent` "0": the declaration was withdrawn (no `declaredAt`). */
export type CapacityWithdrawal = {
  readonly labId: MemberId;
  readonly modelId: ModelId;
  readonly modelVersion: Semver;
  readonly maxConcurrent: 0;
};

/** DeclareCapacity's answer: the stored declaration, or its withdrawal. */
export type DeclareCapacityAnswer = CapacityRecord | CapacityWithdrawal;

/** ListCapacity's answer: the declarations for one model version. */
export type CapacityList = {
  readonly capacity: readonly CapacityRecord[];
};

/** A lab's bid in an auction (PlaceBid). */
export type BidRecord = {
  readonly labId: MemberId;
  /** Promised latency, at most the priority's deadline. */
  readonly latencyMs: number;
  /** Integer credits. */
  readonly price: number;
  readonly placedAt: string;
};

/** Parses a stored capacity declaration. */
export function parseCapacityRecord(value: unknown, what = 'capacity'): CapacityRecord {
  const o = objectAt(value, what);
  return {
    labId: readField(o, 'labId', what, isMemberId, 'a member id'),
    modelId: readField(o, 'modelId', what, isModelId, 'a model id'),
    modelVersion: readField(o, 'modelVersion', what, isVersion, 'a version'),
    maxConcurrent: readField(o, 'maxConcurrent', what, isPositive, 'a positive integer'),
    declaredAt: readField(o, 'declaredAt', what, isIsoTime, 'an ISO time'),
  };
}

const isZero = (value: unknown): value is 0 => value === 0;

/** Parses DeclareCapacity's answer: a withdrawal when `maxConcurrent` is 0, else a {@link CapacityRecord}. */
export function parseDeclareCapacityAnswer(value: unknown, what = 'capacity'): DeclareCapacityAnswer {
  const o = objectAt(value, what);
  if (o.maxConcurrent !== 0) return parseCapacityRecord(o, what);
  return {
    labId: readField(o, 'labId', what, isMemberId, 'a member id'),
    modelId: readField(o, 'modelId', what, isModelId, 'a model id'),
    modelVersion: readField(o, 'modelVersion', what, isVersion, 'a version'),
    maxConcurrent: readField(o, 'maxConcurrent', what, isZero, '0'),
  };
}

/** Parses ListCapacity's `{capacity}`. */
export function parseCapacityList(value: unknown, what = 'capacityList'): CapacityList {
  const o = objectAt(value, what);
  return { capacity: readArray(o, 'capacity', what, parseCapacityRecord) };
}

/** Parses a stored bid. */
export function parseBidRecord(value: unknown, what = 'bid'): BidRecord {
  const o = objectAt(value, what);
  return {
    labId: readField(o, 'labId', what, isMemberId, 'a member id'),
    latencyMs: readField(o, 'latencyMs', what, isPositive, 'a positive integer'),
    price: readField(o, 'price', what, isCount, 'a non-negative integer'),
    placedAt: readField(o, 'placedAt', what, isIsoTime, 'an ISO time'),
  };
}
