/**
 * Picking and recording the lab for a request, shared by RequestInference, ExpireRequest and
 * CloseAuction. Eligible = an active lab member with a live capacity declaration for the exact
 * model version, read in key order (lab id), so every endorser sees the same list.
 */
import type { Context } from 'fabric-contract-api';
import { parseMember } from '../domain/member';
import type { ModelVersion } from '../domain/model';
import { INDEX_MARK, type InferenceRequest } from '../domain/request';
import {
  parseCapacity,
  parseCursor,
  pickRoundRobin,
  pickWeighted,
  weightOf,
  type Candidate,
} from '../domain/scheduling';
import type { ChaincodeConfig } from '../rules/config';
import { fail } from '../infra/errors';
import { EventName, emit } from '../infra/events';
import type { Json } from '../infra/json';
import { KeyType } from '../infra/keys';
import { drawFromTx } from '../infra/random';
import { formatTime, type MemberId } from '../infra/scalars';
import { deleteRecord, readRecord, scanRecords, writeRecord } from '../infra/state';
import { weightInputs } from './reputation';

/** Active labs serving `model`, minus `exclude`, in lab-id order. */
export async function eligibleLabs(
  ctx: Context,
  model: Pick<ModelVersion, 'modelId' | 'version'>,
  exclude: readonly MemberId[],
): Promise<MemberId[]> {
  const rows = await scanRecords(ctx, KeyType.capacity, [model.modelId, model.version], parseCapacity);
  const labs: MemberId[] = [];
  for (const { value } of rows) {
    if (exclude.includes(value.labId)) continue;
    const member = await readRecord(ctx, KeyType.member, [value.labId], parseMember);
    if (member?.role === 'lab' && member.status === 'active') labs.push(value.labId);
  }
  return labs;
}

/** The weighted candidates: base weight + snapshot reputation (capped) + active priority credits. */
export async function weightedCandidates(
  ctx: Context,
  labs: readonly MemberId[],
  config: ChaincodeConfig,
  nowMs: number,
): Promise<Candidate[]> {
  const candidates: Candidate[] = [];
  for (const labId of labs) {
    const inputs = await weightInputs(ctx, labId, nowMs);
    candidates.push({
      labId,
      weight: weightOf(config.baseWeight, inputs.snapshot, config.maxReputationWeight, inputs.priority),
    });
  }
  return candidates;
}

/**
 * Chooses a lab among `labs` by `mode` (auction falls back to weighted: reassignments and bid-less
 * auctions are not re-auctioned). Round robin reads and writes one cursor per model version, so
 * concurrent requests for the same version conflict (MVCC) and are retried by the client: the price
 * of a strict rotation.
 * @throws FAILED_PRECONDITION when `labs` is empty.
 */
export async function chooseLab(
  ctx: Context,
  model: Pick<ModelVersion, 'modelId' | 'version'>,
  labs: readonly MemberId[],
  config: ChaincodeConfig,
  nowMs: number,
): Promise<MemberId> {
  if (labs.length === 0)
    return fail('FAILED_PRECONDITION', `no eligible lab serves ${model.modelId}@${model.version}`);
  if (config.schedulerMode === 'round-robin') {
    const cursor = await readRecord(ctx, KeyType.roundRobin, [model.modelId, model.version], parseCursor);
    const picked =
      pickRoundRobin(labs, cursor?.lastLabId ?? null) ?? fail('FAILED_PRECONDITION', 'no eligible lab');
    await writeRecord(ctx, KeyType.roundRobin, [model.modelId, model.version], { lastLabId: picked });
    return picked;
  }
  const candidates = await weightedCandidates(ctx, labs, config, nowMs);
  return (
    pickWeighted(candidates, drawFromTx(ctx, 'schedule')) ?? fail('FAILED_PRECONDITION', 'no eligible lab')
  );
}

/**
 * The request assigned to `labId` from `nowMs`, with the priority's deadline. Writes the request
 * and the lab's index entry, and removes the previous lab's entry on a reassignment.
 */
export async function recordAssignment(
  ctx: Context,
  request: InferenceRequest,
  labId: MemberId,
  config: ChaincodeConfig,
  nowMs: number,
): Promise<InferenceRequest> {
  const previous = request.assignedLab;
  const assigned: InferenceRequest = {
    ...request,
    status: 'assigned',
    assignedLab: labId,
    assignedAt: formatTime(nowMs),
    deadline: formatTime(nowMs + config.deadlineMs[request.priority]),
    attempt: request.attempt + 1,
    previousLabs: previous === null ? request.previousLabs : [...request.previousLabs, previous],
  };
  await writeRecord(ctx, KeyType.request, [request.requestId], requestJson(assigned));
  if (previous !== null && previous !== labId)
    await deleteRecord(ctx, KeyType.requestByLab, [previous, request.requestId]);
  await writeRecord(ctx, KeyType.requestByLab, [labId, request.requestId], INDEX_MARK);
  return assigned;
}

/**
 * Records the assignment of `request` to `labId` (see {@link recordAssignment}) and emits
 * `RequestAssigned`, with `previousLab` set on a reassignment. Returns the assigned request.
 */
export async function assignAndAnnounce(
  ctx: Context,
  request: InferenceRequest,
  labId: MemberId,
  config: ChaincodeConfig,
  nowMs: number,
  previousLab: MemberId | null,
): Promise<InferenceRequest> {
  const assigned = await recordAssignment(ctx, request, labId, config, nowMs);
  emit(ctx, EventName.RequestAssigned, assignedEvent(assigned, previousLab));
  return assigned;
}

/** The `RequestAssigned` event payload: ids, hashes and times only; `previousLab` is set on a reassignment. */
export function assignedEvent(request: InferenceRequest, previousLab: MemberId | null): Json {
  return {
    previousLab,
    requestId: request.requestId,
    hospitalId: request.hospitalId,
    labId: request.assignedLab,
    modelId: request.modelId,
    modelVersion: request.modelVersion,
    onnxSha256: request.onnxSha256,
    scanCommitment: request.scanCommitment,
    tileRootCommitment: request.tileRootCommitment,
    priority: request.priority,
    deadline: request.deadline,
    attempt: request.attempt,
  };
}

/** Requests as stored and returned. */
export function requestJson(request: InferenceRequest): Json {
  return request;
}
