/**
 * The regulator's verification of one request, from nothing but the ledger (read on its own peer) and
 * what institutions must hand an auditor: the de-identified scan and its salt from the hospital, the
 * claimed trace from the lab, and the approved model file (checked against the ledger's hash). It
 * re-runs the inference with the lab runtime and reports each check by name.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { VeriscanLedger } from '@veriscan/ledger-api';
import {
  ModelStore,
  decodeScan,
  instructionSetFromCpuinfo,
  reRunAndVerify,
} from '@veriscan/inference-lab/runtime';
import { parseScanEnvelope } from '@veriscan/inference-lab/fetch';
import {
  commitScan,
  outputCommitment,
  parseBatchAnchor,
  parseReceiptProof,
  receiptHash,
  traceHash,
  verifyReceiptInBatch,
} from '@veriscan/protocol';
import type { Check } from '../hospital/result-check';
import { parseLabResult } from '../hospital/result-check';
import type { SignedClient } from '../exchange/signed-client';
import { GatewayError, GatewayErrorCode } from '../errors';
import { computeDataHash, viewOfBlock, type BlockReader } from './blocks';

export interface VerifierDeps {
  readonly ledger: VeriscanLedger;
  readonly blocks: BlockReader;
  readonly client: SignedClient;
  /** Base URL of a hospital's blob endpoint (`…/blobs`). */
  readonly hospitalUrl: (hospitalId: string) => Promise<string>;
  /** Base URL of a lab's API. */
  readonly labUrl: (labId: string) => Promise<string>;
  /** Folder of `<model-id>/<version>/` model files. */
  readonly modelDir: string;
}

export interface Verification {
  readonly requestId: string;
  readonly verified: boolean;
  readonly checks: readonly Check[];
}

function cpuInstructionSet(): string {
  try {
    return instructionSetFromCpuinfo(readFileSync('/proc/cpuinfo', 'utf8'));
  } catch {
    return instructionSetFromCpuinfo('');
  }
}

export class AuditVerifier {
  readonly #deps: VerifierDeps;
  readonly #models: ModelStore;

  constructor(deps: VerifierDeps) {
    this.#deps = deps;
    this.#models = new ModelStore({ intraOpThreads: 1, instructionSet: cpuInstructionSet() });
  }

  async close(): Promise<void> {
    await this.#models.close();
  }

  /** @throws LedgerError NOT_FOUND for an unknown request; GatewayError CONFLICT when it is not completed */
  async verify(requestId: string): Promise<Verification> {
    const { ledger } = this.#deps;
    const request = await ledger.getRequest(requestId);
    if (request.status !== 'completed' && request.status !== 'disputed')
      throw new GatewayError(
        GatewayErrorCode.CONFLICT,
        `request ${requestId} is ${request.status}, not completed`,
      );
    const receipt = await ledger.getReceipt(requestId);
    const checks: Check[] = [];
    const add = (name: string, ok: boolean, detail: string): void => {
      checks.push({ name, ok, detail });
    };
    const attempt = async (name: string, task: () => Promise<void>): Promise<void> => {
      try {
        await task();
      } catch (error) {
        add(name, false, error instanceof Error ? error.message : String(error));
      }
    };

    // 1. The scan and salt from the hospital (signed regulator request), opened against the ledger.
    const hospital = await this.#deps.hospitalUrl(request.hospitalId);
    const scanRes = await this.#deps.client.get(hospital, `/v1/scans/${requestId}`, requestId);
    if (scanRes.status !== 200) {
      add('scan.fetched', false, `hospital ${request.hospitalId} answered ${scanRes.status}`);
      return { requestId, verified: false, checks };
    }
    const envelope = parseScanEnvelope(JSON.parse(Buffer.from(scanRes.body).toString('utf8')));
    add(
      'scan.fetched',
      true,
      `from ${request.hospitalId} (${envelope.mediaType}, ${envelope.scan.length} bytes)`,
    );
    const image = await decodeScan(envelope.scan, envelope.mediaType);
    const opened = commitScan(image, envelope.salt, envelope.tileSize);
    add(
      'scan.commitment',
      opened.scanCommitment === request.scanCommitment &&
        opened.tileRootCommitment === request.tileRootCommitment,
      'the scan and salt open both commitments of the request on the ledger',
    );

    // 2. The claimed trace and receipt from the lab, against the ledger's receipt.
    const lab = await this.#deps.labUrl(receipt.labId);
    const claimed = parseLabResult(
      await this.#deps.client.getJson(lab, `/v1/results/${requestId}`, requestId),
    );
    add(
      'receipt.hash',
      receiptHash(claimed.receipt) === receipt.receiptHash,
      `ledger receipt hash ${receipt.receiptHash}`,
    );
    add(
      'trace.hash',
      traceHash(claimed.trace) === receipt.traceHash,
      `ledger trace hash ${receipt.traceHash}`,
    );
    add(
      'model.registered',
      claimed.trace.model.hash === request.onnxSha256 &&
        claimed.trace.model.id === request.modelId &&
        claimed.trace.model.version === request.modelVersion,
      `${request.modelId}@${request.modelVersion} sha256 ${request.onnxSha256}`,
    );

    // 3. The re-run with the registered model.
    await attempt('rerun', async () => {
      const model = await this.#models.load({
        dir: join(this.#deps.modelDir, request.modelId, request.modelVersion),
        expectedSha256: request.onnxSha256,
      });
      const { verification, recomputed } = await reRunAndVerify(claimed.trace, {
        scanBytes: envelope.scan,
        mediaType: envelope.mediaType,
        salt: envelope.salt,
        model,
      });
      for (const c of verification.checks.filter((x) => x.kind === 'integrity'))
        add(
          `rerun.${c.name}`,
          c.passed,
          c.passed ? 'equal' : `claimed ${c.claimed}, recomputed ${c.recomputed}`,
        );
      add(
        'output.commitment',
        outputCommitment(envelope.salt, recomputed.outputHash) === receipt.outputCommitment,
        'the re-run output, salted, equals the output commitment on the ledger',
      );
    });

    // 4. Where the receipt is anchored: its own transaction, or a batch whose root the ledger holds.
    await attempt('anchor', async () => {
      if (claimed.batch !== null) {
        const anchor = parseBatchAnchor(claimed.batch.anchor);
        const onLedger = await ledger.getBatch(receipt.labId, anchor.sequence);
        add(
          'receipt.inclusion',
          verifyReceiptInBatch(claimed.receipt, parseReceiptProof(claimed.batch.proof), anchor) &&
            onLedger.merkleRoot === anchor.root,
          `receipt in batch ${anchor.lab}#${anchor.sequence}, root ${anchor.root}`,
        );
      }
      const txId = receipt.txId;
      const validation = await this.#deps.blocks.validationOf(txId);
      const block = await this.#deps.blocks.blockByTxId(txId);
      const view = viewOfBlock(block);
      add(
        'block.transaction',
        validation === 'VALID' && view.transactions.some((t) => t.txId === txId),
        `transaction ${txId} is ${validation} in block ${view.number}`,
      );
      add(
        'block.dataHash',
        computeDataHash(block) === view.dataHash,
        `block ${view.number} data hash ${view.dataHash}`,
      );
    });
    return { requestId, verified: checks.every((c) => c.ok), checks };
  }
}
