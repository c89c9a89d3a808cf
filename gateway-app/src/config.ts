/**
 * A gateway's configuration: the only module that reads `process.env`. One gateway serves one
 * institution (a hospital or the regulator) with that institution's own Fabric identity and peer. Every
 * problem is collected and reported at once.
 */
import { join, resolve } from 'node:path';
import {
  CHAINCODE_NAME,
  consortiumTlsRoots,
  cryptoLayout,
  gatewayExchangePort,
  gatewayPort,
  orgByMspId,
  PEER_ORGS,
  readNetworkProfile,
  veriscanPaths,
  type IdentityProfile,
  type NetworkProfile,
  type OrgMaterial,
} from '@veriscan/fabric-kit';
import type { TrustedMsp } from '@veriscan/inference-lab/fetch';
import { isMemberId } from '@veriscan/protocol';
import { GatewayError, GatewayErrorCode } from './errors';

export type GatewayRole = 'hospital' | 'regulator';

export interface GatewayConfig {
  /** The institution's member id (its org key), e.g. `hospital-a`. */
  readonly institution: string;
  readonly role: GatewayRole;
  readonly profile: NetworkProfile;
  /** Profile identity the gateway transacts and signs fetches with (the org's user). */
  readonly identityName: string;
  readonly identity: IdentityProfile;
  readonly peerName: string;
  readonly channel: string;
  readonly chaincode: string;
  readonly http: { readonly host: string; readonly port: number };
  /**
   * A hospital's scan exchange for other institutions (HTTPS): where it listens and its certificate,
   * from files or, when none are given, issued at start by the org's TLS CA (`tlsCa`).
   */
  readonly exchange:
    | {
        readonly host: string;
        readonly port: number;
        readonly certFile: string | undefined;
        readonly keyFile: string | undefined;
        readonly tlsCa: Pick<OrgMaterial, 'domain' | 'tlsCaCertFile' | 'tlsCaKeyFile'>;
      }
    | undefined;
  /** Every org's TLS CA (PEM): what this gateway trusts when it calls another institution over HTTPS. */
  readonly tlsRoots: readonly string[];
  readonly stateDir: string;
  /** Lab id → base URL of its API (else the ledger member record's endpoint). */
  readonly labs: ReadonlyMap<string, string>;
  /** Hospital id → base URL of its blob endpoint, for audits (else the ledger member record). */
  readonly hospitals: ReadonlyMap<string, string>;
  /** MSPs whose users may fetch from this gateway (labs and regulators for a hospital). */
  readonly trustedMsps: readonly TrustedMsp[];
  /** Models folder for the regulator's re-runs. */
  readonly modelDir: string;
  readonly maxUploadBytes: number;
  readonly maxPixels: number;
  readonly logLevel: string;
}

export const CONFIG_USAGE = `environment (required marked *):
  VERISCAN_GATEWAY_INSTITUTION *   the institution served: a hospital (hospital-a) or the regulator
                                   (regulator-1); its org's user identity signs everything
  VERISCAN_HOME                    state folder (default <repo>/.veriscan)
  VERISCAN_PROFILE                 connection profile (default $VERISCAN_HOME/network.json)
  VERISCAN_GATEWAY_HTTP_HOST       bind address (default 127.0.0.1)
  VERISCAN_GATEWAY_HTTP_PORT       port, 0..65535 (default 7300 + the org's slot, e.g. hospital-a 7300; 0 = any free port)
  VERISCAN_GATEWAY_STATE_DIR       database and blob store (default $VERISCAN_HOME/gateways/<institution>)
  VERISCAN_GATEWAY_EXCHANGE_HOST   a hospital's scan exchange (HTTPS) bind address (default 127.0.0.1)
  VERISCAN_GATEWAY_EXCHANGE_PORT   its port (default 7400 + the org's slot, e.g. hospital-a 7400; 0 = any)
  VERISCAN_GATEWAY_TLS_CERT        its certificate and key (PEM files); when unset, one is issued at
  VERISCAN_GATEWAY_TLS_KEY         start by the org's TLS CA from $VERISCAN_HOME/crypto
  VERISCAN_GATEWAY_LABS            lab APIs: lab-1=http://host:port,... (else the ledger member record)
  VERISCAN_GATEWAY_HOSPITALS       hospital blob endpoints for audits: hospital-a=https://host:port/blobs,...
  VERISCAN_GATEWAY_MODEL_DIR       models for the regulator's re-runs (default <repo>/inference-lab/models)
  VERISCAN_GATEWAY_MAX_UPLOAD_BYTES  largest upload (default 67108864)
  VERISCAN_GATEWAY_MAX_PIXELS      largest declared width x height (default 16777216)
  VERISCAN_GATEWAY_LOG_LEVEL       fatal|error|warn|info|debug|trace|silent (default info)`;

const URL_PATTERN = /^https?:\/\/[^\s?#@]+$/;

function urlMap(raw: string | undefined, name: string, problems: string[]): Map<string, string> {
  const map = new Map<string, string>();
  if (raw === undefined || raw.trim() === '') return map;
  for (const entry of raw.split(',')) {
    const [id, url] = entry.split('=', 2).map((s) => s.trim());
    if (id === undefined || url === undefined || !isMemberId(id) || !URL_PATTERN.test(url))
      problems.push(`${name} entry ${JSON.stringify(entry)} is not <member-id>=<http(s) URL>`);
    else map.set(id, url.replace(/\/+$/, ''));
  }
  return map;
}

function integer(
  raw: string | undefined,
  name: string,
  min: number,
  max: number,
  fallback: number,
  problems: string[],
): number {
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    problems.push(`${name} must be an integer in ${min}..${max}`);
    return fallback;
  }
  return n;
}

/** @throws GatewayError INVALID_CONFIG listing every problem */
export function loadGatewayConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const problems: string[] = [];
  const paths = veriscanPaths(env);
  const institution = env.VERISCAN_GATEWAY_INSTITUTION ?? '';
  const org = PEER_ORGS.find((o) => o.key === institution);
  if (org === undefined || org.memberRole === 'lab')
    problems.push(
      `VERISCAN_GATEWAY_INSTITUTION must be a hospital or regulator org (${PEER_ORGS.filter(
        (o) => o.memberRole !== 'lab',
      )
        .map((o) => o.key)
        .join(', ')}), got ${JSON.stringify(institution)}`,
    );
  const profileFile = env.VERISCAN_PROFILE ?? paths.profileFile;
  let profile: NetworkProfile | undefined;
  try {
    profile = readNetworkProfile(profileFile);
  } catch (error) {
    problems.push(
      `connection profile ${profileFile}: ${error instanceof Error ? error.message : String(error)} (is the network up?)`,
    );
  }
  const identity = profile?.identities[institution];
  if (profile !== undefined && org !== undefined && identity === undefined)
    problems.push(`identity ${institution} is not in ${profileFile}`);
  const labs = urlMap(env.VERISCAN_GATEWAY_LABS, 'VERISCAN_GATEWAY_LABS', problems);
  const hospitals = urlMap(env.VERISCAN_GATEWAY_HOSPITALS, 'VERISCAN_GATEWAY_HOSPITALS', problems);
  const port = integer(
    env.VERISCAN_GATEWAY_HTTP_PORT,
    'VERISCAN_GATEWAY_HTTP_PORT',
    0,
    65535,
    org === undefined ? 0 : gatewayPort(org),
    problems,
  );
  const exchangePort = integer(
    env.VERISCAN_GATEWAY_EXCHANGE_PORT,
    'VERISCAN_GATEWAY_EXCHANGE_PORT',
    0,
    65535,
    org === undefined ? 0 : gatewayExchangePort(org),
    problems,
  );
  const certFile = env.VERISCAN_GATEWAY_TLS_CERT;
  const keyFile = env.VERISCAN_GATEWAY_TLS_KEY;
  if ((certFile === undefined) !== (keyFile === undefined))
    problems.push('VERISCAN_GATEWAY_TLS_CERT and VERISCAN_GATEWAY_TLS_KEY go together');
  const maxUploadBytes = integer(
    env.VERISCAN_GATEWAY_MAX_UPLOAD_BYTES,
    'VERISCAN_GATEWAY_MAX_UPLOAD_BYTES',
    1024,
    1 << 30,
    64 << 20,
    problems,
  );
  const maxPixels = integer(
    env.VERISCAN_GATEWAY_MAX_PIXELS,
    'VERISCAN_GATEWAY_MAX_PIXELS',
    1,
    1 << 28,
    1 << 24,
    problems,
  );
  const logLevel = env.VERISCAN_GATEWAY_LOG_LEVEL ?? 'info';
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(logLevel))
    problems.push('VERISCAN_GATEWAY_LOG_LEVEL must be one of fatal|error|warn|info|debug|trace|silent');
  if (problems.length > 0 || org === undefined || profile === undefined || identity === undefined)
    throw new GatewayError(
      GatewayErrorCode.INVALID_CONFIG,
      `invalid gateway configuration:\n  - ${problems.join('\n  - ')}`,
    );

  // A hospital serves scans to every lab and regulator org; a regulator serves nothing signed.
  const layout = cryptoLayout(paths.cryptoDir);
  const trustedMsps: TrustedMsp[] =
    org.memberRole === 'hospital'
      ? PEER_ORGS.filter((o) => o.memberRole === 'lab' || o.memberRole === 'regulator').flatMap((o) => {
          if (!isMemberId(o.key)) return [];
          try {
            return [
              {
                mspId: o.mspId,
                memberId: o.key,
                role: o.memberRole,
                mspDir: orgByMspId(layout, o.mspId).mspDir,
              },
            ];
          } catch {
            return [];
          }
        })
      : [];
  return {
    institution,
    role: org.memberRole === 'hospital' ? 'hospital' : 'regulator',
    profile,
    identityName: institution,
    identity,
    peerName: identity.peer,
    channel: profile.channel,
    chaincode: profile.chaincodes[CHAINCODE_NAME]?.name ?? CHAINCODE_NAME,
    http: { host: env.VERISCAN_GATEWAY_HTTP_HOST ?? '127.0.0.1', port },
    exchange:
      org.memberRole === 'hospital'
        ? {
            host: env.VERISCAN_GATEWAY_EXCHANGE_HOST ?? '127.0.0.1',
            port: exchangePort,
            certFile,
            keyFile,
            tlsCa: orgByMspId(layout, org.mspId),
          }
        : undefined,
    tlsRoots: consortiumTlsRoots(layout),
    stateDir: resolve(env.VERISCAN_GATEWAY_STATE_DIR ?? join(paths.stateDir, 'gateways', institution)),
    labs,
    hospitals,
    trustedMsps,
    modelDir: resolve(env.VERISCAN_GATEWAY_MODEL_DIR ?? join(paths.repoRoot, 'inference-lab', 'models')),
    maxUploadBytes,
    maxPixels,
    logLevel,
  };
}
