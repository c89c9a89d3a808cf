/**
 * What the service needs from the runtime (inference-lab/src/runtime: sharp decoding, preprocessing,
 * the hash-checked model store, onnxruntime, the pixel trace). Kept narrow so the service can be
 * tested with a fake and wired to the real runtime in one adapter (`runtime-adapter.ts`).
 */
import type { PixelImage, PixelTrace, Salt, Sha256Hex } from '@veriscan/protocol';
import type { ScanMediaType } from '../fetch/scan-envelope';
import { LabError, type LabErrorCode } from '../errors';

/** A model version as approved on the ledger: the file must hash to `sha256`. */
export interface ModelRef {
  readonly id: string;
  readonly version: string;
  readonly sha256: Sha256Hex;
}

/** One finished run. `outputs` are patient data: stored content-addressed, never logged. */
export interface InferenceRun {
  readonly trace: PixelTrace;
  readonly traceHash: Sha256Hex;
  readonly outputs: { readonly maskPng: Uint8Array; readonly scoresJson: Uint8Array };
}

/** The model file is missing or does not hash to the approved value: it is never run. */
export class ModelRefusedError extends LabError {
  /** MODEL_HASH_MISMATCH (file differs from the approved hash) or INVALID_MODEL (missing file, bad model.json). */
  declare readonly code: typeof LabErrorCode.MODEL_HASH_MISMATCH | typeof LabErrorCode.INVALID_MODEL;
  readonly model: string;

  constructor(
    code: typeof LabErrorCode.MODEL_HASH_MISMATCH | typeof LabErrorCode.INVALID_MODEL,
    message: string,
    options: Readonly<{ model: string; cause?: unknown }>,
  ) {
    super(code, message, { cause: options.cause });
    this.name = 'ModelRefusedError';
    this.model = options.model;
  }
}

/** The runtime as the service uses it. */
export interface LabRuntime {
  /** Decodes a scan file to canonical pixels (what the hospital committed to). */
  decodeScan(bytes: Uint8Array, mediaType: ScanMediaType): Promise<PixelImage>;
  /**
   * Makes sure the model is loaded and its file hash equals `model.sha256`.
   * @throws ModelRefusedError
   */
  prepareModel(model: ModelRef): Promise<void>;
  /**
   * Runs `model` on the scan and builds the pixel trace with `salt` and `tileSize`.
   * @throws ModelRefusedError, or any runtime error
   */
  run(
    input: Readonly<{
      scanBytes: Uint8Array;
      mediaType: ScanMediaType;
      salt: Salt;
      tileSize: number;
      model: ModelRef;
    }>,
  ): Promise<InferenceRun>;
}
