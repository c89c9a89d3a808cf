/**
 * Signed HTTP requests between consortium members (docs/lab-fetch.md): the caller proves it holds a
 * Fabric identity's private key by signing a canonical string of the method, the path, the Veriscan
 * request id, a timestamp and a nonce with ECDSA P-256 / SHA-256. The server validates the
 * certificate against the caller's MSP (chain, NodeOU, attributes) and the signature, and refuses
 * stale or replayed requests. No body is signed: the protocol is for GETs.
 */
import { createHash, randomBytes, sign, X509Certificate, type KeyObject } from 'node:crypto';

/** Header names (lowercase, as Node reports them). */
export const SignedHeader = {
  mspId: 'veriscan-msp-id',
  certificate: 'veriscan-certificate',
  requestId: 'veriscan-request-id',
  timestamp: 'veriscan-timestamp',
  nonce: 'veriscan-nonce',
  signature: 'veriscan-signature',
} as const;

/** The first line of the signed string; a new layout gets a new tag. */
export const SIGNED_REQUEST_TAG = 'veriscan-signed-request/v1';

/** What is signed. */
export interface SignedRequestParts {
  readonly method: string;
  /** Path and query as sent, e.g. `/blobs/v1/scans/req-1`. */
  readonly path: string;
  /** The Veriscan request id the call concerns, or `""` for calls about none. */
  readonly requestId: string;
  /** `YYYY-MM-DDTHH:mm:ss.sssZ`. */
  readonly timestamp: string;
  /** 32 lowercase hex characters, fresh per request. */
  readonly nonce: string;
  /** Lowercase hex SHA-256 of the signer's DER certificate. */
  readonly certificateSha256: string;
}

/** The exact bytes the signature covers: the parts joined by `\n` after the tag. */
export function signedString(parts: SignedRequestParts): string {
  return [
    SIGNED_REQUEST_TAG,
    parts.method.toUpperCase(),
    parts.path,
    parts.requestId,
    parts.timestamp,
    parts.nonce,
    parts.certificateSha256,
  ].join('\n');
}

/** SHA-256 of a PEM certificate's DER bytes, lowercase hex. @throws Error if the PEM is not a certificate. */
export function certificateSha256(certPem: string): string {
  return createHash('sha256').update(new X509Certificate(certPem).raw).digest('hex');
}

/** Signs requests as one Fabric identity. */
export class RequestSigner {
  readonly #mspId: string;
  readonly #certPem: string;
  readonly #certSha256: string;
  readonly #key: KeyObject;
  readonly #now: () => Date;

  constructor(
    options: Readonly<{ mspId: string; certPem: string; privateKey: KeyObject; now?: () => Date }>,
  ) {
    this.#mspId = options.mspId;
    this.#certPem = options.certPem;
    this.#certSha256 = certificateSha256(options.certPem);
    this.#key = options.privateKey;
    this.#now = options.now ?? (() => new Date());
  }

  /** The headers to send with `method path` about `requestId` (`""` when none). */
  headers(method: string, path: string, requestId: string): Record<string, string> {
    const parts: SignedRequestParts = {
      method,
      path,
      requestId,
      timestamp: this.#now().toISOString(),
      nonce: randomBytes(16).toString('hex'),
      certificateSha256: this.#certSha256,
    };
    const signature = sign('sha256', Buffer.from(signedString(parts), 'utf8'), this.#key);
    return {
      [SignedHeader.mspId]: this.#mspId,
      [SignedHeader.certificate]: Buffer.from(this.#certPem, 'utf8').toString('base64'),
      [SignedHeader.requestId]: requestId,
      [SignedHeader.timestamp]: parts.timestamp,
      [SignedHeader.nonce]: parts.nonce,
      [SignedHeader.signature]: signature.toString('base64'),
    };
  }
}
