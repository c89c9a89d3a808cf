/** Closing a disputed spot check, once the consortium voted on who was wrong (a `resolve-dispute` proposal). */
import type { Context } from 'fabric-contract-api';
import type { SpotCheck } from '../domain/request';
import { recordJson } from '../infra/json';
import { KeyType } from '../infra/keys';
import type { MemberId } from '../infra/scalars';
import { writeRecord } from '../infra/state';
import type { ChaincodeConfig } from '../rules/config';
import { requestJson } from './assignment';
import { recordEntry } from './reputation';
import { requireRequest } from './visibility';

/**
 * Burns `disputeBurn` from the lab found wrong (`faultyLab`, or `none`), marks the spot check
 * resolved, and returns the request to `completed` unless the original lab was wrong.
 */
export async function resolveDispute(
  ctx: Context,
  config: ChaincodeConfig,
  spot: SpotCheck,
  faultyLab: MemberId | 'none',
): Promise<void> {
  const id = spot.requestId;
  if (faultyLab !== 'none') {
    await recordEntry(ctx, {
      labId: faultyLab,
      kind: 'debit',
      amount: config.disputeBurn,
      reason: 'dispute',
      ref: id,
      requestId: id,
    });
  }
  await writeRecord(ctx, KeyType.spotCheck, [id], recordJson({ ...spot, status: 'resolved', faultyLab }));
  if (faultyLab !== spot.labId) {
    const request = await requireRequest(ctx, id);
    await writeRecord(ctx, KeyType.request, [id], requestJson({ ...request, status: 'completed' }));
  }
}
