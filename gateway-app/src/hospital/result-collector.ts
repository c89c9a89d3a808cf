/**
 * Brings finished results home: for every request on the ledger and not yet completed here, it reads the
 * request's status from the hospital's own peer; once completed, it downloads the result from the lab
 * that made it (signed request), runs every check of result-check.ts against the ledger's receipt, and
 * only then stores the outputs and marks the request `completed`. Chaincode events wake it early; a
 * periodic sweep over the open requests means a missed event (or a restart) only delays, never loses,
 * a result.
 */
import { LedgerError, LedgerErrorCode, type VeriscanLedger } from '@veriscan/ledger-api';
import type { Salt } from '@veriscan/protocol';
import type { Logger } from 'pino';
import { GatewayError } from '../errors';
import type { SignedClient } from '../exchange/signed-client';
import { sha256Hex, type BlobStore } from '../store/blob-store';
import type { ScanRow, ScanStore } from '../store/scan-store';
import { checkResult, parseLabResult, type Check } from './result-check';

/** How often open requests are looked at when no event arrives. */
const SWEEP_MS = 1000;

/** What a completed request stores in `result_json`. */
export interface StoredResult {
  readonly labId: string;
  readonly receipt: unknown;
  readonly receiptHash: string;
  readonly traceHash: string;
  readonly trace: unknown;
  readonly txId: string | null;
  readonly batch: unknown;
  readonly checks: readonly Check[];
  readonly scores: unknown;
  readonly classes: readonly { readonly name: string; readonly pixels: number; readonly fraction: number }[];
}

export class ResultCollector {
  readonly #store: ScanStore;
  readonly #blobs: BlobStore;
  readonly #ledger: VeriscanLedger;
  readonly #client: SignedClient;
  readonly #labUrl: (labId: string) => Promise<string>;
  readonly #log: Logger;
  readonly #onCompleted: (row: ScanRow, ms: number) => void;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #again = false;
  #stopped = false;

  constructor(
    deps: Readonly<{
      store: ScanStore;
      blobs: BlobStore;
      ledger: VeriscanLedger;
      client: SignedClient;
      labUrl: (labId: string) => Promise<string>;
      log: Logger;
      onCompleted?: (row: ScanRow, ms: number) => void;
    }>,
  ) {
    this.#store = deps.store;
    this.#blobs = deps.blobs;
    this.#ledger = deps.ledger;
    this.#client = deps.client;
    this.#labUrl = deps.labUrl;
    this.#log = deps.log;
    this.#onCompleted = deps.onCompleted ?? (() => undefined);
  }

  start(): void {
    this.#timer = setInterval(() => {
      this.kick();
    }, SWEEP_MS);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearInterval(this.#timer);
    await this.#running;
  }

  kick(): void {
    if (this.#stopped) return;
    if (this.#running !== undefined) {
      this.#again = true;
      return;
    }
    this.#running = this.#sweep().finally(() => {
      this.#running = undefined;
      if (this.#again) {
        this.#again = false;
        this.kick();
      }
    });
  }

  async #sweep(): Promise<void> {
    const open = this.#store.due('submitted', 64);
    await Promise.all(open.map((row) => this.#collect(row)));
  }

  async #collect(row: ScanRow): Promise<void> {
    try {
      const request = await this.#ledger.getRequest(row.requestId).catch((error: unknown) => {
        // A submitted request was committed on this hospital's own peer; if that peer no longer has
        // it, the network was reset under the gateway's database.
        if (error instanceof LedgerError && error.code === LedgerErrorCode.NOT_FOUND) return undefined;
        throw error;
      });
      if (request === undefined) {
        this.#store.markEnded(
          row.requestId,
          'failed',
          'the ledger no longer holds this request (network reset?)',
        );
        this.#log.warn({ requestId: row.requestId }, 'request not on the ledger any more');
        return;
      }
      if (request.assignedLab !== row.assignedLab)
        this.#store.setAssignedLab(row.requestId, request.assignedLab);
      if (request.status === 'expired') {
        this.#store.markEnded(row.requestId, 'expired', 'the ledger expired the request');
        return;
      }
      if (request.status !== 'completed' && request.status !== 'disputed') return;
      const receipt = await this.#ledger.getReceipt(row.requestId);
      const lab = await this.#labUrl(receipt.labId);
      const answer = await this.#client.getJson(lab, `/v1/results/${row.requestId}`, row.requestId);
      if (answer === undefined) return;
      const result = parseLabResult(answer);
      const download = async (sha: string | undefined): Promise<Uint8Array> => {
        if (sha === undefined) return new Uint8Array();
        const res = await this.#client.get(lab, `/v1/outputs/${sha}`, row.requestId);
        return res.status === 200 ? res.body : new Uint8Array();
      };
      const [maskPng, scoresJson] = await Promise.all([
        download(result.mask?.sha256),
        download(result.scores?.sha256),
      ]);
      const batch =
        result.batch === null
          ? undefined
          : await this.#ledger.getBatch(receipt.labId, result.batch.sequence).then(
              (b) => ({ merkleRoot: b.merkleRoot, count: b.count }),
              () => undefined,
            );
      const checked = await checkResult({
        result,
        ledger: {
          receiptHash: receipt.receiptHash,
          traceHash: receipt.traceHash,
          outputCommitment: receipt.outputCommitment,
          ...(batch === undefined ? {} : { batch }),
        },
        salt: row.salt as Salt,
        scanCommitment: row.scanCommitment,
        tileRootCommitment: row.tileRootCommitment,
        maskPng,
        scoresJson,
        sha256: sha256Hex,
      });
      if (!checked.ok) {
        const failed = checked.checks.filter((c) => !c.ok).map((c) => c.name);
        this.#log.error(
          { requestId: row.requestId, lab: receipt.labId, failed },
          'lab result failed its checks',
        );
        this.#store.retryLater(row.requestId, `result checks failed: ${failed.join(', ')}`, 30_000);
        return;
      }
      const [maskSha256, scoresSha256] = await Promise.all([
        this.#blobs.put(maskPng),
        this.#blobs.put(scoresJson),
      ]);
      const scores: unknown = JSON.parse(Buffer.from(scoresJson).toString('utf8'));
      const stored: StoredResult = {
        labId: receipt.labId,
        receipt: result.receipt,
        receiptHash: receipt.receiptHash,
        traceHash: receipt.traceHash,
        trace: result.trace,
        txId: result.txId ?? receipt.txId,
        batch: result.batch,
        checks: checked.checks,
        scores,
        classes: classAreas(scores, checked.output?.mask?.data),
      };
      this.#store.markCompleted(row.requestId, {
        resultJson: JSON.stringify(stored),
        maskSha256,
        scoresSha256,
        assignedLab: receipt.labId,
      });
      this.#onCompleted(row, Date.now() - row.createdAt);
      this.#log.info({ requestId: row.requestId, lab: receipt.labId }, 'result checked and stored');
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.#store.retryLater(row.requestId, message, error instanceof GatewayError ? 2000 : 1000);
      this.#log.warn({ requestId: row.requestId, err: message }, 'result not collected yet');
    }
  }
}

/** Pixels per class in the model's frame, with the class names of the scores file. */
function classAreas(
  scores: unknown,
  mask: Uint8Array | undefined,
): { name: string; pixels: number; fraction: number }[] {
  if (mask === undefined || typeof scores !== 'object' || scores === null) return [];
  const names = (scores as { mask?: { classes?: unknown } }).mask?.classes;
  if (!Array.isArray(names)) return [];
  const counts = new Array<number>(names.length).fill(0);
  for (const c of mask) counts[c] = (counts[c] ?? 0) + 1;
  return names.map((name, i) => ({
    name: String(name),
    pixels: counts[i] ?? 0,
    fraction: mask.length === 0 ? 0 : (counts[i] ?? 0) / mask.length,
  }));
}
