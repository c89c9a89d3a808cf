/**
 * Who may read a request and what hangs off it: a hospital its own, a lab those assigned to it
 * (now or before, or handed to it for a spot check), the regulator all. An invisible request is
 * reported as NOT_FOUND, exactly like a missing one, so request ids cannot be probed.
 */
import type { Context } from 'fabric-contract-api';
import { parseRequest, parseSpotCheck, type InferenceRequest } from '../domain/request';
import type { Actor } from '../rules/authorize';
import { fail } from '../infra/errors';
import { KeyType } from '../infra/keys';
import type { RequestId } from '../infra/scalars';
import { readRecord } from '../infra/state';

/** True when `actor` may read `request`. */
export async function canSee(ctx: Context, actor: Actor, request: InferenceRequest): Promise<boolean> {
  switch (actor.role) {
    case 'regulator':
      return true;
    case 'hospital':
      return request.hospitalId === actor.memberId;
    case 'lab': {
      if (request.assignedLab === actor.memberId || request.previousLabs.includes(actor.memberId))
        return true;
      const spot = await readRecord(ctx, KeyType.spotCheck, [request.requestId], parseSpotCheck);
      return spot?.checkerLab === actor.memberId;
    }
  }
}

/**
 * The request, if it exists and `actor` may read it.
 * @throws NOT_FOUND otherwise.
 */
export async function requireVisibleRequest(
  ctx: Context,
  actor: Actor,
  id: RequestId,
): Promise<InferenceRequest> {
  const request = await readRecord(ctx, KeyType.request, [id], parseRequest);
  if (request === undefined || !(await canSee(ctx, actor, request)))
    return fail('NOT_FOUND', `request ${id} does not exist`);
  return request;
}

/** The request, read without a visibility check (writers check their own rules). @throws NOT_FOUND. */
export async function requireRequest(ctx: Context, id: RequestId): Promise<InferenceRequest> {
  const request = await readRecord(ctx, KeyType.request, [id], parseRequest);
  if (request === undefined) return fail('NOT_FOUND', `request ${id} does not exist`);
  return request;
}
