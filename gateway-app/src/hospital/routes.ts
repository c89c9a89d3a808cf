/**
 * The hospital's API (`/api/v1/scans…`, bearer-token users): upload, list, status with receipt and
 * proof, result and mask. A request of another hospital does not exist here (each gateway holds only
 * its own), so asking for it is a 404 like any unknown id.
 */
import { Router, type Request, type Response } from 'express';
import multer from 'multer';
import { LedgerError, LedgerErrorCode, type RequestRecord, type VeriscanLedger } from '@veriscan/ledger-api';
import { z } from 'zod';
import { GatewayError, GatewayErrorCode } from '../errors';
import { userOf } from '../http/api-tokens';
import { problem, sendProblem } from '../http/problem';
import type { BlobStore } from '../store/blob-store';
import { ScanState, type ScanStore } from '../store/scan-store';
import { IdempotencyKey, UploadFields, type Intake, REQUEST_ID_PATTERN } from './intake';
import { detailOf, resultOf, summaryOf } from './views';

export interface HospitalRoutesDeps {
  readonly intake: Intake;
  readonly store: ScanStore;
  readonly blobs: BlobStore;
  readonly ledger: VeriscanLedger;
  readonly maxUploadBytes: number;
  /** Called after an upload is stored (wakes the submitter). */
  readonly onAccepted: () => void;
}

const ListQuery = z
  .object({
    status: z.enum(ScanState).optional(),
    model: z.string().max(200).optional(),
    limit: z.coerce.number().int().min(1).max(100).default(20),
    after: z.string().regex(REQUEST_ID_PATTERN).optional(),
  })
  .strict();

function badRequest(error: z.ZodError): GatewayError {
  const issue = error.issues[0];
  const where = issue === undefined ? '' : `${issue.path.join('.') || 'body'}: `;
  return new GatewayError(GatewayErrorCode.BAD_REQUEST, `${where}${issue?.message ?? 'invalid'}`);
}

function baseUrl(req: Request): string {
  return `${req.protocol}://${req.get('host') ?? 'localhost'}`;
}

async function ledgerRecord(ledger: VeriscanLedger, requestId: string): Promise<RequestRecord | undefined> {
  try {
    return await ledger.getRequest(requestId);
  } catch (error) {
    if (error instanceof LedgerError && (error.code === LedgerErrorCode.NOT_FOUND || error.transient))
      return undefined;
    throw error;
  }
}

export function hospitalRoutes(deps: HospitalRoutesDeps): Router {
  const router = Router();
  const upload = multer({
    storage: multer.memoryStorage(),
    limits: {
      fileSize: deps.maxUploadBytes,
      files: 1,
      fields: 8,
      fieldSize: 1024,
      parts: 9,
      headerPairs: 50,
    },
  });

  router.post('/scans', upload.single('file'), async (req: Request, res: Response) => {
    const file = req.file;
    if (file === undefined)
      throw new GatewayError(
        GatewayErrorCode.BAD_REQUEST,
        'multipart field `file` with the scan is required',
      );
    if (file.size === 0) throw new GatewayError(GatewayErrorCode.UNPROCESSABLE, 'the uploaded file is empty');
    const fields = UploadFields.safeParse(req.body);
    if (!fields.success) throw badRequest(fields.error);
    const keyHeader = req.get('Idempotency-Key');
    const key = keyHeader === undefined ? undefined : IdempotencyKey.safeParse(keyHeader);
    if (key !== undefined && !key.success) throw badRequest(key.error);
    const accepted = await deps.intake.accept({
      bytes: new Uint8Array(file.buffer.buffer, file.buffer.byteOffset, file.buffer.byteLength),
      declaredType: file.mimetype,
      fields: fields.data,
      idempotencyKey: key?.data,
      userName: userOf(req).name,
    });
    deps.onAccepted();
    const self = `/api/v1/scans/${accepted.row.requestId}`;
    res
      .status(202)
      .location(self)
      .json({
        ...summaryOf(accepted.row),
        replayed: accepted.replayed,
        links: { self, result: `${self}/result` },
      });
  });

  router.get('/scans', (req: Request, res: Response) => {
    const query = ListQuery.safeParse(req.query);
    if (!query.success) throw badRequest(query.error);
    const { status, model, limit, after } = query.data;
    const rows = deps.store.list({
      ...(status === undefined ? {} : { state: status }),
      ...(model === undefined ? {} : { modelRef: model }),
      limit: limit + 1,
      ...(after === undefined ? {} : { after }),
    });
    const page = rows.slice(0, limit);
    res.json({
      scans: page.map((row) => summaryOf(row)),
      next: rows.length > limit ? (page[page.length - 1]?.requestId ?? null) : null,
    });
  });

  router.get('/scans/:id', async (req: Request, res: Response) => {
    const row = deps.store.get(String(req.params.id));
    if (row === undefined) {
      sendProblem(res, problem(404, 'no such request at this hospital', 'NOT_FOUND'));
      return;
    }
    const onLedger = row.state === 'accepted' ? undefined : await ledgerRecord(deps.ledger, row.requestId);
    res.json(
      detailOf(
        row,
        onLedger,
        deps.store.patientRef(row.requestId),
        deps.store.accessLog(row.requestId),
        baseUrl(req),
      ),
    );
  });

  router.get('/scans/:id/result', (req: Request, res: Response) => {
    const row = deps.store.get(String(req.params.id));
    if (row === undefined) {
      sendProblem(res, problem(404, 'no such request at this hospital', 'NOT_FOUND'));
      return;
    }
    const result = resultOf(row, baseUrl(req));
    if (result === undefined) {
      sendProblem(res, problem(409, `the result is not ready (status ${summaryOf(row).status})`, 'CONFLICT'));
      return;
    }
    res.json(result);
  });

  const sendBlob = (kind: 'mask' | 'scan') => async (req: Request, res: Response) => {
    const row = deps.store.get(String(req.params.id));
    const sha = kind === 'mask' ? row?.maskSha256 : row?.scanSha256;
    if (row === undefined || sha === null || sha === undefined) {
      sendProblem(res, problem(404, `no ${kind} for this request`, 'NOT_FOUND'));
      return;
    }
    const bytes = await deps.blobs.get(sha);
    if (bytes === undefined) throw new GatewayError(GatewayErrorCode.STORE_CORRUPT, `${kind} blob missing`);
    res.setHeader('Cache-Control', 'private, no-store');
    res.setHeader('ETag', `"${sha}"`);
    res.type(kind === 'mask' ? 'image/png' : row.mediaType).send(Buffer.from(bytes));
  };
  router.get('/scans/:id/result/mask.png', sendBlob('mask'));
  // The de-identified scan, for the page's overlay (this hospital's own users only).
  router.get('/scans/:id/scan', sendBlob('scan'));

  return router;
}
