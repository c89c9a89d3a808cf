/**
 * Bounded retry with exponential backoff and full jitter (AWS architecture blog, "Exponential
 * Backoff And Jitter"): many labs retrying after the same orderer hiccup must not retry in step.
 */

/** How often and how patiently to retry. */
export interface RetryPolicy {
  /** Total attempts including the first (≥ 1). */
  readonly attempts: number;
  /** Backoff ceiling before the first retry, in ms; doubled per retry. */
  readonly baseDelayMs: number;
  /** Largest backoff ceiling, in ms. */
  readonly maxDelayMs: number;
}

/** What the ledger wrapper uses by default: 5 attempts within roughly 6 s. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = { attempts: 5, baseDelayMs: 200, maxDelayMs: 3000 };

/** Injectable waiting and randomness, so tests run without real sleeps. */
export interface RetryEnvironment {
  readonly sleep: (ms: number) => Promise<void>;
  /** Uniform in [0, 1). */
  readonly random: () => number;
}

/** Real timers and Math.random (jitter needs no cryptographic quality). */
export const REAL_RETRY_ENVIRONMENT: RetryEnvironment = {
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: Math.random,
};

/** The backoff ceiling before retry number `retry` (1-based): base·2^(retry−1), capped. */
export function backoffCeiling(policy: RetryPolicy, retry: number): number {
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, retry - 1));
}

/**
 * Calls `task` until it succeeds, `shouldRetry` says no, or the attempts are used up; then rethrows
 * the last error.
 * @param onRetry told about each error that will be retried, with the delay chosen.
 */
export async function withRetry<T>(
  task: (attempt: number) => Promise<T>,
  options: Readonly<{
    policy: RetryPolicy;
    shouldRetry: (error: unknown) => boolean;
    environment?: RetryEnvironment;
    onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
  }>,
): Promise<T> {
  const env = options.environment ?? REAL_RETRY_ENVIRONMENT;
  for (let attempt = 1; ; attempt++) {
    try {
      return await task(attempt);
    } catch (error) {
      if (attempt >= options.policy.attempts || !options.shouldRetry(error)) throw error;
      const delayMs = Math.floor(env.random() * backoffCeiling(options.policy, attempt));
      options.onRetry?.(error, attempt, delayMs);
      await env.sleep(delayMs);
    }
  }
}
