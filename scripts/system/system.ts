/**
 * The whole demo system in one process, on the running network: the demo models approved and served
 * (demo-models.ts), every lab's inference service (HTTPS API), every hospital's gateway (users' API and
 * page, HTTPS scan exchange) and the regulator's gateway, a demo API token per gateway written with the
 * URLs to `$VERISCAN_HOME/local.json` (mode 0600). `npm start` runs it in the foreground with one
 * prefixed log line per event (or detached with `--detach`); `stop()` stops the services cleanly.
 */
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type pino from 'pino';
import {
  gatewayExchangePort,
  gatewayPort,
  labApiPort,
  orgsOfRole,
  PEER_ORGS,
  readNetworkProfile,
  veriscanPaths,
  type NetworkProfile,
} from '@veriscan/fabric-kit';
import { loadGatewayConfig, startGateway, type RunningGateway } from '@veriscan/gateway-app';
import { loadLabConfig, startLab, type RunningLab } from '@veriscan/inference-lab';
import { ensureDemoModels } from './demo-models';

/** Ports of one system; `free` lets the OS choose (tests), `default` uses the consortium's plan. */
export type PortPlan = 'default' | 'free';

export interface SystemOptions {
  readonly env?: NodeJS.ProcessEnv;
  readonly ports?: PortPlan;
  /** A logger per component (`lab-1`, `hospital-a`, …). */
  readonly logger: (component: string) => pino.Logger;
  /** Progress lines. */
  readonly progress: (line: string) => void;
  /** Where the labs and gateways keep their state (default: each its own default under $VERISCAN_HOME). */
  readonly stateDir?: string;
  /** Where to write local.json (default `$VERISCAN_HOME/local.json`). */
  readonly localFile?: string;
  /** Lab API ports chosen up front when `ports` is `free` (the gateways need them first). */
  readonly labPorts?: Readonly<Record<string, number>>;
}

/** What local.json holds. */
export interface LocalFile {
  readonly hospitals: Readonly<Record<string, { readonly url: string; readonly token: string }>>;
  readonly regulator: { readonly url: string; readonly token: string };
  readonly labs: Readonly<Record<string, { readonly url: string }>>;
  readonly models: readonly string[];
}

export interface RunningSystem {
  readonly local: LocalFile;
  readonly localFile: string;
  stop(): Promise<void>;
}

export async function startSystem(options: SystemOptions): Promise<RunningSystem> {
  const env = options.env ?? process.env;
  const paths = veriscanPaths(env);
  const profile: NetworkProfile = readNetworkProfile(env.VERISCAN_PROFILE ?? paths.profileFile);
  const modelDir = join(paths.repoRoot, 'inference-lab', 'models');
  const free = options.ports === 'free';
  const stops: (() => Promise<void>)[] = [];
  const stop = async (): Promise<void> => {
    // Gateways first (no new uploads), then labs (they drain their in-flight work).
    for (const s of stops.reverse()) await s();
  };
  try {
    options.progress('models: proposing, approving and declaring the demo model versions');
    const models = await ensureDemoModels(profile, modelDir, (line) => {
      options.progress(`models: ${line}`);
    });

    const labs = orgsOfRole('lab');
    const labUrls = Object.fromEntries(
      labs.map((lab) => [
        lab.key,
        `https://127.0.0.1:${free ? (options.labPorts?.[lab.key] ?? 0) : labApiPort(lab)}`,
      ]),
    );
    const hospitals = orgsOfRole('hospital');
    const gateways: { key: string; role: string; running: RunningGateway; token: string }[] = [];
    for (const org of PEER_ORGS.filter((o) => o.memberRole !== 'lab')) {
      options.progress(`gateway: starting ${org.key}`);
      const config = loadGatewayConfig({
        ...env,
        VERISCAN_GATEWAY_INSTITUTION: org.key,
        VERISCAN_GATEWAY_HTTP_PORT: String(free ? 0 : gatewayPort(org)),
        VERISCAN_GATEWAY_EXCHANGE_PORT: String(free ? 0 : gatewayExchangePort(org)),
        VERISCAN_GATEWAY_LABS: Object.entries(labUrls)
          .map(([k, v]) => `${k}=${v}`)
          .join(','),
        VERISCAN_GATEWAY_MODEL_DIR: modelDir,
        ...(options.stateDir === undefined
          ? {}
          : { VERISCAN_GATEWAY_STATE_DIR: join(options.stateDir, 'gateways', org.key) }),
        // The hospitals start first (table order), so the regulator learns where their exchanges listen.
        VERISCAN_GATEWAY_HOSPITALS: gateways
          .filter((g) => g.running.exchangeUrl !== undefined)
          .map((g) => `${g.key}=${g.running.exchangeUrl ?? ''}/blobs`)
          .join(','),
      });
      const running = await startGateway(config, options.logger(org.key));
      stops.push(() => running.stop());
      gateways.push({ key: org.key, role: config.role, running, token: running.tokens.issue('demo') });
    }
    const blobUrls = gateways
      .filter((g) => g.running.exchangeUrl !== undefined)
      .map((g) => `${g.key}=${g.running.exchangeUrl ?? ''}/blobs`)
      .join(',');

    for (const lab of labs) {
      options.progress(`lab: starting ${lab.key} (loads models on first use)`);
      const url = new URL(labUrls[lab.key] ?? '');
      const running: RunningLab = await startLab(
        loadLabConfig({
          ...env,
          VERISCAN_LAB_IDENTITY: lab.key,
          VERISCAN_LAB_MODEL_DIR: modelDir,
          VERISCAN_LAB_HTTP_PORT: url.port,
          VERISCAN_LAB_TLS: 'issue',
          ...(options.stateDir === undefined
            ? {}
            : { VERISCAN_LAB_STATE_DIR: join(options.stateDir, 'labs', lab.key) }),
          // Where the exchanges listen now (with free ports, not the ledger's default endpoints).
          VERISCAN_LAB_HOSPITALS: blobUrls,
        }),
        options.logger(lab.key),
      );
      stops.push(() => running.stop());
    }

    const regulator = gateways.find((g) => g.role === 'regulator');
    if (regulator === undefined) throw new Error('the consortium has no regulator');
    const local: LocalFile = {
      hospitals: Object.fromEntries(
        gateways
          .filter((g) => hospitals.some((h) => h.key === g.key))
          .map((g) => [g.key, { url: g.running.url, token: g.token }]),
      ),
      regulator: { url: regulator.running.url, token: regulator.token },
      labs: Object.fromEntries(Object.entries(labUrls).map(([k, url]) => [k, { url }])),
      models,
    };
    const localFile = options.localFile ?? join(paths.stateDir, 'local.json');
    mkdirSync(dirname(localFile), { recursive: true });
    writeFileSync(localFile, `${JSON.stringify(local, null, 2)}\n`, { mode: 0o600 });
    chmodSync(localFile, 0o600);
    return { local, localFile, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
