import type { Context } from 'fabric-contract-api';

/** The transaction timestamp (chosen by the client, signed in the proposal) in milliseconds. */
export function txTimeMs(ctx: Context): number {
  const ts = ctx.stub.getTxTimestamp();
  return ts.seconds.toNumber() * 1000 + Math.floor(ts.nanos / 1_000_000);
}
