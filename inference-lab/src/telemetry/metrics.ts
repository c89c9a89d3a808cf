/**
 * The lab's Prometheus metrics (prom-client), on a registry of their own so tests and several labs in
 * one process never collide. Names follow Prometheus conventions (`_seconds`, `_total`).
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Metric handles the service records into. */
export interface LabMetrics {
  readonly registry: Registry;
  /** Wall time of one model run (runtime.runInference), by model. */
  readonly inferenceSeconds: Histogram<'model'>;
  /** Wall time of one ledger submission (SubmitResult or AnchorBatch) including retries. */
  readonly submitSeconds: Histogram<'transaction'>;
  /** Failures by stage reason (fetch, commitment-mismatch, model-hash, submit-transient, …). */
  readonly failures: Counter<'reason'>;
  /** Model files refused because their SHA-256 differs from the approved on-chain hash. */
  readonly modelHashRefusals: Counter<'model'>;
  /** Work waiting, by stage: jobs queued/running, results pending/batched. */
  readonly queueDepth: Gauge<'stage'>;
  /** Results committed to the ledger, by mode. */
  readonly committed: Counter<'mode'>;
  /** Ledger calls retried after a transient failure, by kind. */
  readonly ledgerRetries: Counter<'code'>;
}

/**
 * Creates the metrics.
 * @param depth read at scrape time, so the gauge always reflects the database.
 */
export function createLabMetrics(
  options: Readonly<{ depth: () => Readonly<Record<string, number>>; defaults?: boolean }>,
): LabMetrics {
  const registry = new Registry();
  if (options.defaults ?? true) collectDefaultMetrics({ register: registry, prefix: 'veriscan_lab_' });
  const seconds = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
  return {
    registry,
    inferenceSeconds: new Histogram({
      name: 'veriscan_lab_inference_seconds',
      help: 'Wall time of one model run',
      labelNames: ['model'],
      buckets: seconds,
      registers: [registry],
    }),
    submitSeconds: new Histogram({
      name: 'veriscan_lab_submit_seconds',
      help: 'Wall time of one ledger submission including retries',
      labelNames: ['transaction'],
      buckets: seconds,
      registers: [registry],
    }),
    failures: new Counter({
      name: 'veriscan_lab_failures_total',
      help: 'Failures by reason',
      labelNames: ['reason'],
      registers: [registry],
    }),
    modelHashRefusals: new Counter({
      name: 'veriscan_lab_model_hash_refusals_total',
      help: 'Model files refused because their SHA-256 differs from the approved on-chain hash',
      labelNames: ['model'],
      registers: [registry],
    }),
    queueDepth: new Gauge({
      name: 'veriscan_lab_queue_depth',
      help: 'Work waiting, by stage',
      labelNames: ['stage'],
      registers: [registry],
      collect() {
        for (const [stage, n] of Object.entries(options.depth())) this.set({ stage }, n);
      },
    }),
    committed: new Counter({
      name: 'veriscan_lab_results_committed_total',
      help: 'Results committed to the ledger',
      labelNames: ['mode'],
      registers: [registry],
    }),
    ledgerRetries: new Counter({
      name: 'veriscan_lab_ledger_retries_total',
      help: 'Ledger calls retried after a transient failure',
      labelNames: ['code'],
      registers: [registry],
    }),
  };
}
