/**
 * Makes the demo consortium ready to transact on a running network: the five demo members
 * (hospital-a, hospital-b, lab-1, lab-2, regulator-1) registered and active, and each hospital's
 * member record carrying the URL of its gateway's blob endpoint.
 *
 * It reads the ledger first and only writes what is missing, as an org admin through
 * fabric-gateway, so it can run on every `npm start` and before every integration run:
 * - no demo member on the ledger → one `Membership:Bootstrap` (genesis) by hospital-admin, or, if
 *   another genesis list is already recorded, registration member by member as below;
 * - a member missing after genesis → `RegisterMember` by its org's admin, then `ApproveMember`;
 * - a member pending → `ApproveMember` by the admins whose org has not approved yet;
 * - a hospital whose endpoint differs from the configured one → `SetMemberEndpoint` by hospital-admin;
 * - a suspended demo member → an error (suspension is final; set-up cannot undo it).
 *
 * Run: `npx tsx scripts/setup-consortium.ts [--endpoint hospital-a=URL] [--help]`.
 */
import { CommitError, type Contract } from '@hyperledger/fabric-gateway';
import { connectGateway, type GatewayConnection } from '../network/devnet/src/client';
import { loadConfig } from '../network/devnet/src/config';
import { readNetworkProfile, type NetworkProfile } from '../network/devnet/src/profile';

const HOSPITALS = ['hospital-a', 'hospital-b'] as const;
/** A demo hospital's member id. */
export type HospitalId = (typeof HOSPITALS)[number];

type Role = 'hospital' | 'lab' | 'regulator';

/** The demo members, in the order Bootstrap lists them. */
export const DEMO_MEMBERS: readonly { readonly memberId: string; readonly role: Role }[] = [
  { memberId: 'hospital-a', role: 'hospital' },
  { memberId: 'hospital-b', role: 'hospital' },
  { memberId: 'lab-1', role: 'lab' },
  { memberId: 'lab-2', role: 'lab' },
  { memberId: 'regulator-1', role: 'regulator' },
];

/**
 * Placeholder blob URLs of the hospital gateways until gateway-app publishes its own: a lab on another
 * host reads a hospital's URL from its member record to fetch an assigned scan. Override them with
 * the environment or `--endpoint`; set-up moves a stored URL to the configured one.
 */
export const DEFAULT_ENDPOINTS: Readonly<Record<HospitalId, string>> = {
  'hospital-a': 'http://127.0.0.1:7101/blobs',
  'hospital-b': 'http://127.0.0.1:7102/blobs',
};

const ENDPOINT_ENV: Readonly<Record<HospitalId, string>> = {
  'hospital-a': 'VERISCAN_HOSPITAL_A_BLOB_URL',
  'hospital-b': 'VERISCAN_HOSPITAL_B_BLOB_URL',
};

// The chaincode's own rule (chaincode/src/domain/member.ts): published to the whole channel, so no
// credentials and no query string.
const ENDPOINT_PATTERN = /^https?:\/\/[A-Za-z0-9.-]+(:[0-9]{1,5})?(\/[A-Za-z0-9._~/-]*)?$/;

/** Org admin identities of the connection profile; the regulator org never writes. */
const ADMIN_OF: Readonly<Record<Role, string>> = {
  hospital: 'hospital-admin',
  lab: 'lab-admin',
  // RegisterMember lets a HospitalMSP or LabMSP admin register the regulator member.
  regulator: 'hospital-admin',
};
const ADMIN_MSP: Readonly<Record<string, string>> = {
  'hospital-admin': 'HospitalMSP',
  'lab-admin': 'LabMSP',
};

export const USAGE = `usage: npx tsx scripts/setup-consortium.ts [--endpoint <hospital>=<url>]... [--help]

Registers and activates the demo members (hospital-a, hospital-b, lab-1, lab-2, regulator-1) on the
running network as the org admins hospital-admin and lab-admin, and sets each hospital's gateway blob
URL. Idempotent: it reads the members first and writes only what is missing or different.

options:
  --endpoint hospital-a=URL   blob URL of a hospital gateway (repeatable)
  -h, --help                  this text

environment:
  VERISCAN_HOSPITAL_A_BLOB_URL   default ${DEFAULT_ENDPOINTS['hospital-a']} (placeholder)
  VERISCAN_HOSPITAL_B_BLOB_URL   default ${DEFAULT_ENDPOINTS['hospital-b']} (placeholder)
  VERISCAN_HOME                  state folder holding network.json (default <repo>/.veriscan)
  VERISCAN_DEVNET_PORT_BASE      the devnet's port base, as for the devnet CLI`;

/** What set-up needs besides the connection profile. */
export interface ConsortiumConfig {
  /** Blob URL per demo hospital, written to its member record. */
  readonly endpoints: Readonly<Record<HospitalId, string>>;
}

function isHospitalId(value: string): value is HospitalId {
  return (HOSPITALS as readonly string[]).includes(value);
}

function checkEndpoint(url: string, source: string): string {
  if (url.length > 256 || !ENDPOINT_PATTERN.test(url)) {
    throw new Error(`${source}: ${JSON.stringify(url)} is not an http(s) URL without credentials or query`);
  }
  return url;
}

/**
 * Reads the configuration from the environment and `--endpoint` arguments (arguments win).
 * @throws Error naming the bad variable or argument.
 */
export function loadConsortiumConfig(
  env: NodeJS.ProcessEnv = process.env,
  args: readonly string[] = [],
): ConsortiumConfig {
  const endpoints: Record<HospitalId, string> = { ...DEFAULT_ENDPOINTS };
  for (const hospital of HOSPITALS) {
    const value = env[ENDPOINT_ENV[hospital]];
    if (value !== undefined && value !== '')
      endpoints[hospital] = checkEndpoint(value, ENDPOINT_ENV[hospital]);
  }
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg !== '--endpoint') throw new Error(`unknown argument ${String(arg)}`);
    const value = args[++i] ?? '';
    const eq = value.indexOf('=');
    const hospital = value.slice(0, Math.max(eq, 0));
    if (eq < 0 || !isHospitalId(hospital))
      throw new Error(`--endpoint expects <hospital>=<url> with hospital one of ${HOSPITALS.join(', ')}`);
    endpoints[hospital] = checkEndpoint(value.slice(eq + 1), '--endpoint');
  }
  return { endpoints };
}

/** A member as set-up reads it from `Membership:ListMembers`. */
export interface MemberState {
  readonly memberId: string;
  readonly role: string;
  readonly status: string;
  readonly approvals: readonly string[];
  readonly endpoint: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseMemberState(value: unknown, where: string): MemberState {
  if (!isRecord(value)) throw new Error(`${where} is not an object`);
  const { memberId, role, status, approvals, endpoint } = value;
  if (
    typeof memberId !== 'string' ||
    typeof role !== 'string' ||
    typeof status !== 'string' ||
    typeof endpoint !== 'string' ||
    !Array.isArray(approvals) ||
    !approvals.every((a): a is string => typeof a === 'string')
  ) {
    throw new Error(`${where} is not a member record`);
  }
  return { memberId, role, status, approvals, endpoint };
}

function parseJsonBytes(bytes: Uint8Array, where: string): unknown {
  try {
    return JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch {
    throw new Error(`${where} is not JSON`);
  }
}

/** Parses the result of `Membership:ListMembers`. @throws Error on an unexpected shape. */
export function parseMemberList(bytes: Uint8Array): readonly MemberState[] {
  const value = parseJsonBytes(bytes, 'ListMembers result');
  if (!isRecord(value) || !Array.isArray(value.members))
    throw new Error('ListMembers result has no members array');
  return value.members.map((m: unknown, i) => parseMemberState(m, `members[${i}]`));
}

/**
 * The chaincode error code (`FORBIDDEN`, `NOT_FOUND`, …) inside a fabric-gateway error, if the
 * chaincode answered: Fabric passes only the message, as `chaincode response 500, CODE: text`.
 */
export function chaincodeErrorCode(error: unknown): string | undefined {
  const texts: string[] = [];
  if (error instanceof Error) texts.push(error.message);
  if (isRecord(error) && Array.isArray(error.details)) {
    for (const d of error.details as unknown[])
      if (isRecord(d) && typeof d.message === 'string') texts.push(d.message);
  }
  for (const t of texts) {
    const match = /chaincode response \d+, ([A-Z_]+): /.exec(t);
    if (match?.[1] !== undefined) return match[1];
  }
  return undefined;
}

/** What {@link setupConsortium} did and found. */
export interface SetupReport {
  /** One line per transaction submitted, e.g. `Membership:Bootstrap (5 members) as hospital-admin`. */
  readonly actions: readonly string[];
  /** The demo members as they are on the ledger afterwards. */
  readonly members: readonly MemberState[];
}

export interface SetupOptions {
  readonly config?: ConsortiumConfig;
  readonly profile?: NetworkProfile;
  /** Where progress lines go (default: stdout). */
  readonly log?: (line: string) => void;
  /** How long to wait for the chaincode to answer its first query (default 30 s). */
  readonly readyTimeoutMs?: number;
}

const MVCC_READ_CONFLICT = 11;

class Admins {
  readonly #profile: NetworkProfile;
  readonly #open = new Map<string, { connection: GatewayConnection; contract: Contract }>();

  constructor(profile: NetworkProfile) {
    this.#profile = profile;
  }

  contract(identity: string): Contract {
    const existing = this.#open.get(identity);
    if (existing !== undefined) return existing.contract;
    const connection = connectGateway(this.#profile, identity);
    const name = this.#profile.chaincodes.veriscan?.name ?? 'veriscan';
    const contract = connection.gateway.getNetwork(this.#profile.channel).getContract(name);
    this.#open.set(identity, { connection, contract });
    return contract;
  }

  close(): void {
    for (const { connection } of this.#open.values()) connection.close();
    this.#open.clear();
  }
}

async function listMembers(admins: Admins, readyTimeoutMs: number): Promise<readonly MemberState[]> {
  const deadline = Date.now() + readyTimeoutMs;
  for (;;) {
    try {
      return parseMemberList(
        await admins.contract('hospital-admin').evaluateTransaction('Membership:ListMembers'),
      );
    } catch (error) {
      // A chaincode answer (even an error) means it is up; anything else may be a chaincode or peer
      // still starting right after `up`/`deploy`, so wait for it a bounded time.
      if (chaincodeErrorCode(error) !== undefined || Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}

async function submit(
  admins: Admins,
  identity: string,
  name: string,
  args: readonly string[],
  actions: string[],
  log: (line: string) => void,
): Promise<MemberState | undefined> {
  const result = await admins.contract(identity).submitTransaction(name, ...args);
  const line = `${name}(${name === 'Membership:Bootstrap' ? `${DEMO_MEMBERS.length} demo members` : args.join(', ')}) as ${identity}`;
  actions.push(line);
  log(`submitted ${line}`);
  if (name === 'Membership:Bootstrap') return undefined;
  return parseMemberState(parseJsonBytes(result, name), name);
}

async function converge(
  admins: Admins,
  config: ConsortiumConfig,
  readyTimeoutMs: number,
  actions: string[],
  log: (line: string) => void,
): Promise<void> {
  const byId = new Map((await listMembers(admins, readyTimeoutMs)).map((m) => [m.memberId, m]));
  const endpointOf = (memberId: string): string => (isHospitalId(memberId) ? config.endpoints[memberId] : '');

  if (DEMO_MEMBERS.every((m) => !byId.has(m.memberId))) {
    const members = DEMO_MEMBERS.map((m) =>
      isHospitalId(m.memberId) ? { ...m, endpoint: endpointOf(m.memberId) } : m,
    );
    try {
      await submit(
        admins,
        'hospital-admin',
        'Membership:Bootstrap',
        [JSON.stringify({ members })],
        actions,
        log,
      );
      return;
    } catch (error) {
      // Another genesis list is recorded (Bootstrap runs once per channel): register one by one instead.
      if (chaincodeErrorCode(error) !== 'CONFLICT') throw error;
      log('a different genesis member list is recorded; registering the demo members one by one');
    }
  }
  for (const { memberId, role } of DEMO_MEMBERS) {
    let member = byId.get(memberId);
    if (member === undefined) {
      member = await submit(
        admins,
        ADMIN_OF[role],
        'Membership:RegisterMember',
        [memberId, role],
        actions,
        log,
      );
    }
    if (member === undefined) throw new Error(`RegisterMember ${memberId} returned no record`);
    if (member.role !== role)
      throw new Error(`member ${memberId} exists with role ${member.role}, not ${role}`);
    if (member.status === 'suspended') {
      throw new Error(
        `member ${memberId} is suspended; suspension is final, register a new member id instead`,
      );
    }
    for (const admin of ['hospital-admin', 'lab-admin']) {
      if (member.status !== 'pending') break;
      if (member.approvals.includes(ADMIN_MSP[admin] ?? '')) continue;
      member = await submit(admins, admin, 'Membership:ApproveMember', [memberId], actions, log);
      if (member === undefined) throw new Error(`ApproveMember ${memberId} returned no record`);
    }
    if (member.status !== 'active') throw new Error(`member ${memberId} is still ${member.status}`);
    if (isHospitalId(memberId) && member.endpoint !== endpointOf(memberId)) {
      await submit(
        admins,
        ADMIN_OF.hospital,
        'Membership:SetMemberEndpoint',
        [memberId, endpointOf(memberId)],
        actions,
        log,
      );
    }
  }
}

/**
 * Brings the demo members to `active` with the configured hospital endpoints, writing only what is
 * missing; safe to run any number of times. Needs the network up and the chaincode deployed.
 * @throws Error when a demo member is suspended or has another role, and fabric-gateway errors
 * (`EndorseError`, `CommitError`, …) when the network refuses a transaction.
 */
export async function setupConsortium(options: SetupOptions = {}): Promise<SetupReport> {
  const config = options.config ?? loadConsortiumConfig();
  const profile = options.profile ?? readNetworkProfile(loadConfig().profileFile);
  const log = options.log ?? ((line: string) => void process.stdout.write(`${line}\n`));
  const admins = new Admins(profile);
  const actions: string[] = [];
  try {
    for (let attempt = 1; ; attempt++) {
      try {
        await converge(admins, config, options.readyTimeoutMs ?? 30_000, actions, log);
        break;
      } catch (error) {
        // Two set-ups racing (npm start and a test run) conflict on the same member keys; the loser
        // re-reads and finds less or nothing left to do.
        if (!(error instanceof CommitError && error.code === MVCC_READ_CONFLICT) || attempt >= 3) throw error;
        log(`${error.transactionId} lost an MVCC race; reading the members again`);
      }
    }
    const after = await listMembers(admins, 0);
    const members = DEMO_MEMBERS.map(({ memberId }) => {
      const found = after.find((m) => m.memberId === memberId);
      if (found === undefined) throw new Error(`member ${memberId} is missing after set-up`);
      return found;
    });
    const summary = members
      .map((m) => `${m.memberId} ${m.status}${m.endpoint === '' ? '' : ` ${m.endpoint}`}`)
      .join(', ');
    log(`${actions.length === 0 ? 'nothing to do: ' : ''}${summary}`);
    return { actions, members };
  } finally {
    admins.close();
  }
}

/** An error's message plus the per-peer details fabric-gateway attaches (where the chaincode's text is). */
function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const details =
    isRecord(error) && Array.isArray(error.details)
      ? (error.details as unknown[]).flatMap((d) =>
          isRecord(d) && typeof d.message === 'string' ? [d.message] : [],
        )
      : [];
  return [error.message, ...details].join('\n  ');
}

async function main(args: readonly string[]): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  let config: ConsortiumConfig;
  try {
    config = loadConsortiumConfig(process.env, args);
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}\n`);
    return 2;
  }
  try {
    await setupConsortium({ config });
    return 0;
  } catch (error) {
    process.stderr.write(`consortium set-up failed: ${describeError(error)}\n`);
    return 1;
  }
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
