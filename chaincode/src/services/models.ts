/** Model look-ups shared by the Models, Requests and Scheduler contracts. */
import type { Context } from 'fabric-contract-api';
import { compareSemver, parseModelVersion, type ModelRef, type ModelVersion } from '../domain/model';
import { fail } from '../infra/errors';
import { KeyType } from '../infra/keys';
import type { ModelId, Semver } from '../infra/scalars';
import { readRecord, scanRecords } from '../infra/state';

/** Reads one model version; `undefined` when it was never proposed. */
export async function readModel(
  ctx: Context,
  modelId: ModelId,
  version: Semver,
): Promise<ModelVersion | undefined> {
  return readRecord(ctx, KeyType.model, [modelId, version], parseModelVersion);
}

/**
 * Resolves `id@x.y.z` to that version (any status) or `id@approved` to the newest approved one.
 * `@approved` range-reads the model's versions, so a version proposed concurrently invalidates the
 * transaction (phantom read) and the client retries: acceptable for a rare event.
 * @throws NOT_FOUND when nothing matches.
 */
export async function resolveModel(ctx: Context, ref: ModelRef): Promise<ModelVersion> {
  if (ref.version !== 'approved') {
    const model = await readModel(ctx, ref.modelId, ref.version);
    if (model === undefined) return fail('NOT_FOUND', `model ${ref.modelId}@${ref.version} does not exist`);
    return model;
  }
  const rows = await scanRecords(ctx, KeyType.model, [ref.modelId], parseModelVersion);
  let newest: ModelVersion | undefined;
  for (const { value } of rows) {
    if (
      value.status === 'approved' &&
      (newest === undefined || compareSemver(value.version, newest.version) > 0)
    )
      newest = value;
  }
  if (newest === undefined) return fail('NOT_FOUND', `model ${ref.modelId} has no approved version`);
  return newest;
}

/**
 * Like {@link resolveModel}, and the version must be approved (the only state that may be requested).
 * @throws NOT_FOUND, FAILED_PRECONDITION when the version is not approved.
 */
export async function resolveApprovedModel(ctx: Context, ref: ModelRef): Promise<ModelVersion> {
  const model = await resolveModel(ctx, ref);
  if (model.status !== 'approved')
    fail('FAILED_PRECONDITION', `model ${model.modelId}@${model.version} is ${model.status}`);
  return model;
}
