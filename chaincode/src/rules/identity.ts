import type { Context } from 'fabric-contract-api';
import { ROLE_MSPS } from '@veriscan/fabric-kit/consortium';
import { fail } from '../infra/errors';

/** Roles carried in the `veriscan.role` certificate attribute (issued by each org's CA). */
export const Role = {
  hospital: 'hospital',
  lab: 'lab',
  regulator: 'regulator',
  admin: 'admin',
} as const;
export type Role = (typeof Role)[keyof typeof Role];

/** Who is calling, read from the signed certificate, never from transaction arguments. */
export interface Caller {
  readonly mspId: string;
  readonly role: Role | null;
  readonly memberId: string | null;
}

function isRole(value: string): value is Role {
  return Object.values<string>(Role).includes(value);
}

/** Reads the caller's MSP id and Veriscan attributes from the client identity. */
export function callerOf(ctx: Context): Caller {
  const mspId = ctx.clientIdentity.getMSPID();
  const rawRole = ctx.clientIdentity.getAttributeValue('veriscan.role');
  const memberId = ctx.clientIdentity.getAttributeValue('veriscan.member');
  return { mspId, role: rawRole !== null && isRole(rawRole) ? rawRole : null, memberId };
}

/** Which MSPs a role may come from (the consortium table): a `lab` attribute on a hospital org's cert is not a lab. */
const ROLE_MSP: Readonly<Record<Role, readonly string[]>> = ROLE_MSPS;

/**
 * Authorizes the caller for one of `roles`.
 * @throws FORBIDDEN when the role attribute is missing, not allowed, or issued by the wrong MSP.
 */
export function requireRole(ctx: Context, roles: readonly Role[]): Caller & { readonly role: Role } {
  const caller = callerOf(ctx);
  const role = caller.role;
  if (role === null) fail('FORBIDDEN', `caller from ${caller.mspId} has no veriscan.role attribute`);
  if (!roles.includes(role)) fail('FORBIDDEN', `role ${role} may not call this transaction`);
  if (!ROLE_MSP[role].includes(caller.mspId)) {
    fail('FORBIDDEN', `role ${role} is not valid for ${caller.mspId}`);
  }
  return { ...caller, role };
}
