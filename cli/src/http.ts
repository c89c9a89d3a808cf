/** Calls to a gateway with its bearer token; problem details become a CliError naming the reason. */
import { CliError, ExitCode } from './errors';
import type { Endpoint } from './local-file';

export interface Answer {
  readonly status: number;
  readonly contentType: string;
  readonly body: Uint8Array;
}

export async function call(endpoint: Endpoint, path: string, init: RequestInit = {}): Promise<Answer> {
  let res: Response;
  try {
    res = await fetch(`${endpoint.url}${path}`, {
      ...init,
      headers: {
        authorization: `Bearer ${endpoint.token}`,
        ...(init.headers as Record<string, string> | undefined),
      },
    });
  } catch (error) {
    throw new CliError(
      ExitCode.UNREACHABLE,
      `${endpoint.url} unreachable: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const body = new Uint8Array(await res.arrayBuffer());
  const contentType = res.headers.get('content-type') ?? '';
  if (res.status >= 400) {
    let reason = `${res.status}`;
    try {
      const problem = JSON.parse(Buffer.from(body).toString('utf8')) as {
        title?: string;
        detail?: string;
        code?: string;
      };
      reason = `${res.status} ${problem.title ?? ''}${problem.code === undefined ? '' : ` (${problem.code})`}: ${problem.detail ?? ''}`;
    } catch {
      // not problem details: the status says enough
    }
    throw new CliError(ExitCode.REFUSED, reason);
  }
  return { status: res.status, contentType, body };
}

export async function callJson(
  endpoint: Endpoint,
  path: string,
  init: RequestInit = {},
): Promise<Record<string, unknown>> {
  const answer = await call(endpoint, path, init);
  return JSON.parse(Buffer.from(answer.body).toString('utf8')) as Record<string, unknown>;
}
