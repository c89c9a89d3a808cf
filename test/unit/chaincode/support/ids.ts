import { isMemberId, type MemberId } from '@veriscan/protocol';

/** A member id for tests, checked rather than cast. */
export function parseMemberId(value: string): MemberId {
  if (!isMemberId(value)) throw new Error(`not a member id: ${value}`);
  return value;
}
