/**
 * The gateway's own errors: one class with a code, so the HTTP layer maps codes to statuses in one table
 * (http/problem.ts) and never matches on messages. Messages carry technical facts only (sizes, ids, media
 * types), never a DICOM value, a patient reference or a salt.
 */

export const GatewayErrorCode = {
  INVALID_CONFIG: 'INVALID_CONFIG',
  BAD_REQUEST: 'BAD_REQUEST',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  UNSUPPORTED_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  UNPROCESSABLE: 'UNPROCESSABLE',
  RESULT_MISMATCH: 'RESULT_MISMATCH',
  UPSTREAM_UNAVAILABLE: 'UPSTREAM_UNAVAILABLE',
  STORE_CORRUPT: 'STORE_CORRUPT',
  INVALID_STATE: 'INVALID_STATE',
} as const;
export type GatewayErrorCode = (typeof GatewayErrorCode)[keyof typeof GatewayErrorCode];

export class GatewayError extends Error {
  readonly code: GatewayErrorCode;

  constructor(code: GatewayErrorCode, message: string, options?: { readonly cause?: unknown }) {
    super(message, options);
    this.name = 'GatewayError';
    this.code = code;
  }
}
