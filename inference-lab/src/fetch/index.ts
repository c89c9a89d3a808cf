/**
 * The signed-request protocol between institutions (docs/lab-fetch.md) and the scan envelope, as the
 * gateways use them: a hospital verifies the labs and regulators that fetch its scans and signs its own
 * result downloads; a regulator signs its audit fetches.
 */
export { RequestSigner, SignedHeader, certificateSha256, signedString } from './signed-request.js';
export {
  RequestVerifier,
  SIGNING_JOBS,
  type IncomingRequest,
  type TrustedMsp,
  type Verification,
  type VerifiedCaller,
  type VerifyFailure,
} from './request-verifier.js';
export {
  SCAN_ENVELOPE_MEDIA_TYPE,
  SCAN_MEDIA_TYPES,
  encodeScanEnvelope,
  parseScanEnvelope,
  type ScanEnvelope,
} from './scan-envelope.js';
