/**
 * TEST FIXTURE, not the hospital gateway (which is future work in gateway-app): a minimal hospital
 * blob server implementing the lab fetch protocol of docs/lab-fetch.md, so the lab service can be
 * tested end to end. It serves `GET <base>/v1/scans/:requestId` as a scan envelope, only to a request
 * signed by an operator of the lab org the request is assigned to (the lab is the signer's MSP).
 */
import type { Server } from 'node:http';
import express from 'express';
import { isRequestId, type Salt } from '@veriscan/protocol';
import { RequestVerifier, type TrustedMsp } from '../../../../inference-lab/src/fetch/request-verifier';
import {
  encodeScanEnvelope,
  SCAN_ENVELOPE_MEDIA_TYPE,
  type ScanMediaType,
} from '../../../../inference-lab/src/fetch/scan-envelope';

/** One scan the hospital holds for a request. */
export interface HeldScan {
  readonly requestId: string;
  readonly file: Uint8Array;
  readonly mediaType: ScanMediaType;
  readonly salt: Salt;
  readonly tileSize: number;
  /** The lab the ledger assigned; only it may download the scan. */
  assignedLab: string;
}

/** A running test blob server. */
export class TestHospitalBlobServer {
  readonly scans = new Map<string, HeldScan>();
  /** Downloads served, by request id (to see re-fetches after a crash). */
  readonly served = new Map<string, number>();
  /** Refused attempts by reason. */
  readonly refused: string[] = [];
  #server: Server | undefined;

  /** Base URL of the blob endpoint, e.g. `http://127.0.0.1:40123/blobs`. */
  get baseUrl(): string {
    const address = this.#server?.address();
    if (address === null || address === undefined || typeof address === 'string')
      throw new Error('not listening');
    return `http://127.0.0.1:${address.port}/blobs`;
  }

  /** Starts on a free port, trusting the lab orgs `labs` (one MSP per lab). */
  async start(labs: readonly TrustedMsp[]): Promise<void> {
    const verifier = await RequestVerifier.load({ msps: labs });
    const app = express();
    app.get('/blobs/v1/scans/:requestId', (req, res) => {
      const check = verifier.verify({ method: req.method, path: req.originalUrl, headers: req.headers });
      const scan = this.scans.get(req.params.requestId);
      if (!check.ok) {
        this.refused.push(check.reason);
        res.status(401).json({ title: check.reason });
        return;
      }
      if (
        scan === undefined ||
        check.caller.requestId !== scan.requestId ||
        check.caller.memberId !== scan.assignedLab
      ) {
        this.refused.push('not-assigned');
        res.status(404).json({ title: 'Not Found' });
        return;
      }
      const requestId = check.caller.requestId;
      if (!isRequestId(requestId)) {
        res.status(404).json({ title: 'Not Found' });
        return;
      }
      this.served.set(scan.requestId, (this.served.get(scan.requestId) ?? 0) + 1);
      res.type(SCAN_ENVELOPE_MEDIA_TYPE).send(
        encodeScanEnvelope({
          requestId,
          mediaType: scan.mediaType,
          tileSize: scan.tileSize,
          salt: scan.salt,
          scan: scan.file,
        }),
      );
    });
    this.#server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => {
        resolve(s);
      });
    });
  }

  async stop(): Promise<void> {
    const server = this.#server;
    if (server === undefined) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => {
      server.close(() => {
        resolve();
      });
    });
  }
}
