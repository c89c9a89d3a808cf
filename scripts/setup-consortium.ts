/**
 * Makes the demo consortium ready to transact on a running network: the five demo institutions
 * (hospital-a, hospital-b, lab-1, lab-2, regulator-1, each its own org) active members, and each
 * hospital's member record carrying the URL of its gateway's blob endpoint.
 *
 * It reads the ledger first and only writes what is missing, as the institutions' own admins
 * through fabric-gateway, so it can run on every `npm start` and before every integration run:
 * - no members yet → `Membership:Bootstrap` with the table's institutions, confirmed by the admin of
 *   every founding hospital and lab (the genesis needs all of them; the regulator does not write);
 * - a demo institution missing after a different genesis → an `admit` proposal by a founder's
 *   admin and votes by the others until it is decided;
 * - a suspended demo institution → a `reinstate` proposal, voted the same way (the demo holds every
 *   founder's admin; in a real consortium each institution votes for itself);
 * - a hospital whose endpoint differs from the configured one → `SetMemberEndpoint` by its own admin;
 *
 * Run: `npx tsx scripts/setup-consortium.ts [--endpoint hospital-a=URL] [--help]`.
 */
import {
  CHAINCODE_NAME,
  DEMO_MEMBERS as TABLE_MEMBERS,
  adminMemberId,
  gatewayExchangePort,
  connectGateway,
  peerOrgByKey,
  readNetworkProfile,
  veriscanPaths,
  type GatewayConnection,
  type MemberRole,
  type NetworkProfile,
} from '@veriscan/fabric-kit';
import {
  LedgerError,
  LedgerErrorCode,
  Tx,
  VeriscanLedger,
  type MemberRecord,
  type ProposalInput,
} from '@veriscan/ledger-api';
import { CodedError } from '@veriscan/protocol';

const HOSPITALS = ['hospital-a', 'hospital-b'] as const;
/** A demo hospital's member id. */
export type HospitalId = (typeof HOSPITALS)[number];

/** The demo institutions (the consortium table's peer orgs), in the order Bootstrap lists them. */
export const DEMO_MEMBERS: readonly {
  readonly memberId: string;
  readonly mspId: string;
  readonly role: MemberRole;
}[] = TABLE_MEMBERS;

/**
 * The blob URLs of the hospital gateways' scan exchanges at their default ports (docs/api.md): a lab reads a hospital's
 * URL from its member record to fetch an assigned scan. Override them with the environment or
 * `--endpoint`; set-up moves a stored URL to the configured one.
 */
export const DEFAULT_ENDPOINTS: Readonly<Record<HospitalId, string>> = {
  'hospital-a': `https://127.0.0.1:${gatewayExchangePort(peerOrgByKey('hospital-a'))}/blobs`,
  'hospital-b': `https://127.0.0.1:${gatewayExchangePort(peerOrgByKey('hospital-b'))}/blobs`,
};

const ENDPOINT_ENV: Readonly<Record<HospitalId, string>> = {
  'hospital-a': 'VERISCAN_HOSPITAL_A_BLOB_URL',
  'hospital-b': 'VERISCAN_HOSPITAL_B_BLOB_URL',
};

// The chaincode's own rule (chaincode/src/domain/member.ts): published to the whole channel, so no
// credentials and no query string.
const ENDPOINT_PATTERN = /^https?:\/\/[A-Za-z0-9.-]+(:[0-9]{1,5})?(\/[A-Za-z0-9._~/-]*)?$/;

/** The admin identity of a demo institution, e.g. `hospital-a-admin`. */
function adminOf(memberId: string): string {
  return adminMemberId(peerOrgByKey(memberId));
}

/** The founders that confirm the genesis and vote: the demo hospitals and labs, in table order. */
const FOUNDERS: readonly string[] = DEMO_MEMBERS.filter((m) => m.role !== 'regulator').map((m) => m.memberId);

export const USAGE = `usage: npx tsx scripts/setup-consortium.ts [--endpoint <hospital>=<url>]... [--help]

Makes the demo institutions (hospital-a, hospital-b, lab-1, lab-2, regulator-1) active members on the
running network, as each institution's own admin: the genesis confirmed by every founding hospital and
lab, then each hospital's gateway blob URL. A demo institution missing after another genesis is admitted,
and a suspended one reinstated, by a proposal the founders' admins vote through. Idempotent: it reads the
ledger first and writes only what is missing or different.

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
  /** One line per transaction submitted, e.g. `Membership:Bootstrap(5 institutions) as hospital-a-admin: pending`. */
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

/** One facade per admin identity of the connection profile, opened on first use. */
export class Admins {
  readonly #profile: NetworkProfile;
  readonly #open = new Map<string, { connection: GatewayConnection; ledger: VeriscanLedger }>();

  constructor(profile: NetworkProfile) {
    this.#profile = profile;
  }

  /**
   * Resolves once the peer `identity` connects to has committed block `blockNumber`: each admin
   * reads through its own institution's peer, and a peer commits a block on its own schedule.
   */
  async committed(identity: string, blockNumber: bigint): Promise<void> {
    this.ledger(identity);
    const connection = this.#open.get(identity)?.connection;
    if (connection === undefined) return;
    const blocks = await connection.gateway
      .getNetwork(this.#profile.channel)
      .getFilteredBlockEvents({ startBlock: blockNumber });
    try {
      for await (const block of blocks) if (block.getNumber() >= blockNumber) break;
    } finally {
      blocks.close();
    }
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

/**
 * The members on the ledger, or `undefined` before the genesis (the chaincode then refuses every
 * caller as "not a member"). Waits a bounded time for a chaincode that is still starting.
 */
async function listMembers(
  admins: Admins,
  readyTimeoutMs: number,
): Promise<readonly MemberState[] | undefined> {
  const deadline = Date.now() + readyTimeoutMs;
  const founder = FOUNDERS[0];
  if (founder === undefined)
    throw new SetupError('MEMBER_STATE', 'the consortium table has no hospital or lab');
  for (;;) {
    try {
      return (await admins.ledger(adminOf(founder)).listMembers()).members;
    } catch (error) {
      // A chaincode answer (even an error) means it is up; anything else may be a chaincode or peer
      // still starting right after `up`/`deploy`, so wait for it a bounded time.
      const code = chaincodeErrorCode(error);
      if (code === LedgerErrorCode.FORBIDDEN) return undefined;
      if (code !== undefined || Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}

/** One write as `identity`, logged; returns its committed answer. */
async function submit<T>(
  admins: Admins,
  identity: string,
  write: (ledger: VeriscanLedger) => Promise<{ readonly value: T; readonly blockNumber: bigint }>,
  line: string,
  actions: string[],
  log: (line: string) => void,
): Promise<{ readonly value: T; readonly blockNumber: bigint }> {
  const committed = await write(admins.ledger(identity));
  // The next step may run as another institution's admin, through its own peer.
  await Promise.all(FOUNDERS.map((founder) => admins.committed(adminOf(founder), committed.blockNumber)));
  const action = `${line} as ${identity}`;
  actions.push(action);
  log(`submitted ${action}`);
  return committed;
}

/** Every founder's admin confirms the genesis list; the last confirmation writes the members. */
async function bootstrap(
  admins: Admins,
  config: ConsortiumConfig,
  actions: string[],
  log: (line: string) => void,
): Promise<void> {
  const members = DEMO_MEMBERS.map((m) =>
    isHospitalId(m.memberId) ? { ...m, endpoint: config.endpoints[m.memberId] } : m,
  );
  for (const founder of FOUNDERS) {
    const identity = adminOf(founder);
    const { value } = await submit(
      admins,
      identity,
      (l) => l.bootstrap(members),
      `${Tx.Bootstrap}(${members.length} institutions)`,
      actions,
      log,
    );
    if (value.status === 'recorded') return;
  }
  throw new SetupError('MEMBER_STATE', 'the genesis is still pending after every founder confirmed it');
}

/**
 * Carries a proposal about `memberId` through: opened by the first other founder, approved by the
 * others (the demo holds every founder's admin) until it is decided.
 * @throws SetupError when it does not end approved.
 */
export async function govern(
  admins: Admins,
  memberId: string,
  body: ProposalInput,
  actions: string[],
  log: (line: string) => void,
): Promise<void> {
  const [proposer, ...voters] = FOUNDERS.filter((id) => id !== memberId);
  if (proposer === undefined)
    throw new SetupError('MEMBER_STATE', `no founder can propose about ${memberId}`);
  let { value: proposal } = await submit(
    admins,
    adminOf(proposer),
    (l) => l.propose(body),
    `${Tx.Propose}(${body.kind} ${memberId})`,
    actions,
    log,
  );
  for (const voter of voters) {
    if (proposal.status !== 'open') break;
    if (!proposal.electorate.some((id) => id === voter)) continue;
    ({ value: proposal } = await submit(
      admins,
      adminOf(voter),
      (l) => l.vote(proposal.proposalId, true),
      `${Tx.Vote}(${proposal.proposalId.slice(0, 12)}…, approve)`,
      actions,
      log,
    ));
  }
  if (proposal.status !== 'approved')
    throw new SetupError(
      'MEMBER_STATE',
      `${body.kind} ${memberId}: proposal ${proposal.status} (${proposal.outcome})`,
    );
}

async function converge(
  admins: Admins,
  config: ConsortiumConfig,
  readyTimeoutMs: number,
  actions: string[],
  log: (line: string) => void,
): Promise<void> {
  let members = await listMembers(admins, readyTimeoutMs);
  if (members === undefined) {
    await bootstrap(admins, config, actions, log);
    members = (await listMembers(admins, 0)) ?? [];
  }
  const byId = new Map<string, MemberState>(members.map((m) => [m.memberId, m]));
  const endpointOf = (memberId: string): string => (isHospitalId(memberId) ? config.endpoints[memberId] : '');
  for (const wanted of DEMO_MEMBERS) {
    const member = byId.get(wanted.memberId);
    if (member === undefined) {
      const { memberId, mspId, role } = wanted;
      const endpoint = endpointOf(memberId);
      await govern(admins, memberId, { kind: 'admit', memberId, mspId, role, endpoint }, actions, log);
      continue;
    }
    if (member.role !== wanted.role || member.mspId !== wanted.mspId) {
      throw new SetupError(
        'MEMBER_STATE',
        `member ${member.memberId} is a ${member.role} of ${member.mspId}, not a ${wanted.role} of ${wanted.mspId}`,
      );
    }
    if (member.status === 'suspended') {
      // Only the consortium's vote lifts a suspension; the demo holds every founder's admin.
      await govern(admins, member.memberId, { kind: 'reinstate', memberId: member.memberId }, actions, log);
    }
    if (isHospitalId(member.memberId) && member.endpoint !== endpointOf(member.memberId)) {
      const endpoint = endpointOf(member.memberId);
      await submit(
        admins,
        adminOf(member.memberId),
        (l) => l.setMemberEndpoint(member.memberId, endpoint),
        `${Tx.SetMemberEndpoint}(${member.memberId}, ${endpoint})`,
        actions,
        log,
      );
    }
  }
}

/**
 * Brings the demo members to `active` with the configured hospital endpoints, writing only what is
 * missing; safe to run any number of times. Needs the network up and the chaincode deployed.
 * @throws Error when a demo member has another role or MSP id, or a proposal does not pass, and fabric-gateway errors
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
    const after = (await listMembers(admins, 0)) ?? [];
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
