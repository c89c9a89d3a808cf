/** What the two outbox workers share: `single` mode's ResultSubmitter and `batch` mode's BatchAnchorer. */
import type { MemberId } from '@veriscan/protocol';
import type { LabStore } from '../outbox/lab-store';
import type { Logger } from '../telemetry/logger';
import type { LabMetrics } from '../telemetry/metrics';

/** The dependencies of an outbox worker; `Ledger` is the narrow set of ledger calls the worker makes. */
export type OutboxWorkerOptions<Ledger> = Readonly<{
  ledger: Ledger;
  store: LabStore;
  metrics: LabMetrics;
  log: Logger;
  labId: MemberId;
  now: () => number;
  /** The backoff before the next attempt, given how many attempts have been made. */
  retryDelayMs: (tries: number) => number;
}>;
