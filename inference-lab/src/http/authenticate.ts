/**
 * Express middleware for the signed-request protocol (docs/lab-fetch.md). A verified caller is kept
 * per request (a WeakMap, so nothing untyped travels in `res.locals`); anything else gets 401 with
 * the reason. Role checks are per route.
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Verification, VerifiedCaller, IncomingRequest } from '../fetch/request-verifier';
import { sendProblem } from './problem';
import { LabError, LabErrorCode } from '../errors';

/** Anything that verifies a signed request. */
export interface Verifier {
  verify(req: IncomingRequest): Verification;
}

const callers = new WeakMap<Request, VerifiedCaller>();

/** Requires a valid signature from one of the verifier's MSPs. */
export function authenticate(verifier: Verifier, onRefused: (reason: string) => void): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const result = verifier.verify({ method: req.method, path: req.originalUrl, headers: req.headers });
    if (!result.ok) {
      onRefused(result.reason);
      res.setHeader('WWW-Authenticate', 'Veriscan-Signed-Request');
      sendProblem(res, 401, 'Unauthenticated', `${result.reason}: ${result.message}`);
      return;
    }
    callers.set(req, result.caller);
    next();
  };
}

/** The caller `authenticate` verified. @throws Error when the middleware did not run */
export function callerOf(req: Request): VerifiedCaller {
  const caller = callers.get(req);
  if (caller === undefined) throw new LabError(LabErrorCode.INVALID_STATE, 'authenticate() did not run');
  return caller;
}
