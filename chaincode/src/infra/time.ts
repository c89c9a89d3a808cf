import type { Context } from 'fabric-contract-api';
import { fail } from './errors';
import type { VeriscanContext } from './context';

/** The transaction timestamp (chosen by the client, signed in the proposal) in milliseconds. */
export function txTimeMs(ctx: Context): number {
  const ts = ctx.stub.getTxTimestamp();
  return ts.seconds.toNumber() * 1000 + Math.floor(ts.nanos / 1_000_000);
}

/**
 * Refuses a transaction whose timestamp is more than `maxSkewMs` away from the endorsing node's
 * clock, so a client cannot backdate a completion to earn a better latency tier (or forward-date
 * an expiry). Every endorser runs the check; one that refuses withholds its endorsement.
 * @throws FAILED_PRECONDITION when the timestamp is out of bounds.
 */
export function checkTxTimeSkew(ctx: VeriscanContext, maxSkewMs: number): void {
  const skew = txTimeMs(ctx) - ctx.peerNowMs();
  if (Math.abs(skew) > maxSkewMs) {
    fail(
      'FAILED_PRECONDITION',
      `transaction timestamp is ${skew} ms from the endorser's clock (limit ${maxSkewMs} ms)`,
    );
  }
}
