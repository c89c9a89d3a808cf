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
import {
  CHAINCODE_NAME,
  DEMO_MEMBERS as TABLE_MEMBERS,
  PEER_ORGS,
  adminMemberId,
  adminOfRole,
  connectGateway,
  readNetworkProfile,
  veriscanPaths,
  type GatewayConnection,
  type MemberRole,
  type NetworkProfile,
} from '@veriscan/fabric-kit';
import { LedgerError, LedgerErrorCode, Tx, VeriscanLedger, type MemberRecord } from '@veriscan/ledger-api';
import { CodedError } from '@veriscan/protocol';

const HOSPITALS = ['hospital-a', 'hospital-b'] as const;
/** A demo hospital's member id. */
export type HospitalId = (typeof HOSPITALS)[number];

type Role = MemberRole;

/** The demo members (the consortium table's users), in the order Bootstrap lists them. */
export const DEMO_MEMBERS: readonly { readonly memberId: string; readonly role: Role }[] = TABLE_MEMBERS;

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

/**
 * Org admin identities of the connection profile that register each role's members. The regulator
 * org never writes, so a hospital org admin registers the regulator member.
 */
const ADMIN_OF: Readonly<Record<Role, string>> = {
  hospital: adminOfRole('hospital'),
  lab: adminOfRole('lab'),
  regulator: adminOfRole('hospital'),
};
/** The admins that approve members, with their MSP ids: one per org whose peer endorses. */
const APPROVERS: readonly { readonly identity: string; readonly mspId: string }[] = PEER_ORGS.filter(
  (org) => org.endorses,
).map((org) => ({ identity: adminMemberId(org), mspId: org.mspId }));

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

/** Why set-up refused: a bad argument, or a demo member in a state set-up cannot fix. */
export const SetupErrorCode = { INVALID_ARGUMENT: 'INVALID_ARGUMENT', MEMBER_STATE: 'MEMBER_STATE' } as const;
export type SetupErrorCode = (typeof SetupErrorCode)[keyof typeof SetupErrorCode];

/** The set-up script's error, shaped `{ code, message, cause }`. */
export class SetupError extends CodedError<SetupErrorCode> {}

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
    throw new SetupError(
      'INVALID_ARGUMENT',
      `${source}: ${JSON.stringify(url)} is not an http(s) URL without credentials or query`,
    );
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
    if (arg !== '--endpoint') throw new SetupError('INVALID_ARGUMENT', `unknown argument ${String(arg)}`);
    const value = args[++i] ?? '';
    const eq = value.indexOf('=');
    const hospital = value.slice(0, Math.max(eq, 0));
    if (eq < 0 || !isHospitalId(hospital))
      throw new SetupError(
        'INVALID_ARGUMENT',
        `--endpoint expects <hospital>=<url> with hospital one of ${HOSPITALS.join(', ')}`,
      );
    endpoints[hospital] = checkEndpoint(value.slice(eq + 1), '--endpoint');
  }
  return { endpoints };
}

/** A member as set-up reads it from `Membership:ListMembers`. */
export type MemberState = MemberRecord;

/** The chaincode's error code of a failed facade call, if the chaincode answered; undefined otherwise. */
function chaincodeErrorCode(error: unknown): string | undefined {
  return error instanceof LedgerError && error.fromChaincode ? error.code : undefined;
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

class Admins {
  readonly #profile: NetworkProfile;
  readonly #open = new Map<string, { connection: GatewayConnection; ledger: VeriscanLedger }>();

  constructor(profile: NetworkProfile) {
    this.#profile = profile;
  }

  ledger(identity: string): VeriscanLedger {
    const existing = this.#open.get(identity);
    if (existing !== undefined) return existing.ledger;
    const connection = connectGateway(this.#profile, identity);
    const name = this.#profile.chaincodes[CHAINCODE_NAME]?.name ?? CHAINCODE_NAME;
    const contract = connection.gateway.getNetwork(this.#profile.channel).getContract(name);
    // One attempt per call: set-up re-reads and converges again after a lost race instead.
    const ledger = new VeriscanLedger({ contract, policy: { attempts: 1, baseDelayMs: 0, maxDelayMs: 0 } });
    this.#open.set(identity, { connection, ledger });
    return ledger;
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
      return (await admins.ledger(ADMIN_OF.hospital).listMembers()).members;
    } catch (error) {
      // A chaincode answer (even an error) means it is up; anything else may be a chaincode or peer
      // still starting right after `up`/`deploy`, so wait for it a bounded time.
      if (chaincodeErrorCode(error) !== undefined || Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}

/** One membership write as `identity`, logged; returns the member record it answers with. */
async function submit(
  admins: Admins,
  identity: string,
  write: (ledger: VeriscanLedger) => Promise<{ readonly value: MemberState }>,
  line: string,
  actions: string[],
  log: (line: string) => void,
): Promise<MemberState> {
  const { value } = await write(admins.ledger(identity));
  const action = `${line} as ${identity}`;
  actions.push(action);
  log(`submitted ${action}`);
  return value;
}

async function converge(
  admins: Admins,
  config: ConsortiumConfig,
  readyTimeoutMs: number,
  actions: string[],
  log: (line: string) => void,
): Promise<void> {
  const byId = new Map<string, MemberState>(
    (await listMembers(admins, readyTimeoutMs)).map((m) => [m.memberId, m]),
  );
  const endpointOf = (memberId: string): string => (isHospitalId(memberId) ? config.endpoints[memberId] : '');

  if (DEMO_MEMBERS.every((m) => !byId.has(m.memberId))) {
    const members = DEMO_MEMBERS.map((m) =>
      isHospitalId(m.memberId) ? { ...m, endpoint: endpointOf(m.memberId) } : m,
    );
    try {
      const identity = ADMIN_OF.hospital;
      await admins.ledger(identity).bootstrap(members);
      const action = `${Tx.Bootstrap}(${members.length} demo members) as ${identity}`;
      actions.push(action);
      log(`submitted ${action}`);
      return;
    } catch (error) {
      // Another genesis list is recorded (Bootstrap runs once per channel): register one by one instead.
      if (chaincodeErrorCode(error) !== LedgerErrorCode.CONFLICT) throw error;
      log('a different genesis member list is recorded; registering the demo members one by one');
    }
  }
  for (const { memberId, role } of DEMO_MEMBERS) {
    let member =
      byId.get(memberId) ??
      (await submit(
        admins,
        ADMIN_OF[role],
        (l) => l.registerMember(memberId, role),
        `${Tx.RegisterMember}(${memberId}, ${role})`,
        actions,
        log,
      ));
    if (member.role !== role) {
      throw new SetupError('MEMBER_STATE', `member ${memberId} exists with role ${member.role}, not ${role}`);
    }
    if (member.status === 'suspended') {
      throw new SetupError(
        'MEMBER_STATE',
        `member ${memberId} is suspended; suspension is final, register a new member id instead`,
      );
    }
    for (const approver of APPROVERS) {
      if (member.status !== 'pending') break;
      if (member.approvals.includes(approver.mspId)) continue;
      member = await submit(
        admins,
        approver.identity,
        (l) => l.approveMember(memberId),
        `${Tx.ApproveMember}(${memberId})`,
        actions,
        log,
      );
    }
    if (member.status !== 'active') {
      throw new SetupError('MEMBER_STATE', `member ${memberId} is still ${member.status}`);
    }
    if (isHospitalId(memberId) && member.endpoint !== endpointOf(memberId)) {
      const endpoint = endpointOf(memberId);
      await submit(
        admins,
        ADMIN_OF.hospital,
        (l) => l.setMemberEndpoint(memberId, endpoint),
        `${Tx.SetMemberEndpoint}(${memberId}, ${endpoint})`,
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
  const profile = options.profile ?? readNetworkProfile(veriscanPaths().profileFile);
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
        if (!(error instanceof LedgerError && error.code === LedgerErrorCode.MVCC_CONFLICT) || attempt >= 3)
          throw error;
        log(`${error.transactionId ?? 'a transaction'} lost an MVCC race; reading the members again`);
      }
    }
    const after = await listMembers(admins, 0);
    const members = DEMO_MEMBERS.map(({ memberId }) => {
      const found = after.find((m) => m.memberId === memberId);
      if (found === undefined)
        throw new SetupError('MEMBER_STATE', `member ${memberId} is missing after set-up`);
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

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An error's message plus the per-peer details fabric-gateway attaches (where the chaincode's text is). */
function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const source: unknown = error instanceof LedgerError ? error.cause : error;
  const details =
    isRecord(source) && Array.isArray(source.details)
      ? (source.details as unknown[]).flatMap((d) =>
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
