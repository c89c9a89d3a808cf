/**
 * Shared fakes for the lab service's unit tests: a silent logger, private metrics, a 4×4 scan with
 * its commitments, a runtime that builds real protocol traces without onnxruntime, and an in-memory
 * ledger that applies the chaincode's rules that matter to the lab (assignment, idempotent
 * SubmitResult, AnchorBatch with log-append checks) and can be told to fail.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import {
  EMPTY_LOG,
  buildTrace,
  commitScan,
  merkle,
  newSalt,
  receiptHash,
  toSha256Hex,
  traceHash,
  verifyAnchorAppend,
  type LogCheckpoint,
  type MemberId,
  type PixelImage,
  type PixelTrace,
  type Receipt,
  type RequestId,
  type Salt,
  type Sha256Hex,
} from '@veriscan/protocol';
import {
  LedgerError,
  LedgerErrorCode,
  Tx,
  type AnchorBatchInput,
  type Committed,
  type RequestFilter,
} from '@veriscan/ledger-api';
import type {
  LedgerBatch,
  LedgerReceipt,
  LedgerRequest,
} from '../../../../../inference-lab/src/fabric/views';
import type { ScanMediaType } from '../../../../../inference-lab/src/fetch/scan-envelope';
import type { FetchedScan } from '../../../../../inference-lab/src/fetch/scan-fetcher';
import type { Logger } from '../../../../../inference-lab/src/telemetry/logger';
import { createLabMetrics, type LabMetrics } from '../../../../../inference-lab/src/telemetry/metrics';
import {
  ModelRefusedError,
  type InferenceRun,
  type LabRuntime,
  type ModelRef,
} from '../../../../../inference-lab/src/service/runtime-port';
import type { ServiceLedger } from '../../../../../inference-lab/src/service/lab-service';
import { LabErrorCode as LabCode } from '../../../../../inference-lab/src/errors';

export const LAB = 'lab-1' as MemberId;
export const TILE = 2;

/** A fresh temporary folder. */
export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `veriscan-${prefix}-`));
}

/** A logger that prints nothing. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}

/** Metrics on a private registry, without process metrics. */
export function testMetrics(): LabMetrics {
  return createLabMetrics({ depth: () => ({}), defaults: false });
}

/** The "model file" of the fake runtime and its approved hash. */
export const MODEL_FILE = Buffer.from('fake onnx model v1');
export const MODEL_SHA = toSha256Hex(createHash('sha256').update(MODEL_FILE).digest());

/** A hospital's side of one request. The "scan file" is the raw 4×4 grey pixels. */
export interface TestScan {
  readonly request: LedgerRequest;
  readonly image: PixelImage;
  readonly salt: Salt;
  readonly file: Uint8Array;
}

/** A random 4×4 scan committed with a fresh salt, assigned to `lab`. */
export function newScan(requestId: string, lab: string = LAB, hospital = 'hospital-a'): TestScan {
  const file = new Uint8Array(randomBytes(16));
  const image: PixelImage = { width: 4, height: 4, channels: 1, bitDepth: 8, data: file };
  const salt = newSalt((n) => new Uint8Array(randomBytes(n)));
  const { scanCommitment, tileRootCommitment } = commitScan(image, salt, TILE);
  const request: LedgerRequest = {
    requestId: requestId as RequestId,
    hospitalId: hospital as MemberId,
    modelId: 'brain-tissue' as LedgerRequest['modelId'],
    modelVersion: '1.0.0' as LedgerRequest['modelVersion'],
    onnxSha256: MODEL_SHA,
    scanCommitment,
    tileRootCommitment,
    status: 'assigned',
    assignedLab: lab as MemberId,
    assignedAt: new Date(Date.now() - 1000).toISOString(),
    deadline: new Date(Date.now() + 600_000).toISOString(),
    attempt: 1,
  };
  return { request, image, salt, file };
}

/** Decodes the fake scan file format (16 raw grey bytes). */
export async function decodeFake(bytes: Uint8Array): Promise<PixelImage> {
  await Promise.resolve();
  if (bytes.length !== 16) throw new Error('not a 4×4 fake scan');
  return { width: 4, height: 4, channels: 1, bitDepth: 8, data: bytes };
}

/** A fetch function over `scans` (by request id), as the fetcher would return them. */
export function fakeFetch(
  scans: ReadonlyMap<string, TestScan>,
): (request: LedgerRequest) => Promise<FetchedScan> {
  return async (request) => {
    await Promise.resolve();
    const scan = scans.get(request.requestId);
    if (scan === undefined) throw new Error(`no scan ${request.requestId}`);
    return {
      scanBytes: scan.file,
      mediaType: 'image/png',
      salt: scan.salt,
      tileSize: TILE,
      image: scan.image,
    };
  };
}

/** A runtime that "runs" a model by thresholding pixels, with a real trace; the model file hash is checked. */
export class FakeRuntime implements LabRuntime {
  /** Set to make the model file differ from the approved hash. */
  fileSha: Sha256Hex = MODEL_SHA;
  runs = 0;

  async decodeScan(bytes: Uint8Array): Promise<PixelImage> {
    return decodeFake(bytes);
  }

  async prepareModel(model: ModelRef): Promise<void> {
    await Promise.resolve();
    if (model.sha256 !== this.fileSha)
      throw new ModelRefusedError(
        LabCode.MODEL_HASH_MISMATCH,
        'model file hash differs from the approved hash',
        {
          model: `${model.id}@${model.version}`,
        },
      );
  }

  async run(
    input: Readonly<{
      scanBytes: Uint8Array;
      mediaType: ScanMediaType;
      salt: Salt;
      tileSize: number;
      model: ModelRef;
    }>,
  ): Promise<InferenceRun> {
    await this.prepareModel(input.model);
    this.runs++;
    const image = await decodeFake(input.scanBytes);
    const mask = Uint8Array.from(image.data, (v) => (v > 127 ? 1 : 0));
    const trace = buildTrace({
      image,
      salt: input.salt,
      tileSize: input.tileSize,
      preprocess: {
        params: { mode: 'min-max' },
        tensor: { shape: [1, 1, 4, 4], data: Float32Array.from(image.data, (v) => v / 255) },
      },
      model: { id: input.model.id, version: input.model.version, hash: input.model.sha256 },
      output: { mask: { width: 4, height: 4, classes: 2, data: mask }, scoresE4: [] },
      profile: {
        onnxruntimeVersion: 'fake',
        executionProvider: 'cpu',
        graphOptimizationLevel: 'disabled',
        executionMode: 'sequential',
        intraOpThreads: 1,
        interOpThreads: 1,
        cpuArch: 'x64',
        instructionSet: 'none',
        preprocessor: 'fake',
      },
    });
    return {
      trace,
      traceHash: traceHash(trace),
      outputs: {
        maskPng: Buffer.from(mask),
        scoresJson: Buffer.from(`{"mask":"${Buffer.from(mask).toString('hex')}"}`),
      },
    };
  }
}

function chaincodeError(transaction: string, code: LedgerErrorCode, text: string): LedgerError {
  return new LedgerError(code, `${code}: ${text}`, { transaction });
}

/** An in-memory ledger with the chaincode's lab-facing rules. */
export class FakeLedger implements ServiceLedger {
  readonly requests = new Map<string, LedgerRequest>();
  readonly receipts = new Map<string, { receipt: Receipt; hash: Sha256Hex; txId: string }>();
  readonly batches: LedgerBatch[] = [];
  readonly calls: string[] = [];
  /** Failures to throw on the next calls of a transaction, in order. */
  readonly failures = new Map<string, LedgerError[]>();
  /** When set, SubmitResult/AnchorBatch commit but then throw this (the answer is lost). */
  loseAnswerOnce: LedgerError | undefined;
  #tx = 0;

  assign(request: LedgerRequest): void {
    this.requests.set(request.requestId, request);
  }

  failNext(transaction: string, error: LedgerError): void {
    const list = this.failures.get(transaction) ?? [];
    list.push(error);
    this.failures.set(transaction, list);
  }

  #maybeFail(transaction: string): void {
    this.calls.push(transaction);
    const error = this.failures.get(transaction)?.shift();
    if (error !== undefined) throw error;
  }

  #commit<T>(value: T): Committed<T> {
    const committed = { value, transactionId: `tx${++this.#tx}`, blockNumber: BigInt(this.#tx) };
    const lost = this.loseAnswerOnce;
    if (lost !== undefined) {
      this.loseAnswerOnce = undefined;
      throw lost;
    }
    return committed;
  }

  async getRequest(requestId: string): Promise<LedgerRequest> {
    await Promise.resolve();
    this.#maybeFail('GetRequest');
    const r = this.requests.get(requestId);
    if (r === undefined)
      throw chaincodeError(Tx.GetRequest, LedgerErrorCode.NOT_FOUND, `request ${requestId}`);
    return r;
  }

  async listAllRequests(filter: RequestFilter): Promise<LedgerRequest[]> {
    await Promise.resolve();
    this.#maybeFail('ListRequests');
    return [...this.requests.values()].filter(
      (r) => (filter.status === undefined || r.status === filter.status) && r.assignedLab === LAB,
    );
  }

  #complete(receipt: Receipt, transaction: string): void {
    const request = this.requests.get(receipt.requestId);
    if (request === undefined)
      throw chaincodeError(transaction, LedgerErrorCode.NOT_FOUND, receipt.requestId);
    if (request.assignedLab !== receipt.lab)
      throw chaincodeError(transaction, LedgerErrorCode.FORBIDDEN, 'not assigned');
    if (request.status !== 'assigned')
      throw chaincodeError(transaction, LedgerErrorCode.FAILED_PRECONDITION, `request is ${request.status}`);
  }

  async submitResult(
    requestId: RequestId,
    trace: PixelTrace,
    receipt: Receipt,
  ): Promise<Committed<LedgerReceipt>> {
    await Promise.resolve();
    this.#maybeFail('SubmitResult');
    const hash = receiptHash(receipt);
    const stored = this.receipts.get(requestId);
    const view = (s: { hash: Sha256Hex; txId: string }): LedgerReceipt => ({
      requestId,
      labId: receipt.lab,
      receiptHash: s.hash,
      traceHash: traceHash(trace),
      txId: s.txId,
      latencyMs: 1,
    });
    if (stored !== undefined) {
      if (stored.hash === hash)
        return { value: view(stored), transactionId: `tx${++this.#tx}`, blockNumber: BigInt(this.#tx) };
      throw chaincodeError(Tx.SubmitResult, LedgerErrorCode.CONFLICT, 'completed with another receipt');
    }
    this.#complete(receipt, Tx.SubmitResult);
    if (trace.model.hash !== this.requests.get(requestId)?.onnxSha256)
      throw chaincodeError(Tx.SubmitResult, LedgerErrorCode.INVALID_ARGUMENT, 'model hash');
    const txId = `tx${this.#tx + 1}`;
    this.receipts.set(requestId, { receipt, hash, txId });
    const request = this.requests.get(requestId);
    if (request !== undefined) this.requests.set(requestId, { ...request, status: 'completed' });
    return this.#commit(view({ hash, txId }));
  }

  async findBatch(labId: MemberId, sequence: number): Promise<LedgerBatch | undefined> {
    await Promise.resolve();
    this.#maybeFail('GetBatch');
    return this.batches.find((b) => b.labId === labId && b.sequence === sequence);
  }

  async anchorBatch(input: AnchorBatchInput): Promise<Committed<LedgerBatch>> {
    await Promise.resolve();
    this.#maybeFail('AnchorBatch');
    const { anchor, logProof, receipts } = input;
    const root = toSha256Hex(merkle.root(receipts.map((r) => Buffer.from(receiptHash(r), 'hex'))));
    if (root !== anchor.root || anchor.count !== receipts.length)
      throw chaincodeError(Tx.AnchorBatch, LedgerErrorCode.INVALID_ARGUMENT, 'root');
    const existing = this.batches.find((b) => b.labId === anchor.lab && b.sequence === anchor.sequence);
    if (existing !== undefined) {
      if (existing.merkleRoot === root)
        return { value: existing, transactionId: `tx${++this.#tx}`, blockNumber: BigInt(this.#tx) };
      throw chaincodeError(Tx.AnchorBatch, LedgerErrorCode.CONFLICT, 'sequence taken');
    }
    const previous: LogCheckpoint =
      anchor.sequence === 0
        ? EMPTY_LOG
        : (this.batches.find((b) => b.sequence === anchor.sequence - 1)?.log ?? EMPTY_LOG);
    if (anchor.sequence > 0 && !this.batches.some((b) => b.sequence === anchor.sequence - 1))
      throw chaincodeError(Tx.AnchorBatch, LedgerErrorCode.FAILED_PRECONDITION, 'previous batch missing');
    if (!verifyAnchorAppend(previous, anchor, logProof))
      throw chaincodeError(Tx.AnchorBatch, LedgerErrorCode.INVALID_ARGUMENT, 'log proof');
    for (const r of receipts) this.#complete(r, Tx.AnchorBatch);
    const txId = `tx${this.#tx + 1}`;
    const batch: LedgerBatch = {
      labId: anchor.lab,
      sequence: anchor.sequence,
      merkleRoot: root,
      count: anchor.count,
      log: anchor.log,
      requestIds: receipts.map((r) => r.requestId),
      txId,
    };
    this.batches.push(batch);
    for (const r of receipts) {
      this.receipts.set(r.requestId, { receipt: r, hash: receiptHash(r), txId });
      const request = this.requests.get(r.requestId);
      if (request !== undefined) this.requests.set(r.requestId, { ...request, status: 'completed' });
    }
    return this.#commit(batch);
  }
}

/** A transient failure, as the wrapper reports an unavailable peer. */
export function unavailable(transaction: string): LedgerError {
  return new LedgerError(LedgerErrorCode.UNAVAILABLE, 'UNAVAILABLE: connection refused', { transaction });
}
