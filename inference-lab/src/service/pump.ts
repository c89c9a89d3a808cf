/**
 * A background loop that runs `step` whenever there may be work: at once after `notify()`, or at the
 * time the last step asked to be woken. One step at a time; `stop()` waits for the running one.
 */

/** Returns when to run again (epoch ms; `<= now` for at once), or undefined to wait for a notify. */
export type PumpStep = () => Promise<number | undefined>;

export class Pump {
  readonly #step: PumpStep;
  readonly #now: () => number;
  readonly #onError: (error: unknown) => void;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #again = false;
  #stopped = true;

  constructor(options: Readonly<{ step: PumpStep; now: () => number; onError: (error: unknown) => void }>) {
    this.#step = options.step;
    this.#now = options.now;
    this.#onError = options.onError;
  }

  start(): void {
    this.#stopped = false;
    this.notify();
  }

  /** Asks for a step as soon as possible. */
  notify(): void {
    if (this.#stopped) return;
    if (this.#running !== undefined) {
      this.#again = true;
      return;
    }
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#running = this.#loop().finally(() => {
      this.#running = undefined;
    });
  }

  async #loop(): Promise<void> {
    for (;;) {
      this.#again = false;
      let next: number | undefined;
      try {
        next = await this.#step();
      } catch (error) {
        this.#onError(error);
        next = this.#now() + 1000;
      }
      if (this.#stopped) return;
      if (this.#notified() || (next !== undefined && next <= this.#now())) continue;
      if (next !== undefined) {
        this.#timer = setTimeout(
          () => {
            this.notify();
          },
          Math.min(next - this.#now(), 2_147_000_000),
        );
      }
      return;
    }
  }

  // A method, not a field read: the compiler would narrow the field to `false` across the await.
  #notified(): boolean {
    return this.#again;
  }

  /** Runs steps until one asks for nothing due now, or `deadline` passes (for draining). */
  async drain(deadline: number): Promise<void> {
    await this.#running;
    while (this.#now() < deadline) {
      let next: number | undefined;
      try {
        next = await this.#step();
      } catch (error) {
        this.#onError(error);
        return;
      }
      if (next === undefined || next > this.#now()) return;
    }
  }

  /** Stops scheduling and waits for the step in progress. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#running;
  }
}
