import type { Context } from 'fabric-contract-api';
import { JOBS, type Job } from '@veriscan/fabric-kit/consortium';
import { fail } from '../infra/errors';

export type { Job };

/**
 * Who is calling, read from the signed certificate, never from transaction arguments: the MSP id
 * names the institution (through its member record), the `veriscan.job` attribute, issued by the
 * institution's own CA, what the user does there.
 */
export interface Caller {
  readonly mspId: string;
  readonly job: Job | null;
}

function isJob(value: string): value is Job {
  return (JOBS as readonly string[]).includes(value);
}

/** Reads the caller's MSP id and job from the client identity. */
export function callerOf(ctx: Context): Caller {
  const mspId = ctx.clientIdentity.getMSPID();
  const raw = ctx.clientIdentity.getAttributeValue('veriscan.job');
  return { mspId, job: raw !== null && isJob(raw) ? raw : null };
}

/**
 * The caller's job.
 * @throws FORBIDDEN when the certificate carries no known `veriscan.job`.
 */
export function requireJob(ctx: Context): Caller & { readonly job: Job } {
  const caller = callerOf(ctx);
  const job = caller.job;
  if (job === null) return fail('FORBIDDEN', `caller from ${caller.mspId} has no veriscan.job attribute`);
  return { ...caller, job };
}
