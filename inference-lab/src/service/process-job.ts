/**
 * The story of one assigned scan: confirm it is still ours, fetch it and open its commitments, check
 * the model file against the approved hash, run it, store the outputs, and record the result in the
 * outbox. Nothing is submitted here: the outbox row is the hand-over to the submitter, so a crash
 * after this point loses nothing.
 */
import { buildReceipt, receiptHash, type MemberId, type Sha256Hex } from '@veriscan/protocol';
import { LedgerError, LedgerErrorCode } from '@veriscan/ledger-api';
import type { LedgerRequest } from '../fabric/views';
import { FetchError, type FetchedScan } from '../fetch/scan-fetcher';
import type { Job, LabStore } from '../outbox/lab-store';
import type { Logger } from '../telemetry/logger';
import type { LabMetrics } from '../telemetry/metrics';
import type { OutputStore } from '../outbox/output-store';
import { ModelRefusedError, type LabRuntime, type ModelRef } from './runtime-port';
import { codeLabel, LabErrorCode } from '../errors';

/** What the use case needs. */
export interface ProcessDeps {
  readonly labId: MemberId;
  readonly ledger: { getRequest(requestId: string): Promise<LedgerRequest> };
  readonly fetchScan: (request: LedgerRequest) => Promise<FetchedScan>;
  readonly runtime: LabRuntime;
  readonly store: LabStore;
  readonly outputs: OutputStore;
  readonly metrics: LabMetrics;
  readonly log: Logger;
  readonly now: () => number;
  /** Delay before retry number `tries` (1-based) of a transiently failed job. */
  readonly retryDelayMs: (tries: number) => number;
}

/** How a job ended this time. */
export type JobOutcome =
  | { readonly kind: 'recorded' }
  | { readonly kind: 'deferred'; readonly reason: string }
  | { readonly kind: 'failed'; readonly reason: string }
  | { readonly kind: 'abandoned'; readonly reason: string };

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Runs one claimed job to an outcome; never throws (every failure becomes a job state). */
export async function processJob(deps: ProcessDeps, job: Job): Promise<JobOutcome> {
  const log = deps.log.child({ requestId: job.requestId });
  const defer = (reason: string, error: unknown): JobOutcome => {
    const next = deps.now() + deps.retryDelayMs(job.tries + 1);
    deps.store.jobs.deferJob(job.requestId, `${reason}: ${describe(error)}`, next, deps.now());
    deps.metrics.failures.inc({ reason });
    log.warn({ reason, err: describe(error), retryAt: new Date(next).toISOString() }, 'job deferred');
    return { kind: 'deferred', reason };
  };
  const close = (state: 'failed' | 'abandoned', reason: string, error: unknown): JobOutcome => {
    deps.store.jobs.closeJob(job.requestId, state, `${reason}: ${describe(error)}`, deps.now());
    if (state === 'failed') deps.metrics.failures.inc({ reason });
    log[state === 'failed' ? 'error' : 'info']({ reason, err: describe(error) }, `job ${state}`);
    return { kind: state, reason };
  };

  let request: LedgerRequest;
  try {
    request = await deps.ledger.getRequest(job.requestId);
  } catch (error) {
    if (error instanceof LedgerError && error.code === LedgerErrorCode.NOT_FOUND)
      return close('abandoned', 'not-visible', error);
    return defer('ledger', error);
  }
  if (request.status !== 'assigned' || request.assignedLab !== deps.labId)
    return close(
      'abandoned',
      'not-assigned',
      `request is ${request.status}, assigned to ${String(request.assignedLab)}`,
    );

  const model: ModelRef = { id: request.modelId, version: request.modelVersion, sha256: request.onnxSha256 };
  try {
    // Before the download: a refused model file must not cost the hospital a scan transfer.
    await deps.runtime.prepareModel(model);
  } catch (error) {
    if (error instanceof ModelRefusedError) {
      const hashMismatch = error.code === LabErrorCode.MODEL_HASH_MISMATCH;
      if (hashMismatch) deps.metrics.modelHashRefusals.inc({ model: `${model.id}@${model.version}` });
      return close('failed', hashMismatch ? 'model-hash' : 'model-unusable', error);
    }
    return close('failed', 'model-load', error);
  }

  let scan: FetchedScan;
  try {
    scan = await deps.fetchScan(request);
  } catch (error) {
    if (error instanceof FetchError) {
      if (error.transient) return defer(`fetch-${codeLabel(error.code)}`, error);
      return close(
        'failed',
        error.code === LabErrorCode.SCAN_COMMITMENT_MISMATCH
          ? 'commitment-mismatch'
          : `fetch-${codeLabel(error.code)}`,
        error,
      );
    }
    return defer('fetch', error);
  }

  const started = performance.now();
  let run;
  try {
    run = await deps.runtime.run({
      scanBytes: scan.scanBytes,
      mediaType: scan.mediaType,
      salt: scan.salt,
      tileSize: scan.tileSize,
      model,
    });
  } catch (error) {
    if (error instanceof ModelRefusedError) {
      if (error.code === LabErrorCode.MODEL_HASH_MISMATCH)
        deps.metrics.modelHashRefusals.inc({ model: `${model.id}@${model.version}` });
      return close('failed', 'model-hash', error);
    }
    return close('failed', 'inference', error);
  }
  deps.metrics.inferenceSeconds.observe(
    { model: `${model.id}@${model.version}` },
    (performance.now() - started) / 1000,
  );

  // Defence in depth: the runtime's trace must be of this scan and this model, or the chaincode refuses it anyway.
  const t = run.trace;
  if (
    t.pixels.scanCommitment !== request.scanCommitment ||
    t.pixels.tileRootCommitment !== request.tileRootCommitment ||
    t.model.hash !== request.onnxSha256 ||
    t.model.id !== request.modelId ||
    t.model.version !== request.modelVersion
  ) {
    return close('failed', 'trace-mismatch', 'the runtime produced a trace of another scan or model');
  }

  const [maskSha256, scoresSha256] = await Promise.all([
    deps.outputs.put(run.outputs.maskPng),
    deps.outputs.put(run.outputs.scoresJson),
  ]);
  const nowMs = deps.now();
  const assignedMs = Date.parse(request.assignedAt ?? '');
  const latencyMs = Number.isFinite(assignedMs)
    ? Math.max(0, nowMs - assignedMs)
    : Math.max(0, nowMs - job.receivedAt);
  const receipt = buildReceipt({
    requestId: request.requestId,
    lab: deps.labId,
    model: { id: request.modelId, version: request.modelVersion },
    traceHash: run.traceHash,
    outputCommitment: t.output.outputCommitment,
    latencyMs,
    completedAt: new Date(nowMs).toISOString(),
  });
  const hash: Sha256Hex = receiptHash(receipt);
  deps.store.recordResult(
    {
      requestId: request.requestId,
      hospitalId: request.hospitalId,
      trace: run.trace,
      receipt,
      traceHash: run.traceHash,
      receiptHash: hash,
      maskSha256,
      scoresSha256,
    },
    nowMs,
  );
  log.info({ traceHash: run.traceHash, receiptHash: hash, latencyMs }, 'result recorded in the outbox');
  return { kind: 'recorded' };
}
