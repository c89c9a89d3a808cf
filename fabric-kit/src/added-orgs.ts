/**
 * Institutions that joined a running network after genesis (`veriscan consortium add-org`): the
 * consortium table names the founders, this file under the state folder the orgs added since, so
 * both networks' launchers, the connection profile and the crypto generator see the whole
 * consortium without anyone editing code.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  CONSORTIUM,
  MEMBER_ROLES,
  PEER_ORGS,
  institutionSpec,
  type MemberRole,
  type OrgSpec,
  type PeerOrgSpec,
} from './consortium.js';
import { cryptoLayout, type CryptoLayout } from './msp/layout.js';
import { FabricKitError } from './errors.js';

/** One added institution as stored: its key, kind and port slot (the rest derives from them). */
export interface AddedOrg {
  readonly key: string;
  readonly memberRole: MemberRole;
  readonly slot: number;
}

/** `<stateDir>/consortium/added-orgs.json`. */
export function addedOrgsFile(stateDir: string): string {
  return join(stateDir, 'consortium', 'added-orgs.json');
}

function isAddedOrg(value: unknown): value is AddedOrg {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.key === 'string' &&
    typeof v.slot === 'number' &&
    Number.isInteger(v.slot) &&
    typeof v.memberRole === 'string' &&
    (MEMBER_ROLES as readonly string[]).includes(v.memberRole)
  );
}

/**
 * The added institutions, in the order they joined (none when the file is absent).
 * @throws FabricKitError `INVALID_PROFILE` when the file is not a list of `{key, memberRole, slot}`.
 */
export function readAddedOrgs(stateDir: string): readonly AddedOrg[] {
  const file = addedOrgsFile(stateDir);
  if (!existsSync(file)) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (cause) {
    throw new FabricKitError('INVALID_PROFILE', `${file} is not JSON`, { cause });
  }
  const orgs =
    typeof parsed === 'object' && parsed !== null ? (parsed as { orgs?: unknown }).orgs : undefined;
  if (!Array.isArray(orgs) || !orgs.every(isAddedOrg))
    throw new FabricKitError('INVALID_PROFILE', `${file} must be {"orgs":[{"key","memberRole","slot"}]}`);
  return orgs;
}

/** Records one more added institution (atomically: readers never see half a file). */
export function recordAddedOrg(stateDir: string, org: AddedOrg): void {
  const file = addedOrgsFile(stateDir);
  const orgs = [...readAddedOrgs(stateDir).filter((o) => o.key !== org.key), org];
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify({ orgs }, null, 2)}\n`);
  renameSync(tmp, file);
}

/** The table's peer orgs followed by those added on this machine's network. */
export function allPeerOrgs(stateDir: string): readonly PeerOrgSpec[] {
  return [...PEER_ORGS, ...readAddedOrgs(stateDir).map((o) => institutionSpec(o.key, o.memberRole, o.slot))];
}

/** The next free port slot for an institution joining now. */
export function nextOrgSlot(stateDir: string): number {
  return allPeerOrgs(stateDir).length;
}

/** The whole consortium on this machine's network: the table's orgs and those added since. */
export function allOrgs(stateDir: string): readonly OrgSpec[] {
  return [...CONSORTIUM, ...allPeerOrgs(stateDir).slice(PEER_ORGS.length)];
}

/** The crypto layout of every org of the network, added ones included. */
export function networkCryptoLayout(stateDir: string, cryptoDir: string): CryptoLayout {
  return cryptoLayout(cryptoDir, allOrgs(stateDir));
}
