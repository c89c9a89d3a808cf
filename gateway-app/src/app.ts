/**
 * One institution's gateway wired together: the database, blob store, ledger connection (the org's own
 * identity and peer), and the HTTP app for its role. `startGateway` returns a handle whose `stop()`
 * drains background work and closes everything.
 */
import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { join } from 'node:path';
import express, { type NextFunction, type Request, type Response } from 'express';
import { connectGateway, consortiumFetch, issueServiceTls } from '@veriscan/fabric-kit';
import { DEFAULT_SCAN_LIMITS } from '@veriscan/imaging';
import { RequestSigner, RequestVerifier } from '@veriscan/inference-lab/fetch';
import { VeriscanLedger } from '@veriscan/ledger-api';
import type { GatewayConfig } from './config';
import { GatewayError, GatewayErrorCode } from './errors';
import { SignedClient } from './exchange/signed-client';
import { Intake } from './hospital/intake';
import { LedgerWakeups } from './hospital/ledger-wakeups';
import { ResultCollector } from './hospital/result-collector';
import { hospitalRoutes } from './hospital/routes';
import { scanExchange } from './hospital/scan-exchange';
import { Submitter } from './hospital/submitter';
import { apiDocs } from './http/api-docs';
import { ApiTokens, requireToken } from './http/api-tokens';
import { openApiDocument } from './http/openapi';
import { errorHandler, problem, sendProblem } from './http/problem';
import { webPages } from './http/web-pages';
import { BlockReader } from './regulator/blocks';
import { regulatorRoutes } from './regulator/routes';
import { AuditVerifier } from './regulator/verify';
import { DiskBlobStore } from './store/blob-store';
import { openGatewayDatabase } from './store/database';
import { ScanStore } from './store/scan-store';
import { localSecret } from './store/secrets';
import { createMetrics, type Logger } from './telemetry';

export const GATEWAY_VERSION = '0.1.0';

export interface RunningGateway {
  readonly server: Server;
  readonly tokens: ApiTokens;
  /** `http://host:port` as listening. */
  readonly url: string;
  /** A hospital's scan exchange, `https://host:port` as listening. */
  readonly exchangeUrl: string | undefined;
  stop(): Promise<void>;
}

/** Resolves a member's URL: configured, else its ledger member record's endpoint (cached). */
function memberUrl(configured: ReadonlyMap<string, string>, ledger: VeriscanLedger, what: string) {
  const cache = new Map(configured);
  return async (memberId: string): Promise<string> => {
    const known = cache.get(memberId);
    if (known !== undefined) return known;
    const member = await ledger.getMember(memberId);
    if (member.endpoint === '')
      throw new GatewayError(
        GatewayErrorCode.UPSTREAM_UNAVAILABLE,
        `${what} ${memberId} has no endpoint on the ledger`,
      );
    cache.set(memberId, member.endpoint);
    return member.endpoint;
  };
}

export async function startGateway(config: GatewayConfig, log: Logger): Promise<RunningGateway> {
  const db = openGatewayDatabase(join(config.stateDir, 'gateway.sqlite'));
  const store = new ScanStore(db);
  const blobs = new DiskBlobStore(join(config.stateDir, 'blobs'));
  const tokens = new ApiTokens(db);
  const connection = connectGateway(config.profile, config.identityName, config.peerName);
  const network = connection.gateway.getNetwork(config.channel);
  const ledger = new VeriscanLedger({ contract: network.getContract(config.chaincode) });
  const signer = new RequestSigner({
    mspId: config.identity.mspId,
    certPem: readFileSync(config.identity.certFile, 'utf8'),
    privateKey: createPrivateKey(readFileSync(config.identity.keyFile)),
  });
  const client = new SignedClient(signer, consortiumFetch(config.tlsRoots));
  const metrics = createMetrics(config.institution, () => store.counts());
  const stops: (() => Promise<void> | void)[] = [];
  let exchangeApp: express.Express | undefined;

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use((req: Request, res: Response, next: NextFunction) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const matched: unknown = (req.route as { path?: unknown } | undefined)?.path;
      const route = typeof matched === 'string' ? `${req.baseUrl}${matched}` : 'unmatched';
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      metrics.http.observe({ method: req.method, route, status: String(res.statusCode) }, seconds);
      // Route pattern and status only: paths hold request ids, never patient data; headers are not logged.
      log.info({ method: req.method, route, status: res.statusCode, ms: Math.round(seconds * 1000) }, 'http');
    });
    next();
  });
  app.use((_req, res, next) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    next();
  });

  let ready = true;
  app.get('/healthz', (_req, res) => {
    res.status(ready ? 200 : 503).json({
      status: ready ? 'ok' : 'unavailable',
      institution: config.institution,
      role: config.role,
      ...(config.role === 'hospital' ? { scans: store.counts() } : {}),
    });
  });
  app.get('/metrics', async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  const document = openApiDocument(config.role, config.institution, GATEWAY_VERSION);
  app.get('/openapi.json', (_req, res) => {
    res.json(document);
  });
  app.use(apiDocs(`Veriscan ${config.role} gateway (${config.institution})`));

  const auth = requireToken(tokens, () => {
    metrics.refusals.inc({ reason: 'bad-token' });
  });

  if (config.role === 'hospital') {
    const verifier = await RequestVerifier.load({ msps: config.trustedMsps });
    const submitter = new Submitter({ store, ledger, hospitalId: config.institution, log });
    const collector = new ResultCollector({
      store,
      blobs,
      ledger,
      client,
      labUrl: memberUrl(config.labs, ledger, 'lab'),
      log,
      onCompleted: (_row, ms) => {
        metrics.completion.observe(ms / 1000);
      },
    });
    const intake = new Intake({
      store,
      blobs,
      limits: { ...DEFAULT_SCAN_LIMITS, maxBytes: config.maxUploadBytes, maxPixels: config.maxPixels },
      fingerprintKey: localSecret(db, 'upload-fingerprint'),
      checkModel: async (modelRef) => {
        const model = await ledger.resolveModel(modelRef);
        if (model.status !== 'approved')
          throw new GatewayError(
            GatewayErrorCode.UNPROCESSABLE,
            `model ${modelRef} is ${model.status}, not approved`,
          );
      },
    });
    // Other institutions reach the scan exchange on its own HTTPS listener, never on the users' port.
    exchangeApp = express();
    exchangeApp.disable('x-powered-by');
    exchangeApp.set('etag', false);
    exchangeApp.get('/healthz', (_req, res) => {
      res
        .status(ready ? 200 : 503)
        .json({ status: ready ? 'ok' : 'unavailable', institution: config.institution });
    });
    exchangeApp.use(
      scanExchange({
        store,
        blobs,
        ledger,
        verifier,
        onRefused: (reason) => {
          metrics.refusals.inc({ reason });
        },
      }),
    );
    exchangeApp.use((_req: Request, res: Response) => {
      sendProblem(res, problem(404, 'no such resource', 'NOT_FOUND'));
    });
    exchangeApp.use(
      errorHandler((error) => {
        log.error(
          { err: error instanceof Error ? `${error.name}: ${error.message}` : String(error) },
          'exchange request failed',
        );
      }),
    );
    app.use(
      '/api/v1',
      auth,
      hospitalRoutes({
        intake,
        store,
        blobs,
        ledger,
        maxUploadBytes: config.maxUploadBytes,
        onAccepted: () => {
          metrics.uploads.inc({ outcome: 'accepted' });
          submitter.kick();
        },
      }),
    );
    const wakeups = new LedgerWakeups(
      network,
      config.chaincode,
      () => {
        collector.kick();
      },
      log,
    );
    submitter.kick();
    collector.start();
    wakeups.start();
    stops.push(
      () => {
        wakeups.stop();
      },
      () => collector.stop(),
      () => submitter.idle(),
    );
  } else {
    const blocks = new BlockReader(network, config.channel);
    const verifier = new AuditVerifier({
      ledger,
      blocks,
      client,
      hospitalUrl: memberUrl(config.hospitals, ledger, 'hospital'),
      labUrl: memberUrl(config.labs, ledger, 'lab'),
      modelDir: config.modelDir,
    });
    // Read-only: any method that could change something is refused before authentication matters.
    app.use('/api/v1', (req: Request, res: Response, next: NextFunction) => {
      const isVerify = req.method === 'POST' && /^\/audit\/requests\/[^/]+\/verify$/.test(req.path);
      if (req.method === 'GET' || req.method === 'HEAD' || isVerify) {
        next();
        return;
      }
      res.setHeader('Allow', 'GET, HEAD');
      sendProblem(res, problem(405, 'the regulator gateway is read-only', 'READ_ONLY'));
    });
    app.use('/api/v1', auth, regulatorRoutes({ ledger, blocks, verifier }));
    stops.push(() => verifier.close());
  }

  app.use(webPages(config.role, config.institution));
  app.use((_req: Request, res: Response) => {
    sendProblem(res, problem(404, 'no such resource', 'NOT_FOUND'));
  });
  app.use(
    errorHandler((error) => {
      log.error(
        { err: error instanceof Error ? `${error.name}: ${error.message}` : String(error) },
        'request failed',
      );
    }),
  );

  const servers: Server[] = [];
  const closeAll = async (): Promise<void> => {
    ready = false;
    await Promise.all(
      servers.map(
        (s) =>
          new Promise<void>((resolve) => {
            s.close(() => {
              resolve();
            });
            s.closeIdleConnections();
          }),
      ),
    );
    for (const stop of stops) await stop();
    connection.close();
    db.close();
  };
  const listen = async (server: Server, port: number, host: string): Promise<number> => {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        resolve();
      });
    });
    servers.push(server);
    const bound = server.address();
    return typeof bound === 'object' && bound !== null ? bound.port : port;
  };
  try {
    const url = `http://${config.http.host}:${await listen(createHttpServer(app), config.http.port, config.http.host)}`;
    log.info({ url, role: config.role }, 'gateway listening');
    let exchangeUrl: string | undefined;
    const exchange = config.exchange;
    if (exchangeApp !== undefined && exchange !== undefined) {
      const tls =
        exchange.certFile !== undefined && exchange.keyFile !== undefined
          ? {
              certPem: readFileSync(exchange.certFile, 'utf8'),
              keyPem: readFileSync(exchange.keyFile, 'utf8'),
            }
          : await issueServiceTls(exchange.tlsCa, [
              `gateway.${exchange.tlsCa.domain}`,
              'localhost',
              exchange.host,
            ]);
      const secure = createHttpsServer({ cert: tls.certPem, key: tls.keyPem }, exchangeApp);
      exchangeUrl = `https://${exchange.host}:${await listen(secure, exchange.port, exchange.host)}`;
      log.info({ url: exchangeUrl }, 'scan exchange listening');
    }
    const server = servers[0];
    if (server === undefined) throw new GatewayError(GatewayErrorCode.INVALID_STATE, 'no listener');
    return { server, tokens, url, exchangeUrl, stop: closeAll };
  } catch (error) {
    // A port in use or an unreadable certificate: release what was opened before failing.
    await closeAll();
    throw error;
  }
}
