/** RFC 9457 problem details, the one error shape of the lab's HTTP API. */
import type { Response } from 'express';

/** Sends `application/problem+json`. */
export function sendProblem(res: Response, status: number, title: string, detail?: string): void {
  res
    .status(status)
    .type('application/problem+json')
    .send(
      JSON.stringify({ type: 'about:blank', title, status, ...(detail === undefined ? {} : { detail }) }),
    );
}
