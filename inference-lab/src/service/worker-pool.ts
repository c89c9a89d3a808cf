/**
 * Runs queued jobs from the database with bounded concurrency. The queue lives in SQLite, not in
 * memory, so a restart resumes it; the pool only claims due jobs and wakes on new ones or when the
 * earliest deferred job becomes due.
 */
import type { Job, LabStore } from '../outbox/lab-store';

export class WorkerPool {
  readonly #store: LabStore;
  readonly #concurrency: number;
  readonly #process: (job: Job) => Promise<void>;
  readonly #now: () => number;
  readonly #inFlight = new Map<string, Promise<void>>();
  #timer: NodeJS.Timeout | undefined;
  #stopped = true;
  #idleWaiters: (() => void)[] = [];

  constructor(
    options: Readonly<{
      store: LabStore;
      concurrency: number;
      process: (job: Job) => Promise<void>;
      now: () => number;
    }>,
  ) {
    this.#store = options.store;
    this.#concurrency = options.concurrency;
    this.#process = options.process;
    this.#now = options.now;
  }

  /** Jobs being processed now. */
  get inFlight(): number {
    return this.#inFlight.size;
  }

  start(): void {
    this.#stopped = false;
    this.notify();
  }

  /** Claims as many due jobs as there are free slots. */
  notify(): void {
    if (this.#stopped) return;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const jobs = this.#store.jobs.claimJobs(this.#now(), this.#concurrency - this.#inFlight.size);
    for (const job of jobs) {
      const run = this.#process(job).finally(() => {
        this.#inFlight.delete(job.requestId);
        this.notify();
      });
      this.#inFlight.set(job.requestId, run);
    }
    if (this.#inFlight.size === 0) this.#wakeIdleWaiters();
    if (this.#inFlight.size < this.#concurrency) {
      const due = this.#store.jobs.nextJobDueAt();
      if (due !== undefined) {
        this.#timer = setTimeout(
          () => {
            this.notify();
          },
          Math.max(10, due - this.#now()),
        );
      }
    }
  }

  /**
   * Resolves once nothing is in flight and no job was due at the last look (deferred jobs may still
   * wait for their retry time). For tests and tools that need the queue settled.
   */
  async idle(): Promise<void> {
    if (this.#inFlight.size === 0 && !this.#hasDueJob()) return;
    await new Promise<void>((resolve) => {
      this.#idleWaiters.push(resolve);
    });
  }

  #hasDueJob(): boolean {
    const due = this.#store.jobs.nextJobDueAt();
    return due !== undefined && due <= this.#now();
  }

  #wakeIdleWaiters(): void {
    const waiters = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const wake of waiters) wake();
  }

  /** Stops claiming and waits for the jobs in flight to be recorded (the drain of a graceful stop). */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    await Promise.allSettled([...this.#inFlight.values()]);
    this.#wakeIdleWaiters();
  }
}
