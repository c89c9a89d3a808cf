/**
 * The lab's HTTP API as an Express app that never listens (`main.ts` does), so tests drive the real
 * app. Routes stay thin: authenticate, authorise against the stored result, answer.
 *
 *   GET /healthz                      liveness and readiness (no auth)
 *   GET /metrics                      Prometheus text (no auth; bind to a private interface)
 *   GET /v1/results/:requestId        receipt, trace, batch proof, output digests — requesting hospital only
 *   GET /v1/outputs/:sha256           one output blob (content-addressed) — requesting hospital only
 *   GET /v1/log                       the lab's batch log checkpoint — any trusted member
 *   GET /v1/log/consistency?from&to   consistency proof between two checkpoints — any trusted member
 */
import { randomUUID } from 'node:crypto';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import type { LabLog } from '../submission/lab-log';
import type { LabStore, StoredResult } from '../outbox/lab-store';
import type { Logger } from '../telemetry/logger';
import type { LabMetrics } from '../telemetry/metrics';
import type { OutputStore } from '../outbox/output-store';
import { authenticate, callerOf, type Verifier } from './authenticate';
import { sendProblem } from './problem';

/** What the app needs. */
export interface AppDeps {
  readonly labId: string;
  readonly store: LabStore;
  readonly outputs: OutputStore;
  readonly verifier: Verifier;
  readonly metrics: LabMetrics;
  readonly log: Logger;
  /** Readiness: false while starting or stopping, or when the ledger connection is down. */
  readonly health: () => { readonly ready: boolean; readonly details: Readonly<Record<string, unknown>> };
  /** The batch log, in batch mode. */
  readonly labLog: () => LabLog | undefined;
}

const MEDIA = { mask: 'image/png', scores: 'application/json' } as const;

function resultView(result: StoredResult, anchorOf: (sequence: number) => unknown): Record<string, unknown> {
  const batch =
    result.batchSequence !== null && result.proof !== null
      ? { sequence: result.batchSequence, proof: result.proof, anchor: anchorOf(result.batchSequence) }
      : null;
  const output = (sha256: string | null, kind: keyof typeof MEDIA): Record<string, string> | null =>
    sha256 === null ? null : { sha256, mediaType: MEDIA[kind], href: `/v1/outputs/${sha256}` };
  return {
    requestId: result.requestId,
    status: result.state,
    receipt: result.receipt,
    receiptHash: result.receiptHash,
    trace: result.trace,
    traceHash: result.traceHash,
    txId: result.txId,
    batch,
    outputs: { mask: output(result.maskSha256, 'mask'), scores: output(result.scoresSha256, 'scores') },
  };
}

/** Builds the app. */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);

  app.use((req: Request, res: Response, next: NextFunction) => {
    const httpId = randomUUID();
    const started = performance.now();
    res.setHeader('X-Request-Id', httpId);
    res.on('finish', () => {
      // Path only: it holds ids and digests, never patient data; headers are not logged.
      deps.log.info(
        {
          httpId,
          method: req.method,
          path: req.path,
          status: res.statusCode,
          ms: Math.round(performance.now() - started),
        },
        'http',
      );
    });
    next();
  });

  app.get('/healthz', (_req, res) => {
    const { ready, details } = deps.health();
    res.status(ready ? 200 : 503).json({ status: ready ? 'ok' : 'unavailable', lab: deps.labId, ...details });
  });

  app.get('/metrics', async (_req, res, next) => {
    try {
      res.type(deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics());
    } catch (error) {
      next(error);
    }
  });

  const auth = authenticate(deps.verifier, (reason) => {
    deps.metrics.failures.inc({ reason: `http-auth-${reason}` });
  });

  // A hospital sees only its own requests; anything else is 404 (no existence oracle), as on the ledger.
  // A regulator may read any result (receipt and trace, never the output files) to audit it.
  app.get('/v1/results/:requestId', auth, (req, res) => {
    const caller = callerOf(req);
    const requestId = typeof req.params.requestId === 'string' ? req.params.requestId : '';
    if (caller.role !== 'hospital' && caller.role !== 'regulator') {
      sendProblem(res, 403, 'Forbidden', 'results are served to hospitals and regulators');
      return;
    }
    if (caller.requestId !== requestId) {
      sendProblem(res, 400, 'Bad Request', 'Veriscan-Request-Id must name the request in the path');
      return;
    }
    const result = deps.store.results.getResult(requestId);
    const entitled =
      result !== undefined && (caller.role === 'regulator' || result.hospitalId === caller.memberId);
    if (!entitled) {
      const job = deps.store.jobs.getJob(requestId);
      if (job?.hospitalId === caller.memberId) {
        res.status(202).json({ requestId, status: job.state });
        return;
      }
      {
        sendProblem(res, 404, 'Not Found', `no result for ${requestId}`);
        return;
      }
    }
    res.json(resultView(result, (sequence) => deps.store.batches.getBatch(sequence)?.anchor ?? null));
  });

  app.get('/v1/outputs/:sha256', auth, async (req, res, next) => {
    try {
      const caller = callerOf(req);
      const sha256 = typeof req.params.sha256 === 'string' ? req.params.sha256 : '';
      const result = caller.role === 'hospital' ? deps.store.results.getResult(caller.requestId) : undefined;
      const kind =
        result?.maskSha256 === sha256 ? 'mask' : result?.scoresSha256 === sha256 ? 'scores' : undefined;
      if (result?.hospitalId !== caller.memberId || kind === undefined) {
        sendProblem(res, 404, 'Not Found', 'no such output for the signed request id');
        return;
      }
      const bytes = await deps.outputs.get(sha256);
      if (bytes === undefined) {
        sendProblem(res, 404, 'Not Found', 'output blob missing');
        return;
      }
      res.setHeader('ETag', `"${sha256}"`);
      res.setHeader('Cache-Control', 'private, no-store');
      res.type(MEDIA[kind]).send(Buffer.from(bytes));
    } catch (error) {
      next(error);
    }
  });

  app.get('/v1/log', auth, (_req, res) => {
    const log = deps.labLog();
    if (log === undefined) {
      sendProblem(res, 404, 'Not Found', 'this lab runs in single mode');
      return;
    }
    res.json({ lab: deps.labId, checkpoint: log.checkpoint(), anchors: log.anchors });
  });

  app.get('/v1/log/consistency', auth, (req, res) => {
    const log = deps.labLog();
    if (log === undefined) {
      sendProblem(res, 404, 'Not Found', 'this lab runs in single mode');
      return;
    }
    const size = (value: unknown, fallback: number): number | undefined => {
      if (value === undefined) return fallback;
      if (typeof value !== 'string' || !/^[0-9]{1,9}$/.test(value)) return undefined;
      return Number.parseInt(value, 10);
    };
    const from = size(req.query.from, 0);
    const to = size(req.query.to, log.size);
    if (from === undefined || to === undefined || from > to || to > log.size) {
      sendProblem(res, 400, 'Bad Request', `need 0 <= from <= to <= ${log.size}`);
      return;
    }
    res.json({ from: log.checkpoint(from), to: log.checkpoint(to), proof: log.consistencyProof(from, to) });
  });

  app.use((_req: Request, res: Response) => {
    sendProblem(res, 404, 'Not Found');
  });
  // Express recognises an error handler by its four parameters, so `_next` must stay.
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    deps.log.error({ err: error instanceof Error ? error.message : String(error) }, 'http handler failed');
    deps.metrics.failures.inc({ reason: 'http-internal' });
    sendProblem(res, 500, 'Internal Server Error');
  });
  return app;
}
