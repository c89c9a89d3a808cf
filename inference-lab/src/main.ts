#!/usr/bin/env node
/**
 * The lab service process: reads the configuration, opens the outbox, connects to the peer, starts the
 * worker and the HTTP API, and on SIGINT/SIGTERM stops gracefully (in-flight scans finish and are
 * recorded, pending submissions are pushed for up to VERISCAN_LAB_DRAIN_TIMEOUT_MS; the rest stays in
 * the outbox for the next start).
 */
import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { join } from 'node:path';
import { CONFIG_USAGE, ConfigError, loadLabConfig, type LabConfig } from './config';
import { openLedgerConnection } from './fabric/connection';
import { ChaincodeEventListener } from './fabric/events';
import type { LedgerRequest } from './fabric/views';
import { RequestVerifier } from './fetch/request-verifier';
import { ScanFetcher } from './fetch/scan-fetcher';
import { RequestSigner } from './fetch/signed-request';
import { createApp } from './http/app';
import { openLabDatabase } from './outbox/database';
import { LabStore } from './outbox/lab-store';
import { LabService } from './service/lab-service';
import { createLogger, type Logger } from './telemetry/logger';
import { createLabMetrics } from './telemetry/metrics';
import { OutputStore } from './outbox/output-store';
import { RuntimeAdapter } from './service/runtime-adapter';
import { DEFAULT_RETRY_POLICY, VeriscanLedger } from '@veriscan/ledger-api';
import { consortiumFetch, issueServiceTls } from '@veriscan/fabric-kit';
import { LabError, LabErrorCode } from './errors';

const USAGE = `usage: veriscan-lab [--help]

The Veriscan lab worker: listens for requests assigned to this lab, fetches each scan from the
hospital with a signed request, checks it against the ledger's commitments, runs the approved model,
and submits the result (single) or anchors receipts in Merkle batches (batch). Results are kept in a
durable outbox until the ledger holds them.

${CONFIG_USAGE}

HTTP: GET /healthz, /metrics, /v1/results/:requestId, /v1/outputs/:sha256, /v1/log, /v1/log/consistency
(see docs/inference-lab.md and docs/lab-fetch.md).`;

/** A running lab: what `stop` needs. */
export interface RunningLab {
  readonly service: LabService;
  readonly server: Server;
  stop(): Promise<void>;
}

/** Resolves a hospital's blob URL: the configured one, else the ledger's member record (cached). */
function hospitalResolver(
  config: LabConfig,
  ledger: VeriscanLedger,
): (hospitalId: string) => Promise<string> {
  const cache = new Map(config.hospitals);
  return async (hospitalId) => {
    const known = cache.get(hospitalId);
    if (known !== undefined) return known;
    const member = await ledger.getMember(hospitalId);
    if (member.role !== 'hospital' || member.endpoint === '')
      throw new LabError(
        LabErrorCode.NO_HOSPITAL_ENDPOINT,
        `hospital ${hospitalId} has no blob endpoint (configure VERISCAN_LAB_HOSPITALS)`,
      );
    cache.set(hospitalId, member.endpoint);
    return member.endpoint;
  };
}

/** The lab configuration from the environment (re-exported for tools that start a lab in-process). */
export { loadLabConfig, type LabConfig } from './config';

/** Starts everything for `config`. @throws when the ledger, the state folder or the port is unusable */
export async function startLab(config: LabConfig, log: Logger): Promise<RunningLab> {
  const db = openLabDatabase(join(config.stateDir, 'lab.sqlite'));
  const store = new LabStore(db);
  const metrics = createLabMetrics({
    depth: () => {
      const c = store.counts();
      return {
        queued: c.jobs.queued,
        running: c.jobs.running,
        pending: c.results.pending,
        batched: c.results.batched,
      };
    },
  });
  const connection = openLedgerConnection({
    profile: config.profile,
    identity: config.labId,
    peer: config.peerName,
    channel: config.channel,
    chaincode: config.chaincode,
  });
  // The outbox makes every write safe to repeat, so the lab retries all transient failures
  // (conflicts, unavailability, timeouts), not only MVCC conflicts.
  const ledger = new VeriscanLedger({
    contract: connection.contract,
    policy: DEFAULT_RETRY_POLICY,
    shouldRetry: (error) => error.transient,
    onRetry: (error, attempt, delayMs) => {
      metrics.ledgerRetries.inc({ code: error.code });
      log.warn(
        { transaction: error.transaction, code: error.code, txId: error.transactionId, attempt, delayMs },
        'ledger call retried',
      );
    },
  });
  const runtime = new RuntimeAdapter({ modelDir: config.modelDir, intraOpThreads: config.intraOpThreads });
  const signer = new RequestSigner({
    mspId: config.identity.mspId,
    certPem: readFileSync(config.identity.certFile, 'utf8'),
    privateKey: createPrivateKey(readFileSync(config.identity.keyFile)),
  });
  const fetcher = new ScanFetcher({
    signer,
    fetch: consortiumFetch(config.tlsRoots),
    decode: (bytes, mediaType) => runtime.decodeScan(bytes, mediaType),
    timeoutMs: config.fetchTimeoutMs,
    maxBytes: config.maxScanBytes,
  });
  const hospitalUrl = hospitalResolver(config, ledger);
  const outputs = new OutputStore(join(config.stateDir, 'outputs'));
  const service = new LabService({
    labId: config.labId,
    batch: config.batch,
    concurrency: config.concurrency,
    ledger,
    subscribe: (handle) =>
      new ChaincodeEventListener({
        network: connection.network,
        chaincode: config.chaincode,
        checkpointFile: join(config.stateDir, 'events.checkpoint'),
        handle,
        onReset: () => {
          log.warn('event checkpoint was recorded on another chain (network reset); listening from now on');
        },
        onError: (error, retryInMs) => {
          metrics.failures.inc({ reason: 'event-stream' });
          log.warn(
            { err: error instanceof Error ? error.message : String(error), retryInMs },
            'event stream interrupted; resuming from checkpoint',
          );
        },
      }),
    fetchScan: async (request: LedgerRequest) =>
      fetcher.fetch(request, await hospitalUrl(request.hospitalId)),
    runtime,
    store,
    outputs,
    metrics,
    log,
  });
  const verifier = await RequestVerifier.load({ msps: config.clientMsps });
  const app = createApp({
    labId: config.labId,
    store,
    outputs,
    verifier,
    metrics,
    log,
    health: () => service.health(),
    labLog: () => service.labLog,
  });
  await service.start();
  const tls = config.tls;
  const credentials =
    tls.mode === 'files'
      ? { cert: readFileSync(tls.certFile, 'utf8'), key: readFileSync(tls.keyFile, 'utf8') }
      : tls.mode === 'issue'
        ? await issueServiceTls(tls.tlsCa, [`api.${tls.tlsCa.domain}`, 'localhost', config.http.host]).then(
            (t) => ({ cert: t.certPem, key: t.keyPem }),
          )
        : undefined;
  const server: Server =
    credentials === undefined ? createHttpServer(app) : createHttpsServer(credentials, app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.http.port, config.http.host, () => {
      resolve();
    });
  });
  const address = server.address();
  log.info(
    {
      http: typeof address === 'object' && address !== null ? `${address.address}:${address.port}` : address,
      tls: tls.mode,
    },
    'lab listening',
  );
  let stopping: Promise<void> | undefined;
  return {
    service,
    server,
    stop: () => {
      stopping ??= (async () => {
        await service.stop(config.drainTimeoutMs);
        await new Promise<void>((resolve) => {
          server.close(() => {
            resolve();
          });
          server.closeAllConnections();
        });
        connection.close();
        await runtime.close();
        db.close();
      })();
      return stopping;
    },
  };
}

async function main(args: readonly string[]): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (args.length > 0) {
    process.stderr.write(`unknown argument ${args[0] ?? ''}\n\n${USAGE}\n`);
    return 2;
  }
  let config: LabConfig;
  try {
    config = loadLabConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n\n${CONFIG_USAGE}\n`);
    return 2;
  }
  const log = createLogger({ level: config.logLevel, labId: config.labId });
  const lab = await startLab(config, log);
  await new Promise<void>((resolve) => {
    const onSignal = (signal: NodeJS.Signals): void => {
      log.info({ signal }, 'stopping: draining in-flight work');
      resolve();
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  });
  await lab.stop();
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(
        `lab failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
      process.exitCode = 1;
    },
  );
}
