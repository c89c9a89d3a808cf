/**
 * The hospital's check of a lab's result before anyone sees it: the receipt the lab serves is the one
 * the ledger holds (same receipt hash), the trace hashes to the receipt's trace hash and commits to this
 * hospital's scan, the trace's output commitment is the receipt's and the ledger's, the two output files
 * hash to their names and re-encode to the output that commitment opens to with this request's salt, and
 * in batch mode the receipt
 * is in the batch whose root the ledger anchored. Every check is named so a failure says which one.
 */
import {
  hashOutput,
  outputCommitment,
  parseBatchAnchor,
  parseReceipt,
  parseReceiptProof,
  parseTrace,
  receiptHash,
  traceHash,
  verifyReceiptInBatch,
  type PixelTrace,
  type QuantisedOutput,
  type Receipt,
  type Salt,
} from '@veriscan/protocol';
import sharp from 'sharp';

/** One named check. */
export interface Check {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
}

/** What the lab's `GET /v1/results/:id` answers (docs/lab-fetch.md §3), parsed. */
export interface LabResult {
  readonly receipt: Receipt;
  readonly trace: PixelTrace;
  readonly txId: string | null;
  readonly batch: { readonly sequence: number; readonly proof: unknown; readonly anchor: unknown } | null;
  readonly mask: { readonly sha256: string } | null;
  readonly scores: { readonly sha256: string } | null;
}

function record(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new Error(`${what} is not an object`);
  return Object.fromEntries(Object.entries(value));
}

function outputRef(value: unknown): { sha256: string } | null {
  if (value === null || value === undefined) return null;
  const o = record(value, 'output');
  if (typeof o.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(o.sha256))
    throw new Error('output sha256 is malformed');
  return { sha256: o.sha256 };
}

/** Parses the lab's answer. @throws Error naming the malformed field */
export function parseLabResult(value: unknown): LabResult {
  const o = record(value, 'result');
  const outputs = record(o.outputs, 'outputs');
  const batch = o.batch === null || o.batch === undefined ? null : record(o.batch, 'batch');
  return {
    receipt: parseReceipt(o.receipt),
    trace: parseTrace(o.trace),
    txId: typeof o.txId === 'string' ? o.txId : null,
    batch:
      batch === null ? null : { sequence: Number(batch.sequence), proof: batch.proof, anchor: batch.anchor },
    mask: outputRef(outputs.mask),
    scores: outputRef(outputs.scores),
  };
}

/** The mask PNG and scores JSON back to the canonical quantised output. @throws Error when malformed */
export async function outputOfFiles(maskPng: Uint8Array, scoresJson: Uint8Array): Promise<QuantisedOutput> {
  const scores = record(JSON.parse(Buffer.from(scoresJson).toString('utf8')), 'scores');
  const mask = record(scores.mask, 'scores.mask');
  const classes = mask.classes;
  if (!Array.isArray(classes)) throw new Error('scores.mask.classes is not a list');
  const list = scores.scores;
  if (!Array.isArray(list)) throw new Error('scores.scores is not a list');
  const scoresE4 = list.map((s) => {
    const e4 = record(s, 'score').e4;
    if (typeof e4 !== 'number' || !Number.isInteger(e4)) throw new Error('score e4 is not an integer');
    return e4;
  });
  const { data, info } = await sharp(Buffer.from(maskPng))
    .extractChannel(0)
    .raw()
    .toBuffer({ resolveWithObject: true });
  return {
    mask: { width: info.width, height: info.height, classes: classes.length, data: new Uint8Array(data) },
    scoresE4,
  };
}

/** What the ledger says about the request, as the checks need it. */
export interface LedgerView {
  readonly receiptHash: string;
  readonly traceHash: string;
  readonly outputCommitment: string;
  /** For batch mode: the anchored batch's root and count, or `undefined` when not asked. */
  readonly batch?: { readonly merkleRoot: string; readonly count: number };
}

export interface ResultChecks {
  readonly checks: readonly Check[];
  readonly ok: boolean;
  readonly output: QuantisedOutput | undefined;
}

/** Runs every check of a result; the files are the downloaded mask and scores. */
export async function checkResult(
  input: Readonly<{
    result: LabResult;
    ledger: LedgerView;
    salt: Salt;
    scanCommitment: string;
    tileRootCommitment: string;
    maskPng: Uint8Array;
    scoresJson: Uint8Array;
    sha256: (bytes: Uint8Array) => string;
  }>,
): Promise<ResultChecks> {
  const { result, ledger } = input;
  const checks: Check[] = [];
  const add = (name: string, ok: boolean, detail: string): void => {
    checks.push({ name, ok, detail });
  };
  const rHash = receiptHash(result.receipt);
  add(
    'receipt.onLedger',
    rHash === ledger.receiptHash,
    `receipt hash ${rHash}, ledger ${ledger.receiptHash}`,
  );
  const tHash = traceHash(result.trace);
  add('trace.hash', tHash === ledger.traceHash && tHash === result.receipt.traceHash, `trace hash ${tHash}`);
  add(
    'trace.scan',
    result.trace.pixels.scanCommitment === input.scanCommitment &&
      result.trace.pixels.tileRootCommitment === input.tileRootCommitment,
    'the trace commits to the scan this hospital uploaded',
  );
  const committed = result.trace.output.outputCommitment;
  add(
    'output.commitment',
    committed === ledger.outputCommitment && committed === result.receipt.outputCommitment,
    "the trace's output commitment is the receipt's and the ledger's",
  );
  const maskOk = result.mask !== null && input.sha256(input.maskPng) === result.mask.sha256;
  const scoresOk = result.scores !== null && input.sha256(input.scoresJson) === result.scores.sha256;
  add('output.files', maskOk && scoresOk, 'mask and scores files hash to their names');
  let output: QuantisedOutput | undefined;
  try {
    output = await outputOfFiles(input.maskPng, input.scoresJson);
    const opened = outputCommitment(input.salt, hashOutput(output)) === committed;
    add(
      'output.hash',
      opened,
      "the files re-encode to the output that the commitment opens to with this request's salt",
    );
  } catch (error) {
    add(
      'output.hash',
      false,
      `files could not be read: ${error instanceof Error ? error.message : 'malformed'}`,
    );
  }
  if (result.batch !== null) {
    let inBatch = false;
    let detail = 'batch proof or anchor malformed';
    try {
      const anchor = parseBatchAnchor(result.batch.anchor);
      inBatch = verifyReceiptInBatch(result.receipt, parseReceiptProof(result.batch.proof), anchor);
      const anchored = ledger.batch?.merkleRoot === anchor.root && ledger.batch.count === anchor.count;
      inBatch = inBatch && anchored;
      detail = `receipt in batch ${anchor.lab}#${anchor.sequence} (root ${anchor.root}, ${anchored ? '' : 'not '}anchored on the ledger)`;
    } catch (error) {
      detail = error instanceof Error ? error.message : detail;
    }
    add('receipt.inclusion', inBatch, detail);
  }
  return { checks, ok: checks.every((c) => c.ok), output };
}
