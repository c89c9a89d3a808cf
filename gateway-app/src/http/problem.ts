/**
 * RFC 9457 problem details, the one error shape of both gateways, from one mapping: the gateway's own
 * codes, the imaging package's codes, the ledger's (chaincode codes and gRPC statuses, as ledger-api
 * classifies them) and upload-parser limits. Anything unmapped is a 500 whose detail says nothing.
 */
import type { NextFunction, Request, Response } from 'express';
import { ImagingError } from '@veriscan/imaging';
import { LedgerError } from '@veriscan/ledger-api';
import { MulterError } from 'multer';
import { GatewayError } from '../errors';

export const PROBLEM_MEDIA_TYPE = 'application/problem+json';

/** The body of every error answer. */
export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail?: string;
  /** The code of the error family that decided the status, e.g. `SCAN_TOO_LARGE`, `NOT_FOUND`. */
  readonly code?: string;
}

const STATUS_OF_CODE: Readonly<Record<string, number>> = {
  // gateway
  INVALID_CONFIG: 500,
  BAD_REQUEST: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  UNPROCESSABLE: 422,
  RESULT_MISMATCH: 502,
  UPSTREAM_UNAVAILABLE: 503,
  STORE_CORRUPT: 500,
  INVALID_STATE: 500,
  // imaging
  INVALID_SCAN: 422,
  MEDIA_TYPE_MISMATCH: 415,
  UNSUPPORTED_TRANSFER_SYNTAX: 415,
  SCAN_TOO_LARGE: 413,
  BURNED_IN_ANNOTATION: 422,
  DEIDENTIFICATION_FAILED: 422,
  // ledger: chaincode codes, then the network's
  INVALID_ARGUMENT: 400,
  ALREADY_EXISTS: 409,
  FAILED_PRECONDITION: 409,
  MVCC_CONFLICT: 503,
  UNAVAILABLE: 503,
  DEADLINE_EXCEEDED: 504,
  INVALIDATED: 502,
  UNEXPECTED_ANSWER: 502,
  UNKNOWN: 502,
};

const TITLES: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

export function problem(status: number, detail?: string, code?: string): Problem {
  return {
    type: 'about:blank',
    title: TITLES[status] ?? 'Error',
    status,
    ...(detail === undefined ? {} : { detail }),
    ...(code === undefined ? {} : { code }),
  };
}

/** The problem an error maps to; `internal` is true when it must be logged as a fault. */
export function problemOf(error: unknown): { readonly problem: Problem; readonly internal: boolean } {
  if (error instanceof GatewayError || error instanceof ImagingError || error instanceof LedgerError) {
    const status = STATUS_OF_CODE[error.code] ?? 500;
    return {
      problem: problem(status, status >= 500 && status < 502 ? undefined : error.message, error.code),
      internal: status >= 500,
    };
  }
  if (error instanceof MulterError) {
    const status = error.code === 'LIMIT_FILE_SIZE' || error.code === 'LIMIT_FIELD_VALUE' ? 413 : 400;
    return { problem: problem(status, `upload: ${error.message}`, error.code), internal: false };
  }
  // body-parser and express errors carry an HTTP status of their own (malformed JSON, too large).
  if (error instanceof Error && 'status' in error && typeof error.status === 'number' && error.status < 500) {
    return { problem: problem(error.status, error.message), internal: false };
  }
  return { problem: problem(500), internal: true };
}

export function sendProblem(res: Response, value: Problem): void {
  if (value.status === 401) res.setHeader('WWW-Authenticate', 'Bearer realm="veriscan"');
  res.status(value.status).type(PROBLEM_MEDIA_TYPE).send(JSON.stringify(value));
}

/** Express's final error handler: maps, logs faults (message only), answers. */
export function errorHandler(onFault: (error: unknown) => void) {
  // Express recognises an error handler by its four parameters.
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  return (error: unknown, _req: Request, res: Response, _next: NextFunction): void => {
    const { problem: body, internal } = problemOf(error);
    if (internal) onFault(error);
    if (res.headersSent) return;
    sendProblem(res, body);
  };
}
