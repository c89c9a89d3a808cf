/**
 * The lab's one error family: `LabError { code, message, cause }` with every code in one UPPER_SNAKE
 * table, so the service maps each failure to a job outcome, a metric label and an HTTP status
 * without reading messages. Subclasses add what their caller needs (a fetch's `transient` flag, a
 * configuration's list of problems). Ledger failures are `@veriscan/ledger-api`'s `LedgerError`.
 * Messages name technical facts only, never a DICOM tag value or anything else about a patient.
 */
import { CodedError } from '@veriscan/protocol';

/** Why the lab refused or failed. */
export const LabErrorCode = {
  /** The bytes are not a scan the runtime can decode (unknown format, corrupt, unsupported variant). */
  INVALID_SCAN: 'INVALID_SCAN',
  /** The declared media type does not match the bytes. */
  MEDIA_TYPE_MISMATCH: 'MEDIA_TYPE_MISMATCH',
  /** The decoded scan does not open the ledger's salted commitments (wrong scan or wrong salt). */
  SCAN_COMMITMENT_MISMATCH: 'SCAN_COMMITMENT_MISMATCH',
  /** model.json is missing, malformed, or asks for something the runtime does not implement. */
  INVALID_MODEL: 'INVALID_MODEL',
  /** The ONNX file's SHA-256 differs from the approved hash: the file was never run. */
  MODEL_HASH_MISMATCH: 'MODEL_HASH_MISMATCH',
  /** onnxruntime failed or returned something other than the model spec promised. */
  INFERENCE_FAILED: 'INFERENCE_FAILED',
  /** The hospital gateway could not be reached (network trouble, timeout). */
  FETCH_UNREACHABLE: 'FETCH_UNREACHABLE',
  /** The hospital gateway answered with an error status. */
  FETCH_HTTP_STATUS: 'FETCH_HTTP_STATUS',
  /** The scan envelope is larger than the lab accepts. */
  FETCH_TOO_LARGE: 'FETCH_TOO_LARGE',
  /** The answer is not a scan envelope. */
  FETCH_MALFORMED: 'FETCH_MALFORMED',
  /** The envelope is for another request. */
  FETCH_WRONG_REQUEST: 'FETCH_WRONG_REQUEST',
  /** The envelope's scan does not decode as its declared media type. */
  FETCH_UNDECODABLE: 'FETCH_UNDECODABLE',
  /** The environment does not describe a usable lab. */
  INVALID_CONFIG: 'INVALID_CONFIG',
  /** A hospital has no blob endpoint configured or on its member record. */
  NO_HOSPITAL_ENDPOINT: 'NO_HOSPITAL_ENDPOINT',
  /** A row of the lab's SQLite store does not have the expected shape. */
  CORRUPT_STORE: 'CORRUPT_STORE',
  /** A call that the object's current state does not allow (a programming error). */
  INVALID_STATE: 'INVALID_STATE',
  /** The ledger answered something that contradicts what the lab submitted. */
  LEDGER_MISMATCH: 'LEDGER_MISMATCH',
} as const;
export type LabErrorCode = (typeof LabErrorCode)[keyof typeof LabErrorCode];

/** An error of the lab service, shaped `{ code, message, cause }`. */
export class LabError extends CodedError<LabErrorCode> {}

/** `FETCH_TOO_LARGE` → `too-large`: the short label used in job reasons and metrics. */
export function codeLabel(code: LabErrorCode): string {
  return code
    .replace(/^FETCH_/, '')
    .toLowerCase()
    .replace(/_/g, '-');
}
