/**
 * One lab's worker: events and the ledger feed the durable job queue; workers turn jobs into outbox
 * results; the submitter (single mode) or the anchorer (batch mode) turns results into ledger
 * records. Start order closes every gap: crashed jobs are re-queued, the event stream is opened
 * (from its checkpoint), and only then are open assignments re-read from the ledger, so an
 * assignment is either in the stream or in the ledger read (duplicates are ignored by the queue).
 */
import type { ChaincodeEvent } from '@hyperledger/fabric-gateway';
import { EventName, parseEventPayload, type RequestFilter } from '@veriscan/ledger-api';
import type { MemberId } from '@veriscan/protocol';
import { BatchAnchorer, type AnchorLedger } from '../submission/batch-anchorer';
import type { LabLog } from '../submission/lab-log';
import type { BatchSettings } from '../config';
import type { EventHandler } from '../fabric/events';
import { requestFromAssignment, type LedgerRequest } from '../fabric/views';
import type { FetchedScan } from '../fetch/scan-fetcher';
import type { Job, LabStore } from '../outbox/lab-store';
import type { Logger } from '../telemetry/logger';
import type { LabMetrics } from '../telemetry/metrics';
import type { OutputStore } from '../outbox/output-store';
import { processJob } from './process-job';
import { Pump } from './pump';
import { ResultSubmitter, type SubmitLedger } from '../submission/result-submitter';
import type { LabRuntime } from './runtime-port';
import { WorkerPool } from './worker-pool';
import { LabError, LabErrorCode } from '../errors';

/** The ledger calls the service makes. */
export type ServiceLedger = SubmitLedger &
  AnchorLedger & { listAllRequests(filter: RequestFilter): Promise<readonly LedgerRequest[]> };

/** A started event stream. */
export interface EventSource {
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** What the service is built from. */
export interface LabServiceDeps {
  readonly labId: MemberId;
  readonly batch: BatchSettings;
  readonly concurrency: number;
  readonly ledger: ServiceLedger;
  /** Opens the chaincode event stream with the service's handler (a durable-checkpoint listener). */
  readonly subscribe: (handle: EventHandler) => EventSource;
  readonly fetchScan: (request: LedgerRequest) => Promise<FetchedScan>;
  readonly runtime: LabRuntime;
  readonly store: LabStore;
  readonly outputs: OutputStore;
  readonly metrics: LabMetrics;
  readonly log: Logger;
  readonly now?: () => number;
  /** Backoff before retry `tries` of a job, submission or batch (default: 1 s doubling to 60 s, jittered). */
  readonly retryDelayMs?: (tries: number) => number;
}

function defaultRetryDelay(tries: number): number {
  const ceiling = Math.min(60_000, 1000 * 2 ** Math.max(0, tries - 1));
  return Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
}

type Phase = 'new' | 'starting' | 'running' | 'stopping' | 'stopped';

export class LabService {
  readonly #deps: LabServiceDeps;
  readonly #now: () => number;
  readonly #workers: WorkerPool;
  readonly #submitter: ResultSubmitter | undefined;
  readonly #anchorer: BatchAnchorer | undefined;
  readonly #pump: Pump;
  #events: EventSource | undefined;
  #phase: Phase = 'new';

  constructor(deps: LabServiceDeps) {
    this.#deps = deps;
    this.#now = deps.now ?? Date.now;
    const retryDelayMs = deps.retryDelayMs ?? defaultRetryDelay;
    this.#workers = new WorkerPool({
      store: deps.store,
      concurrency: deps.concurrency,
      now: this.#now,
      process: async (job) => this.#runJob(job, retryDelayMs),
    });
    if (deps.batch.mode === 'single') {
      const submitter = new ResultSubmitter({ ...deps, now: this.#now, retryDelayMs });
      this.#submitter = submitter;
      this.#pump = new Pump({
        step: () => submitter.step(),
        now: this.#now,
        onError: (e) => {
          this.#stepFailed(e);
        },
      });
    } else {
      const anchorer = new BatchAnchorer({
        ...deps,
        size: deps.batch.size,
        intervalMs: deps.batch.intervalMs,
        now: this.#now,
        retryDelayMs,
      });
      this.#anchorer = anchorer;
      this.#pump = new Pump({
        step: () => anchorer.step(),
        now: this.#now,
        onError: (e) => {
          this.#stepFailed(e);
        },
      });
    }
  }

  #stepFailed(error: unknown): void {
    this.#deps.metrics.failures.inc({ reason: 'submit-loop' });
    this.#deps.log.error(
      { err: error instanceof Error ? error.message : String(error) },
      'submission step failed',
    );
  }

  async #runJob(job: Job, retryDelayMs: (tries: number) => number): Promise<void> {
    try {
      const outcome = await processJob(
        { ...this.#deps, now: this.#now, retryDelayMs, fetchScan: this.#deps.fetchScan },
        job,
      );
      if (outcome.kind === 'recorded') this.#pump.notify();
    } catch (error) {
      // Unexpected (disk full, database error): keep the job and try again later.
      const message = error instanceof Error ? error.message : String(error);
      this.#deps.store.jobs.deferJob(
        job.requestId,
        `internal: ${message}`,
        this.#now() + retryDelayMs(job.tries + 1),
        this.#now(),
      );
      this.#deps.metrics.failures.inc({ reason: 'internal' });
      this.#deps.log.error({ requestId: job.requestId, err: message }, 'job failed unexpectedly; deferred');
    }
  }

  /** Resolves when the job queue has nothing due and nothing in flight (results may still be submitting). */
  async idle(): Promise<void> {
    await this.#workers.idle();
  }

  /** The batch log (batch mode). */
  get labLog(): LabLog | undefined {
    return this.#anchorer?.log;
  }

  /** Readiness for `/healthz`. */
  health(): { ready: boolean; details: Record<string, unknown> } {
    return {
      ready: this.#phase === 'running',
      details: { phase: this.#phase, mode: this.#deps.batch.mode, inFlight: this.#workers.inFlight },
    };
  }

  /**
   * Handles one chaincode event; idempotent, because after a crash the stream replays from the
   * checkpoint. Only this lab's events matter; everything else is checkpointed and skipped.
   */
  readonly handleEvent: EventHandler = async (event: ChaincodeEvent): Promise<void> => {
    await Promise.resolve();
    const { labId } = this.#deps;
    switch (event.eventName) {
      case EventName.RequestAssigned: {
        const assigned = parseEventPayload(EventName.RequestAssigned, event.payload);
        if (assigned.previousLab === labId) {
          this.#deps.store.jobs.closeJob(
            assigned.requestId,
            'abandoned',
            'reassigned: deadline missed',
            this.#now(),
          );
        }
        if (assigned.labId !== labId) return;
        const request = requestFromAssignment(assigned);
        if (this.#deps.store.jobs.enqueue(request, this.#now())) {
          this.#deps.log.info(
            { requestId: request.requestId, txId: event.transactionId, block: event.blockNumber.toString() },
            'assignment received',
          );
          this.#workers.notify();
        }
        return;
      }
      case EventName.ResultCommitted: {
        const committed = parseEventPayload(EventName.ResultCommitted, event.payload);
        if (committed.labId !== labId) return;
        this.#deps.store.results.markCommitted(committed.requestId, event.transactionId, this.#now());
        if (committed.spotCheck !== null) {
          this.#deps.log.info({ requestId: committed.requestId }, 'a spot check of this result was drawn');
        }
        return;
      }
      case EventName.BatchAnchored: {
        const anchored = parseEventPayload(EventName.BatchAnchored, event.payload);
        if (anchored.labId !== labId) return;
        this.#anchorer?.onAnchoredEvent(anchored.sequence, anchored.merkleRoot, event.transactionId);
        return;
      }
      default:
        return;
    }
  };

  /**
   * Recovers and starts: re-queues crashed jobs, syncs the batch log with the ledger, opens the event
   * stream, re-reads open assignments, then starts workers and submissions (which replay the outbox).
   * @throws LedgerError when the ledger cannot be read at start
   */
  async start(): Promise<void> {
    if (this.#phase !== 'new')
      throw new LabError(LabErrorCode.INVALID_STATE, `cannot start a lab service that is ${this.#phase}`);
    this.#phase = 'starting';
    const { store, log, ledger } = this.#deps;
    const requeued = store.jobs.requeueRunning(this.#now());
    if (this.#anchorer !== undefined) await this.#anchorer.syncWithLedger();
    this.#events = this.#deps.subscribe(this.handleEvent);
    await this.#events.start();
    let recovered = 0;
    for (const request of await ledger.listAllRequests({ status: 'assigned' })) {
      if (request.assignedLab === this.#deps.labId && store.jobs.enqueue(request, this.#now())) recovered++;
    }
    const counts = store.counts();
    log.info(
      { requeued, recovered, jobs: counts.jobs, results: counts.results, mode: this.#deps.batch.mode },
      'lab service started',
    );
    this.#phase = 'running';
    this.#workers.start();
    this.#pump.start();
  }

  /**
   * Graceful stop: no new events or jobs; jobs in flight finish and are recorded; then pending
   * submissions (or a last batch, whatever its size) are pushed until `drainTimeoutMs` runs out.
   * Whatever is still pending stays in the outbox for the next start.
   */
  async stop(drainTimeoutMs: number): Promise<void> {
    if (this.#phase === 'stopped' || this.#phase === 'stopping') return;
    this.#phase = 'stopping';
    const deadline = this.#now() + drainTimeoutMs;
    await this.#events?.stop();
    await this.#workers.stop();
    await this.#pump.stop();
    if (this.#anchorer !== undefined) {
      const anchorer = this.#anchorer;
      await new Pump({
        step: () => anchorer.step(true),
        now: this.#now,
        onError: (e) => {
          this.#stepFailed(e);
        },
      }).drain(deadline);
    } else if (this.#submitter !== undefined) {
      const submitter = this.#submitter;
      await new Pump({
        step: () => submitter.step(),
        now: this.#now,
        onError: (e) => {
          this.#stepFailed(e);
        },
      }).drain(deadline);
    }
    const counts = this.#deps.store.counts();
    this.#deps.log.info({ jobs: counts.jobs, results: counts.results }, 'lab service stopped');
    this.#phase = 'stopped';
  }
}
