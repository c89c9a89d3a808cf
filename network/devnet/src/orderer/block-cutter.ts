/**
 * Batches envelopes into blocks (orderer/common/blockcutter): cut at MaxMessageCount, before a
 * message that would overflow PreferredMaxBytes (an oversized message gets its own block), or when
 * BatchTimeout has run since the first pending message.
 */
export interface BatchConfig {
  readonly batchTimeoutMs: number;
  readonly maxMessageCount: number;
  readonly preferredMaxBytes: number;
}

export class BlockCutter {
  #config: BatchConfig;
  readonly #onBatch: (batch: Uint8Array[]) => void;
  #pending: Uint8Array[] = [];
  #pendingBytes = 0;
  #timer: NodeJS.Timeout | undefined;

  constructor(config: Readonly<BatchConfig>, onBatch: (batch: Uint8Array[]) => void) {
    this.#config = config;
    this.#onBatch = onBatch;
  }

  ordered(envelope: Uint8Array): void {
    const size = envelope.length;
    if (size > this.#config.preferredMaxBytes) {
      this.#cut();
      this.#onBatch([envelope]);
      return;
    }
    if (this.#pendingBytes + size > this.#config.preferredMaxBytes) this.#cut();
    this.#pending.push(envelope);
    this.#pendingBytes += size;
    if (this.#pending.length >= this.#config.maxMessageCount) {
      this.#cut();
      return;
    }
    this.#timer ??= setTimeout(() => {
      this.#cut();
    }, this.#config.batchTimeoutMs);
  }

  /** Batches by `config` from now on (a config block changed the orderer's batching). */
  reconfigure(config: Readonly<BatchConfig>): void {
    this.#config = config;
  }

  /** Cuts what is pending now (orderer/common/blockcutter `Cut`), as before a config block. */
  cut(): void {
    this.#cut();
  }

  #cut(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#pending.length === 0) return;
    const batch = this.#pending;
    this.#pending = [];
    this.#pendingBytes = 0;
    this.#onBatch(batch);
  }

  stop(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
