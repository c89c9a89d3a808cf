/**
 * The runtime's errors: one small family with a `code`, so the service can map each to a metric label and an
 * HTTP status without matching on messages. Messages name technical facts only (sizes, media types, hashes,
 * DICOM transfer syntaxes), never a DICOM tag value or anything else that could identify a patient.
 */

import { LabError, LabErrorCode } from '../errors';

/** The runtime's codes: a subset of the lab's {@link LabErrorCode} table. */
export const RuntimeErrorCode = {
  INVALID_SCAN: LabErrorCode.INVALID_SCAN,
  MEDIA_TYPE_MISMATCH: LabErrorCode.MEDIA_TYPE_MISMATCH,
  SCAN_COMMITMENT_MISMATCH: LabErrorCode.SCAN_COMMITMENT_MISMATCH,
  INVALID_MODEL: LabErrorCode.INVALID_MODEL,
  MODEL_HASH_MISMATCH: LabErrorCode.MODEL_HASH_MISMATCH,
  INFERENCE_FAILED: LabErrorCode.INFERENCE_FAILED,
} as const;
/** One of {@link RuntimeErrorCode}. */
export type RuntimeErrorCode = (typeof RuntimeErrorCode)[keyof typeof RuntimeErrorCode];

/** Base class of every error the runtime throws on purpose. */
export class RuntimeError extends LabError {
  declare readonly code: RuntimeErrorCode;

  constructor(code: RuntimeErrorCode, message: string, options?: { readonly cause?: unknown }) {
    super(code, message, options);
    this.name = 'RuntimeError';
  }
}

/** A scan that cannot be decoded, or whose declared media type does not match its bytes. */
export class ScanDecodeError extends RuntimeError {
  constructor(
    code: typeof RuntimeErrorCode.INVALID_SCAN | typeof RuntimeErrorCode.MEDIA_TYPE_MISMATCH,
    message: string,
    options?: { readonly cause?: unknown },
  ) {
    super(code, message, options);
    this.name = 'ScanDecodeError';
  }
}

/** A model folder or manifest that cannot be used. */
export class ModelManifestError extends RuntimeError {
  constructor(message: string, options?: { readonly cause?: unknown }) {
    super(RuntimeErrorCode.INVALID_MODEL, message, options);
    this.name = 'ModelManifestError';
  }
}

/** What {@link ModelHashMismatchError} reports, also handed to the store's mismatch hook. */
export interface ModelHashMismatch {
  readonly modelId: string;
  readonly version: string;
  /** The approved hash (on-chain), or model.json's when no approved hash was given. */
  readonly expected: string;
  /** The SHA-256 of the file's bytes as read. */
  readonly actual: string;
  /** The file that was refused. */
  readonly path: string;
}

/** The ONNX file's bytes do not hash to the approved SHA-256; no session was created for them. */
export class ModelHashMismatchError extends RuntimeError {
  readonly mismatch: ModelHashMismatch;

  constructor(mismatch: ModelHashMismatch) {
    super(
      RuntimeErrorCode.MODEL_HASH_MISMATCH,
      `refusing ${mismatch.modelId}@${mismatch.version}: ${mismatch.path} has SHA-256 ${mismatch.actual}, ` +
        `approved is ${mismatch.expected}; the file was not loaded`,
    );
    this.name = 'ModelHashMismatchError';
    this.mismatch = mismatch;
  }
}

/** The scan decoded, but its salted commitment differs from the expected (ledger) one. */
export class ScanCommitmentMismatchError extends RuntimeError {
  /** `scanCommitment` or `tileRootCommitment`. */
  readonly field: string;

  constructor(field: string) {
    super(
      RuntimeErrorCode.SCAN_COMMITMENT_MISMATCH,
      `${field} of the decoded scan differs from the expected one (wrong scan, wrong salt or wrong tile size)`,
    );
    this.name = 'ScanCommitmentMismatchError';
    this.field = field;
  }
}

/** onnxruntime failed, or its output broke the model spec. */
export class InferenceError extends RuntimeError {
  constructor(message: string, options?: { readonly cause?: unknown }) {
    super(RuntimeErrorCode.INFERENCE_FAILED, message, options);
    this.name = 'InferenceError';
  }
}
