/**
 * @veriscan/imaging: the one scan decoder of the hospital gateway, the lab and the regulator's verifier, and the
 * gateway's DICOM de-identification. Header inspection against size limits before any decoder allocates;
 * canonical pixels (protocol §3.1) from PNG, JPEG and uncompressed DICOM; PS3.15 Annex E Basic Profile
 * de-identification with dcmjs. No I/O, no logging: errors are `ImagingError` with a `code`, and their messages
 * never quote a patient's data.
 */
export { ImagingError, ImagingErrorCode } from './errors.js';
export { ScanMediaType, resolveMediaType, sniffMediaType } from './media-type.js';
export { DEFAULT_SCAN_LIMITS, MAX_INPUT_PIXELS, type ScanLimits } from './limits.js';
export {
  TransferSyntax,
  describeTransferSyntax,
  isSupportedTransferSyntax,
  transferSyntaxName,
} from './transfer-syntax.js';
export { type ScanInfo, inspectScan } from './inspect-scan.js';
export { decodeScan } from './decode-scan.js';
export { decodeDicom } from './decode-dicom.js';
export { decodeRasterImage } from './decode-image.js';
export {
  DEIDENTIFICATION_METHOD,
  type DeidentifiedDicom,
  type DeidentifyOptions,
  type UidReplacement,
  deidentifyDicom,
} from './deidentify.js';
