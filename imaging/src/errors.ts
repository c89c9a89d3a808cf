/**
 * The imaging package's one error: `ImagingError { code, message, cause }`, so the hospital gateway and the lab
 * map each failure to an HTTP status or a job outcome without reading messages. Messages name technical facts
 * only (sizes, limits, media types, transfer syntaxes, pixel-module values), never a DICOM tag value or anything
 * else that could identify a patient; a `cause` from a parser is reduced to its error name for the same reason.
 */
import { CodedError } from '@veriscan/protocol';

/** Why a scan was refused. */
export const ImagingErrorCode = {
  /** Empty, truncated, corrupt, not PNG/JPEG/DICOM Part 10, or a sample layout the decoder does not handle. */
  INVALID_SCAN: 'INVALID_SCAN',
  /** The declared media type differs from what the bytes are. */
  MEDIA_TYPE_MISMATCH: 'MEDIA_TYPE_MISMATCH',
  /** A DICOM file whose transfer syntax is compressed (or deflated): only uncompressed pixel data is decoded. */
  UNSUPPORTED_TRANSFER_SYNTAX: 'UNSUPPORTED_TRANSFER_SYNTAX',
  /** The file, its declared pixel count or its frame count is above a {@link ScanLimits} limit. */
  SCAN_TOO_LARGE: 'SCAN_TOO_LARGE',
  /** The DICOM file says its pixels carry burned-in annotation (0028,0301 = YES): it cannot be de-identified. */
  BURNED_IN_ANNOTATION: 'BURNED_IN_ANNOTATION',
  /** De-identification could not produce a valid file with unchanged pixels (a library failure). */
  DEIDENTIFICATION_FAILED: 'DEIDENTIFICATION_FAILED',
} as const;
/** One of {@link ImagingErrorCode}. */
export type ImagingErrorCode = (typeof ImagingErrorCode)[keyof typeof ImagingErrorCode];

/** Every error this package throws on purpose. */
export class ImagingError extends CodedError<ImagingErrorCode> {}

/** The error's class name only: parsers' messages may quote file content. */
export function causeName(cause: unknown): string {
  return cause instanceof Error ? cause.name : typeof cause;
}
