/**
 * Completing a request, shared by SubmitResult (one receipt with its trace) and AnchorBatch (many
 * receipts under one Merkle root): checks, the receipt record, reputation and the spot-check draw.
 * Each completion writes only keys of its own request and lab entry, so concurrent completions
 * never conflict.
 */
import type { Context } from 'fabric-contract-api';
import {
  parseReceiptRecord,
  type BatchRef,
  type InferenceRequest,
  type Receipt,
  type SpotCheck,
} from '../domain/request';
import { mintAmount, type ReputationEntry } from '../domain/reputation';
import type { ChaincodeConfig } from '../rules/config';
import { fail } from '../infra/errors';
import type { Json } from '../infra/json';
import { KeyType } from '../infra/keys';
import type { ProtocolReceipt } from '../rules/protocol-checks';
import { DRAW_RANGE, drawFromTx } from '../infra/random';
import { formatTime, type HexDigest, type MemberId } from '../infra/scalars';
import { readRecord, writeRecord } from '../infra/state';
import { eligibleLabs, requestJson } from './assignment';
import { readModel } from './models';
import { recordEntry } from './reputation';

/** What a completion produced, for the event. */
export type Completion = {
  readonly receipt: Receipt;
  readonly entry: ReputationEntry | null;
  readonly spotCheck: SpotCheck | null;
};

/** The receipt already stored for a request, if any. */
export async function readReceipt(ctx: Context, requestId: string): Promise<Receipt | undefined> {
  return readRecord(ctx, KeyType.receipt, [requestId], parseReceiptRecord);
}

/**
 * Checks that `lab` may complete `request` now with `receipt`.
 * @throws FORBIDDEN (not the assigned lab), FAILED_PRECONDITION (not open, model revoked, result
 * predates the assignment), INVALID_ARGUMENT (receipt names another request, lab or model).
 */
export async function checkCompletable(
  ctx: Context,
  request: InferenceRequest,
  lab: MemberId,
  receipt: ProtocolReceipt,
  nowMs: number,
  path: string,
): Promise<void> {
  if (request.assignedLab !== lab)
    fail('FORBIDDEN', `request ${request.requestId} is not assigned to ${lab}`);
  if (request.status !== 'assigned')
    fail('FAILED_PRECONDITION', `request ${request.requestId} is ${request.status}`);
  if (receipt.requestId !== request.requestId)
    fail('INVALID_ARGUMENT', `${path}.requestId does not match ${request.requestId}`);
  if (receipt.lab !== lab) fail('INVALID_ARGUMENT', `${path}.lab must be ${lab}`);
  if (receipt.model.id !== request.modelId || receipt.model.version !== request.modelVersion) {
    fail('INVALID_ARGUMENT', `${path}.model must be ${request.modelId}@${request.modelVersion}`);
  }
  const model = await readModel(ctx, request.modelId, request.modelVersion);
  if (model === undefined || model.status === 'revoked') {
    fail('FAILED_PRECONDITION', `model ${request.modelId}@${request.modelVersion} is revoked`);
  }
  // A result cannot predate its assignment; with the clock-skew bound on the transaction timestamp
  // this limits how far a lab can backdate a completion to earn a better tier.
  if (request.assignedAt === null || nowMs < Date.parse(request.assignedAt)) {
    fail('FAILED_PRECONDITION', `a result for ${request.requestId} cannot predate its assignment`);
  }
}

/**
 * Stores the receipt, marks the request completed, mints (on time) or burns (late) reputation,
 * and draws whether a second lab re-runs it. Call {@link checkCompletable} first.
 */
export async function complete(
  ctx: Context,
  input: {
    readonly request: InferenceRequest;
    readonly lab: MemberId;
    readonly traceHash: HexDigest;
    readonly outputCommitment: HexDigest;
    readonly receiptHash: HexDigest;
    readonly batch: BatchRef | null;
  },
  config: ChaincodeConfig,
  nowMs: number,
): Promise<Completion> {
  const { request, lab } = input;
  const assignedAt = Date.parse(request.assignedAt ?? '');
  const deadline = Date.parse(request.deadline ?? '');
  const latencyMs = nowMs - assignedAt;
  const at = formatTime(nowMs);
  const receipt: Receipt = {
    requestId: request.requestId,
    labId: lab,
    hospitalId: request.hospitalId,
    modelId: request.modelId,
    modelVersion: request.modelVersion,
    onnxSha256: request.onnxSha256,
    traceHash: input.traceHash,
    outputCommitment: input.outputCommitment,
    receiptHash: input.receiptHash,
    latencyMs,
    completedAt: at,
    txId: ctx.stub.getTxID(),
    batch: input.batch,
  };
  await writeRecord(ctx, KeyType.receipt, [request.requestId], receiptJson(receipt));
  await writeRecord(
    ctx,
    KeyType.request,
    [request.requestId],
    requestJson({ ...request, status: 'completed', completedAt: at }),
  );

  const onTime = nowMs <= deadline;
  const entry = onTime
    ? await recordEntry(ctx, {
        labId: lab,
        kind: 'credit',
        amount: mintAmount(latencyMs, deadline - assignedAt, config.mintTiers),
        reason: 'mint',
        ref: request.requestId,
        requestId: request.requestId,
      })
    : await recordEntry(ctx, {
        labId: lab,
        kind: 'debit',
        amount: config.lateSubmitBurn,
        reason: 'late',
        ref: `${request.requestId}:${request.attempt}`,
        requestId: request.requestId,
      });

  const spotCheck = await maybeSpotCheck(ctx, receipt, config, nowMs);
  return { receipt, entry, spotCheck };
}

/**
 * With probability `spotCheckPerMille`/1000, drawn from the transaction id and the request id (so
 * each receipt of a batch draws independently), asks another eligible lab to re-run the request.
 */
async function maybeSpotCheck(
  ctx: Context,
  receipt: Receipt,
  config: ChaincodeConfig,
  nowMs: number,
): Promise<SpotCheck | null> {
  if (config.spotCheckPerMille === 0) return null;
  const draw = drawFromTx(ctx, `spot-check\0${receipt.requestId}`);
  if (Math.floor((draw / DRAW_RANGE) * 1000) >= config.spotCheckPerMille) return null;
  const others = await eligibleLabs(ctx, { modelId: receipt.modelId, version: receipt.modelVersion }, [
    receipt.labId,
  ]);
  if (others.length === 0) return null;
  const checkerLab =
    others[Math.floor((drawFromTx(ctx, `spot-lab\0${receipt.requestId}`) / DRAW_RANGE) * others.length)];
  if (checkerLab === undefined) return null;
  const spotCheck: SpotCheck = {
    requestId: receipt.requestId,
    labId: receipt.labId,
    checkerLab,
    outputCommitment: receipt.outputCommitment,
    checkerOutputCommitment: null,
    status: 'open',
    requestedAt: formatTime(nowMs),
    deadline: formatTime(nowMs + config.spotCheckDeadlineMs),
    completedAt: null,
    faultyLab: null,
  };
  await writeRecord(ctx, KeyType.spotCheck, [receipt.requestId], spotCheck);
  return spotCheck;
}

/** Receipts as stored and returned. */
export function receiptJson(receipt: Receipt): Json {
  return receipt;
}

/** Event fields describing a completion. */
export function completionEvent(completion: Completion): Json {
  const { receipt, entry, spotCheck } = completion;
  return {
    requestId: receipt.requestId,
    hospitalId: receipt.hospitalId,
    labId: receipt.labId,
    traceHash: receipt.traceHash,
    receiptHash: receipt.receiptHash,
    outputCommitment: receipt.outputCommitment,
    latencyMs: receipt.latencyMs,
    reputation: entry === null ? null : { entryId: entry.entryId, kind: entry.kind, amount: entry.amount },
    spotCheck: spotCheck === null ? null : { checkerLab: spotCheck.checkerLab, deadline: spotCheck.deadline },
  };
}
