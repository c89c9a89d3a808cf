/**
 * `GET /blobs/v1/scans/:requestId`: a de-identified scan and its salt for the institutions entitled to
 * it (docs/lab-fetch.md §2): the lab the ledger assigned the request to, the lab drawn to spot-check it,
 * or a regulator auditing it. The caller is authenticated by its signed request (its Fabric identity,
 * checked against its org's MSP); the entitlement is read from the ledger on this hospital's own peer.
 * Every attempt on a request this hospital holds, served or refused, goes to the append-only access log.
 */
import { Router, type Request, type Response } from 'express';
import { LedgerError, LedgerErrorCode, type VeriscanLedger } from '@veriscan/ledger-api';
import {
  SCAN_ENVELOPE_MEDIA_TYPE,
  encodeScanEnvelope,
  type IncomingRequest,
  type Verification,
  type VerifiedCaller,
} from '@veriscan/inference-lab/fetch';
import { isRequestId, type Salt } from '@veriscan/protocol';
import type { BlobStore } from '../store/blob-store';
import type { ScanRow, ScanStore } from '../store/scan-store';
import { problem, sendProblem } from '../http/problem';

export interface ScanExchangeDeps {
  readonly store: ScanStore;
  readonly blobs: BlobStore;
  readonly ledger: VeriscanLedger;
  readonly verifier: { verify(req: IncomingRequest): Verification };
  readonly onRefused: (reason: string) => void;
}

type Entitlement = { readonly purpose: string } | { readonly refused: string; readonly retry?: boolean };

async function entitlement(
  deps: ScanExchangeDeps,
  row: ScanRow,
  caller: VerifiedCaller,
): Promise<Entitlement> {
  if (caller.role === 'regulator') return { purpose: 'audit-fetch' };
  if (caller.role !== 'lab') return { refused: 'not-a-lab-or-regulator' };
  try {
    const request = await deps.ledger.getRequest(row.requestId);
    if (request.assignedLab === caller.memberId) return { purpose: 'lab-fetch' };
    const spot = await deps.ledger.getSpotCheck(row.requestId).catch((error: unknown) => {
      if (error instanceof LedgerError && error.code === LedgerErrorCode.NOT_FOUND) return undefined;
      throw error;
    });
    if (spot?.checkerLab === caller.memberId) return { purpose: 'spot-check-fetch' };
    return { refused: 'not-assigned' };
  } catch (error) {
    // The ledger may not have the request on this peer yet (just submitted): ask the lab to come back.
    if (error instanceof LedgerError && (error.code === LedgerErrorCode.NOT_FOUND || error.transient))
      return { refused: 'not-on-ledger-yet', retry: true };
    throw error;
  }
}

export function scanExchange(deps: ScanExchangeDeps): Router {
  const router = Router();
  router.get('/blobs/v1/scans/:requestId', async (req: Request, res: Response) => {
    const check = deps.verifier.verify({ method: req.method, path: req.originalUrl, headers: req.headers });
    if (!check.ok) {
      deps.onRefused(check.reason);
      res.setHeader('WWW-Authenticate', 'Veriscan-Signed-Request');
      sendProblem(res, { ...problem(401, `${check.reason}: ${check.message}`, 'UNAUTHENTICATED') });
      return;
    }
    const caller = check.caller;
    const requestId = String(req.params.requestId);
    const row = isRequestId(requestId) ? deps.store.get(requestId) : undefined;
    if (row === undefined || !isRequestId(requestId) || caller.requestId !== requestId) {
      sendProblem(res, problem(404, 'no such request for the signed request id', 'NOT_FOUND'));
      return;
    }
    const log = (outcome: string, purpose: string): void => {
      deps.store.logAccess({
        requestId,
        memberId: caller.memberId,
        mspId: caller.mspId,
        job: caller.job,
        purpose,
        outcome,
      });
    };
    const entitled = await entitlement(deps, row, caller);
    if ('refused' in entitled) {
      log(entitled.refused, caller.role === 'lab' ? 'lab-fetch' : 'fetch');
      deps.onRefused(entitled.refused);
      if (entitled.retry === true) {
        res.setHeader('Retry-After', '1');
        sendProblem(
          res,
          problem(503, "the request is not on this hospital's ledger yet", 'UPSTREAM_UNAVAILABLE'),
        );
        return;
      }
      sendProblem(
        res,
        problem(403, `${caller.memberId} may not fetch this scan (${entitled.refused})`, 'FORBIDDEN'),
      );
      return;
    }
    const scan = await deps.blobs.get(row.scanSha256);
    if (scan === undefined) {
      sendProblem(res, problem(500, undefined, 'STORE_CORRUPT'));
      return;
    }
    log('served', entitled.purpose);
    res.setHeader('Cache-Control', 'no-store');
    res.type(SCAN_ENVELOPE_MEDIA_TYPE).send(
      encodeScanEnvelope({
        requestId,
        mediaType: row.mediaType as 'image/png' | 'image/jpeg' | 'application/dicom',
        tileSize: row.tileSize,
        salt: row.salt as Salt,
        scan,
      }),
    );
  });
  return router;
}
