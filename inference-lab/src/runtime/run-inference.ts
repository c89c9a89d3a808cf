/**
 * The one function the lab service and the regulator's verifier call: scan bytes + salt + a verified model
 * in, pixel trace + quantised output + the files served to the hospital out. Deterministic by construction
 * (canonical decoding, float64 preprocessing, a pinned session, quantised outputs); see docs in README.md.
 */
import {
  DEFAULT_TILE_SIZE,
  type PixelImage,
  type PixelTrace,
  type QuantisedOutput,
  type Salt,
  type Sha256Hex,
  type TraceVerification,
  buildTrace,
  commitScan,
  hashOutput,
  outputCommitment,
  traceHash,
  verifyTrace,
} from '@veriscan/protocol';
import { decodeScan } from './decode-scan.js';
import { ScanCommitmentMismatchError } from './errors.js';
import type { LoadedModel } from './model-store.js';
import { encodeMaskPng, encodeScoresJson, quantiseOutput } from './postprocess.js';
import { preprocess } from './preprocess-spec.js';

/** Input of {@link runInference}. */
export interface InferenceInput {
  /** The scan file as fetched (PNG, JPEG, DICOM Part 10). */
  readonly scanBytes: Uint8Array;
  /** The declared media type, checked against the bytes; omit to trust the bytes alone. */
  readonly mediaType?: string;
  /** The request's salt (from the hospital). Secret: never log it. */
  readonly salt: Salt;
  /** A model from `ModelStore.load` (its file hash was checked against the approved one). */
  readonly model: LoadedModel;
  /** Tile edge the hospital committed with; default 32. */
  readonly tileSize?: number;
  /**
   * The commitments on the ledger. When given, the scan is checked against them before the model runs, and a
   * mismatch throws ScanCommitmentMismatchError (nothing is computed for a scan the hospital did not commit).
   */
  readonly expected?: { readonly scanCommitment?: Sha256Hex; readonly tileRootCommitment?: Sha256Hex };
}

/** Result of {@link runInference}. */
export interface InferenceResult {
  readonly trace: PixelTrace;
  readonly traceHash: Sha256Hex;
  /** protocol `hashOutput` of `output`. Not for the ledger: only its salted commitment goes there. */
  readonly outputHash: Sha256Hex;
  /** `outputCommitment(salt, outputHash)`: what a receipt carries. */
  readonly outputCommitment: Sha256Hex;
  readonly output: QuantisedOutput;
  /** The files the lab stores (content-addressed) and serves to the requesting hospital only. */
  readonly outputs: { readonly maskPng: Buffer; readonly scoresJson: Buffer };
  /** Wall-clock milliseconds per stage, for metrics; not part of any record. */
  readonly timings: {
    readonly decodeMs: number;
    readonly preprocessMs: number;
    readonly inferenceMs: number;
    readonly postprocessMs: number;
  };
}

function checkCommitments(pixels: PixelImage, input: InferenceInput, tileSize: number): void {
  const { expected } = input;
  if (expected === undefined) return;
  const digests = commitScan(pixels, input.salt, tileSize);
  if (expected.scanCommitment !== undefined && expected.scanCommitment !== digests.scanCommitment) {
    throw new ScanCommitmentMismatchError('scanCommitment');
  }
  if (
    expected.tileRootCommitment !== undefined &&
    expected.tileRootCommitment !== digests.tileRootCommitment
  ) {
    throw new ScanCommitmentMismatchError('tileRootCommitment');
  }
}

/**
 * Decodes, preprocesses, runs and postprocesses one scan, and builds its pixel trace.
 * @throws ScanDecodeError for undecodable scans or a wrong media type; ScanCommitmentMismatchError when
 * `expected` is given and differs; InferenceError when the run fails; ProtocolError when the salt or tile size
 * is malformed.
 */
export async function runInference(input: InferenceInput): Promise<InferenceResult> {
  const { model, salt } = input;
  const tileSize = input.tileSize ?? DEFAULT_TILE_SIZE;
  const t0 = performance.now();
  const pixels = await decodeScan(input.scanBytes, input.mediaType);
  checkCommitments(pixels, input, tileSize);
  const t1 = performance.now();
  const tensor = preprocess(pixels, model.manifest);
  const t2 = performance.now();
  const logits = await model.run(tensor);
  const t3 = performance.now();
  const output = quantiseOutput(logits);
  const trace = buildTrace({
    image: pixels,
    salt,
    tileSize,
    preprocess: { params: model.manifest.preprocess, tensor },
    model: { id: model.manifest.modelId, version: model.manifest.version, hash: model.hash },
    output,
    profile: model.profile,
  });
  const outputHash = hashOutput(output);
  const maskPng = await encodeMaskPng(output);
  const scoresJson = encodeScoresJson(model.manifest, output);
  const t4 = performance.now();
  return {
    trace,
    traceHash: traceHash(trace),
    outputHash,
    outputCommitment: outputCommitment(salt, outputHash),
    output,
    outputs: { maskPng, scoresJson },
    timings: { decodeMs: t1 - t0, preprocessMs: t2 - t1, inferenceMs: t3 - t2, postprocessMs: t4 - t3 },
  };
}

/**
 * The regulator's check: re-runs the inference from the scan, its salt and the registered model, and compares
 * the recomputed trace with the claimed one (protocol `verifyTrace`: named integrity and environment checks).
 * @throws as {@link runInference}.
 */
export async function reRunAndVerify(
  claimed: PixelTrace,
  input: Omit<InferenceInput, 'expected' | 'tileSize'>,
): Promise<{ readonly verification: TraceVerification; readonly recomputed: InferenceResult }> {
  const recomputed = await runInference({ ...input, tileSize: claimed.pixels.tileSize });
  return { verification: verifyTrace(claimed, recomputed.trace), recomputed };
}
