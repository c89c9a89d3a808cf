/**
 * The lab service's configuration: the only module that reads `process.env`. Every problem (missing
 * or malformed variable, unknown identity in the connection profile) is collected and reported at
 * once, so an operator fixes the environment in one go instead of one restart per variable.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  consortiumTlsRoots,
  cryptoLayout,
  orgByMspId,
  orgsOfRole,
  peerOrgByMspId,
  readNetworkProfile,
  veriscanPaths,
  type IdentityProfile,
  type NetworkProfile,
  type OrgMaterial,
} from '@veriscan/fabric-kit';
import { isMemberId, type MemberId } from '@veriscan/protocol';
import { LabError, LabErrorCode } from './errors';
import type { TrustedMsp } from './fetch/request-verifier';

/** How finished results reach the ledger. */
export type BatchSettings =
  | { readonly mode: 'single' }
  | {
      readonly mode: 'batch';
      /** Anchor as soon as this many receipts wait. */
      readonly size: number;
      /** Anchor at the latest this long after the oldest waiting receipt was recorded. */
      readonly intervalMs: number;
    };

/** The kinds of institution that may call the lab's HTTP API. */
export const CLIENT_ROLES = ['hospital', 'regulator'] as const;

/**
 * An MSP whose users may call the lab's HTTP API: one institution (one MSP = one member), so its
 * member id and kind are configured here, never read from the caller's certificate.
 */
export interface ClientMsp extends TrustedMsp {
  readonly role: (typeof CLIENT_ROLES)[number];
}

/** Everything the lab service needs, validated. */
export interface LabConfig {
  /** The identity name in the connection profile: the lab org's key, which is its member id. */
  readonly labId: MemberId;
  readonly profileFile: string;
  readonly profile: NetworkProfile;
  readonly identity: IdentityProfile;
  /** The peer (name in the profile) whose Gateway the lab uses. */
  readonly peerName: string;
  readonly channel: string;
  readonly chaincode: string;
  /** Hospital member id → base URL of its gateway's blob endpoint (as on the ledger member record). */
  readonly hospitals: ReadonlyMap<string, string>;
  /** Folder of `<model-id>/<version>/` model files. */
  readonly modelDir: string;
  /** Scans processed at the same time. */
  readonly concurrency: number;
  /** onnxruntime intra-op threads (recorded in each trace's determinism profile). */
  readonly intraOpThreads: number;
  readonly batch: BatchSettings;
  readonly http: { readonly host: string; readonly port: number };
  /**
   * TLS of the lab's API: `off` (plain HTTP), certificate and key `files`, or `issue` one at start from
   * the lab org's TLS CA (`tlsCa`, the demo's crypto material).
   */
  readonly tls:
    | { readonly mode: 'off' }
    | { readonly mode: 'files'; readonly certFile: string; readonly keyFile: string }
    | {
        readonly mode: 'issue';
        readonly tlsCa: Pick<OrgMaterial, 'domain' | 'tlsCaCertFile' | 'tlsCaKeyFile'>;
      };
  /** Every org's TLS CA (PEM): what the lab trusts when it fetches from a hospital over HTTPS. */
  readonly tlsRoots: readonly string[];
  /** Outbox database, event checkpoint and output blobs. */
  readonly stateDir: string;
  /** Who may call the HTTP API, one entry per institution (outputs go to the requesting hospital only). */
  readonly clientMsps: readonly ClientMsp[];
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Deadline of one scan download. */
  readonly fetchTimeoutMs: number;
  /** Largest scan download accepted, in bytes. */
  readonly maxScanBytes: number;
  /** How long a graceful stop waits for in-flight work and pending submissions. */
  readonly drainTimeoutMs: number;
}

/** A configuration that cannot be used; `problems` lists every reason, one line each. */
export class ConfigError extends LabError {
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(LabErrorCode.INVALID_CONFIG, `invalid lab configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/** The environment variables, for `--help` and error messages. */
export const CONFIG_USAGE = `environment (required marked *):
  VERISCAN_LAB_IDENTITY *          the lab org's key, e.g. lab-1: its member id and its service
                                   identity (job operator) in the connection profile
  VERISCAN_LAB_MODEL_DIR *         folder holding <model-id>/<version>/ model files
  VERISCAN_LAB_HOSPITALS           hospital gateways: hospital-a=http://host:port/blobs,hospital-b=...
                                   (a hospital not listed is looked up on the ledger member record)
  VERISCAN_HOME                    state folder (default <repo>/.veriscan)
  VERISCAN_PROFILE                 connection profile (default $VERISCAN_HOME/network.json)
  VERISCAN_LAB_PEER                peer name in the profile (default: the identity's own peer)
  VERISCAN_LAB_CONCURRENCY         scans in flight, 1..64 (default 1)
  VERISCAN_LAB_INTRA_OP_THREADS    onnxruntime intra-op threads, 1..64 (default 1)
  VERISCAN_LAB_BATCH_MODE          single | batch (default single)
  VERISCAN_LAB_BATCH_SIZE          receipts per batch, 1..1000 (default 64)
  VERISCAN_LAB_BATCH_INTERVAL_MS   longest wait before anchoring, 10..3600000 (default 2000)
  VERISCAN_LAB_HTTP_HOST           HTTP bind address (default 127.0.0.1)
  VERISCAN_LAB_HTTP_PORT           HTTP port, 0..65535 (default 7201; 0 = any free port)
  VERISCAN_LAB_TLS                 off | issue: serve the API over HTTPS with a certificate issued at
                                   start by the lab org's TLS CA (default off, or on with the files below)
  VERISCAN_LAB_TLS_CERT            the API's TLS certificate and key (PEM files; implies HTTPS)
  VERISCAN_LAB_TLS_KEY
  VERISCAN_LAB_STATE_DIR           outbox, checkpoint, outputs (default $VERISCAN_HOME/labs/<lab>)
  VERISCAN_LAB_CLIENT_MSPS         institutions allowed to call the API, one MSP each:
                                   <MSP id>=<member id>:<hospital|regulator>:<msp dir>,...
                                   (default: every hospital and regulator org of the consortium,
                                   verifying MSP folders under $VERISCAN_HOME/crypto)
  VERISCAN_LAB_LOG_LEVEL           fatal|error|warn|info|debug|trace|silent (default info)
  VERISCAN_LAB_FETCH_TIMEOUT_MS    scan download deadline (default 30000)
  VERISCAN_LAB_MAX_SCAN_BYTES      largest scan accepted (default 67108864)
  VERISCAN_LAB_DRAIN_TIMEOUT_MS    graceful stop budget (default 30000)`;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
// The chaincode's endpoint rule: no credentials and no query string in a URL published or configured.
const URL_PATTERN = /^https?:\/\/[A-Za-z0-9.-]+(:[0-9]{1,5})?(\/[A-Za-z0-9._~/-]*)?$/;

class Collector {
  readonly problems: string[] = [];
  readonly #env: Readonly<Record<string, string | undefined>>;

  constructor(env: Readonly<Record<string, string | undefined>>) {
    this.#env = env;
  }

  raw(name: string): string | undefined {
    const value = this.#env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  }

  required(name: string): string | undefined {
    const value = this.raw(name);
    if (value === undefined) this.problems.push(`${name} is required but not set`);
    return value;
  }

  integer(name: string, fallback: number, min: number, max: number): number {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    const n = /^[0-9]+$/.test(value) ? Number.parseInt(value, 10) : Number.NaN;
    if (!Number.isSafeInteger(n) || n < min || n > max) {
      this.problems.push(`${name} must be an integer in ${min}..${max}, got ${JSON.stringify(value)}`);
      return fallback;
    }
    return n;
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    const found = allowed.find((a) => a === value);
    if (found === undefined)
      this.problems.push(`${name} must be one of ${allowed.join(', ')}, got ${JSON.stringify(value)}`);
    return found ?? fallback;
  }
}

function parseHospitals(c: Collector): Map<string, string> {
  const map = new Map<string, string>();
  const value = c.raw('VERISCAN_LAB_HOSPITALS');
  if (value === undefined) return map;
  for (const entry of value
    .split(',')
    .map((e) => e.trim())
    .filter((e) => e !== '')) {
    const eq = entry.indexOf('=');
    const id = eq > 0 ? entry.slice(0, eq) : '';
    const url = entry.slice(eq + 1).replace(/\/+$/, '');
    if (!isMemberId(id) || !URL_PATTERN.test(url)) {
      c.problems.push(
        `VERISCAN_LAB_HOSPITALS entry ${JSON.stringify(entry)} is not <hospital-id>=<http(s) URL>`,
      );
      continue;
    }
    map.set(id, url);
  }
  return map;
}

/** The consortium's hospital and regulator orgs, verified with their MSP folders under `cryptoDir`. */
function defaultClientMsps(c: Collector, cryptoDir: string): ClientMsp[] {
  const layout = cryptoLayout(cryptoDir);
  const out: ClientMsp[] = [];
  for (const role of CLIENT_ROLES)
    for (const org of orgsOfRole(role)) {
      // An org's key is its member id by the table's definition; this only narrows the type.
      if (!isMemberId(org.key)) c.problems.push(`consortium org ${org.key} is not a member id`);
      else
        out.push({ mspId: org.mspId, memberId: org.key, role, mspDir: orgByMspId(layout, org.mspId).mspDir });
    }
  return out;
}

const CLIENT_MSP_ENTRY = /^([A-Za-z0-9.-]+)=([^:]+):([^:]+):(.+)$/;

function parseClientMsps(c: Collector, cryptoDir: string): ClientMsp[] {
  const value = c.raw('VERISCAN_LAB_CLIENT_MSPS');
  if (value === undefined) return defaultClientMsps(c, cryptoDir);
  const out: ClientMsp[] = [];
  for (const entry of value
    .split(',')
    .map((e) => e.trim())
    .filter((e) => e !== '')) {
    const [, mspId, memberId, roleText, dir] = CLIENT_MSP_ENTRY.exec(entry) ?? [];
    const role = CLIENT_ROLES.find((r) => r === roleText);
    if (mspId === undefined || !isMemberId(memberId) || role === undefined || dir === undefined) {
      c.problems.push(
        `VERISCAN_LAB_CLIENT_MSPS entry ${JSON.stringify(entry)} is not <MSP id>=<member id>:<hospital|regulator>:<msp dir>`,
      );
      continue;
    }
    // An org of the table is that institution and no other: a second name for it would let its
    // users act as another member at the lab.
    const org = peerOrgByMspId(mspId);
    if (org !== undefined && (org.key !== memberId || org.memberRole !== role)) {
      c.problems.push(
        `VERISCAN_LAB_CLIENT_MSPS: ${mspId} is ${org.memberRole} ${org.key} in the consortium, not ${role} ${memberId}`,
      );
      continue;
    }
    const clash = out.find((m) => m.mspId === mspId || m.memberId === memberId);
    if (clash !== undefined) {
      c.problems.push(
        `VERISCAN_LAB_CLIENT_MSPS: ${mspId}=${memberId} repeats ${clash.mspId}=${clash.memberId} (one MSP per institution)`,
      );
      continue;
    }
    out.push({ mspId, memberId, role, mspDir: resolve(dir) });
  }
  return out;
}

/**
 * The lab org of the consortium whose key is `name`, checked against the connection profile's
 * identity of that name: the service runs as its lab's operator, never as another org's user.
 */
function checkLabIdentity(
  c: Collector,
  name: string,
  identity: IdentityProfile | undefined,
  profileFile: string,
): void {
  const labs = orgsOfRole('lab');
  const lab = labs.find((org) => org.key === name);
  if (lab === undefined) {
    c.problems.push(
      `VERISCAN_LAB_IDENTITY ${name} is not a lab org of the consortium (labs: ${labs.map((o) => o.key).join(', ')})`,
    );
    return;
  }
  if (identity !== undefined && identity.mspId !== lab.mspId)
    c.problems.push(
      `VERISCAN_LAB_IDENTITY ${name} belongs to ${identity.mspId} in ${profileFile}, not to its lab org's ${lab.mspId}`,
    );
}

/**
 * Reads and validates the configuration.
 * @param env the environment (default `process.env`).
 * @throws ConfigError listing every missing or invalid variable.
 */
export function loadLabConfig(env: Readonly<Record<string, string | undefined>> = process.env): LabConfig {
  const c = new Collector(env);
  const identityName = c.required('VERISCAN_LAB_IDENTITY');
  const modelDirRaw = c.required('VERISCAN_LAB_MODEL_DIR');
  const paths = veriscanPaths({ VERISCAN_HOME: c.raw('VERISCAN_HOME') });
  const home = paths.stateDir;
  const profileFile = resolve(c.raw('VERISCAN_PROFILE') ?? paths.profileFile);
  const hospitals = parseHospitals(c);
  const concurrency = c.integer('VERISCAN_LAB_CONCURRENCY', 1, 1, 64);
  const intraOpThreads = c.integer('VERISCAN_LAB_INTRA_OP_THREADS', 1, 1, 64);
  const mode = c.oneOf('VERISCAN_LAB_BATCH_MODE', ['single', 'batch'] as const, 'single');
  const size = c.integer('VERISCAN_LAB_BATCH_SIZE', 64, 1, 1000);
  const intervalMs = c.integer('VERISCAN_LAB_BATCH_INTERVAL_MS', 2000, 10, 3_600_000);
  const host = c.raw('VERISCAN_LAB_HTTP_HOST') ?? '127.0.0.1';
  const port = c.integer('VERISCAN_LAB_HTTP_PORT', 7201, 0, 65535);
  const clientMsps = parseClientMsps(c, paths.cryptoDir);
  const tlsMode = c.oneOf('VERISCAN_LAB_TLS', ['off', 'issue'] as const, 'off');
  const tlsCert = c.raw('VERISCAN_LAB_TLS_CERT');
  const tlsKey = c.raw('VERISCAN_LAB_TLS_KEY');
  if ((tlsCert === undefined) !== (tlsKey === undefined))
    c.problems.push('VERISCAN_LAB_TLS_CERT and VERISCAN_LAB_TLS_KEY go together');
  // Hospitals' exchanges are HTTPS servers of their orgs' TLS CAs; without crypto material an
  // https:// hospital URL fails at fetch time with the TLS error.
  const layout = existsSync(paths.cryptoDir) ? cryptoLayout(paths.cryptoDir) : undefined;
  if (tlsMode === 'issue' && layout === undefined)
    c.problems.push(`VERISCAN_LAB_TLS=issue needs the org's TLS CA under ${paths.cryptoDir}`);
  let tlsRoots: string[] = [];
  try {
    tlsRoots = layout === undefined ? [] : consortiumTlsRoots(layout);
  } catch {
    tlsRoots = [];
  }
  const logLevel = c.oneOf('VERISCAN_LAB_LOG_LEVEL', LOG_LEVELS, 'info');
  const fetchTimeoutMs = c.integer('VERISCAN_LAB_FETCH_TIMEOUT_MS', 30_000, 100, 600_000);
  const maxScanBytes = c.integer('VERISCAN_LAB_MAX_SCAN_BYTES', 64 * 1024 * 1024, 1024, 1024 * 1024 * 1024);
  const drainTimeoutMs = c.integer('VERISCAN_LAB_DRAIN_TIMEOUT_MS', 30_000, 0, 600_000);

  if (identityName !== undefined && !isMemberId(identityName))
    c.problems.push(
      `VERISCAN_LAB_IDENTITY must be a member id (lowercase slug), got ${JSON.stringify(identityName)}`,
    );
  const modelDir = modelDirRaw === undefined ? '' : resolve(modelDirRaw);
  if (modelDirRaw !== undefined && !existsSync(modelDir))
    c.problems.push(`VERISCAN_LAB_MODEL_DIR ${modelDir} does not exist`);

  let profile: NetworkProfile | undefined;
  try {
    profile = readNetworkProfile(profileFile);
  } catch (error) {
    c.problems.push(
      `connection profile ${profileFile} is unusable: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const identity = identityName === undefined ? undefined : profile?.identities[identityName];
  if (profile !== undefined && identityName !== undefined && identity === undefined) {
    c.problems.push(
      `VERISCAN_LAB_IDENTITY ${identityName} is not in ${profileFile} (known: ${Object.keys(profile.identities).join(', ')})`,
    );
  }
  if (identityName !== undefined && isMemberId(identityName))
    checkLabIdentity(c, identityName, identity, profileFile);
  const peerName = c.raw('VERISCAN_LAB_PEER') ?? identity?.peer ?? '';
  if (profile !== undefined && identity !== undefined && profile.peers[peerName] === undefined)
    c.problems.push(`VERISCAN_LAB_PEER ${peerName} is not a peer of the connection profile`);

  if (c.problems.length > 0 || profile === undefined || identity === undefined || identityName === undefined)
    throw new ConfigError(c.problems.length > 0 ? c.problems : ['connection profile or identity unusable']);
  if (!isMemberId(identityName)) throw new ConfigError(['VERISCAN_LAB_IDENTITY is not a member id']);
  return {
    labId: identityName,
    profileFile,
    profile,
    identity,
    peerName,
    channel: profile.channel,
    chaincode: profile.chaincodes.veriscan?.name ?? 'veriscan',
    hospitals,
    modelDir,
    concurrency,
    intraOpThreads,
    batch: mode === 'single' ? { mode } : { mode, size, intervalMs },
    http: { host, port },
    tls:
      tlsCert !== undefined && tlsKey !== undefined
        ? { mode: 'files', certFile: resolve(tlsCert), keyFile: resolve(tlsKey) }
        : tlsMode === 'issue' && layout !== undefined
          ? { mode: 'issue', tlsCa: orgByMspId(layout, identity.mspId) }
          : { mode: 'off' },
    tlsRoots,
    stateDir: resolve(c.raw('VERISCAN_LAB_STATE_DIR') ?? join(home, 'labs', identityName)),
    clientMsps,
    logLevel,
    fetchTimeoutMs,
    maxScanBytes,
    drainTimeoutMs,
  };
}
