import { createHash } from 'node:crypto';
import type { Context } from 'fabric-contract-api';

/**
 * A deterministic draw in [0, 2^48) from the transaction id and a purpose label: every endorser
 * computes the same value, and the client cannot choose it without grinding transaction ids
 * (each try costs a fresh signature; see docs/chaincode.md for the residual risk).
 */
export function drawFromTx(ctx: Context, purpose: string): number {
  return drawFromId(ctx.stub.getTxID(), purpose);
}

/** {@link drawFromTx} for an explicit id; exported for the scheduler's distribution tests. */
export function drawFromId(txId: string, purpose: string): number {
  const digest = createHash('sha256').update(`veriscan/draw/v1\0${purpose}\0${txId}`, 'utf8').digest();
  return digest.readUIntBE(0, 6);
}

/** The exclusive upper bound of {@link drawFromTx}. */
export const DRAW_RANGE = 2 ** 48;
