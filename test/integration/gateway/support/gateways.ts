/**
 * What the gateway integration tests share: free ports picked up front (a hospital gateway, the lab and
 * the regulator gateway each need the others' URLs), the gateways started in-process from the same
 * environment variables an operator sets, and small HTTP helpers.
 */
import { createServer } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { loadGatewayConfig, startGateway, type RunningGateway } from '@veriscan/gateway-app';

/** A port nobody listens on right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => {
        resolve(port);
      });
    });
  });
}

/** A gateway started for the test, with one API token. */
export interface TestGateway {
  readonly running: RunningGateway;
  readonly url: string;
  /** A hospital's scan exchange (HTTPS), `undefined` for the regulator. */
  readonly exchangeUrl: string | undefined;
  readonly token: string;
  readonly stateDir: string;
}

/** Starts `institution`'s gateway on `port` with extra environment `env`. */
export async function startTestGateway(
  institution: string,
  port: number,
  env: Record<string, string> = {},
): Promise<TestGateway> {
  const stateDir = mkdtempSync(join(tmpdir(), `veriscan-gw-${institution}-`));
  const config = loadGatewayConfig({
    ...process.env,
    VERISCAN_GATEWAY_INSTITUTION: institution,
    VERISCAN_GATEWAY_HTTP_PORT: String(port),
    VERISCAN_GATEWAY_EXCHANGE_PORT: '0',
    VERISCAN_GATEWAY_STATE_DIR: stateDir,
    VERISCAN_GATEWAY_LOG_LEVEL: 'warn',
    ...env,
  });
  const running = await startGateway(config, pino({ level: config.logLevel }));
  return {
    running,
    url: running.url,
    exchangeUrl: running.exchangeUrl,
    token: running.tokens.issue('tester'),
    stateDir,
  };
}

/** A JSON object from an answer, or a test failure. */
export function obj(value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new Error('not a JSON object');
  return Object.fromEntries(Object.entries(value));
}

export function bearer(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}

/** Uploads `file` as `name` to a hospital gateway. */
export async function upload(
  gw: TestGateway,
  file: Uint8Array,
  name: string,
  fields: Record<string, string>,
  headers: Record<string, string> = {},
  type = 'application/octet-stream',
): Promise<Response> {
  const form = new FormData();
  form.set('file', new Blob([Buffer.from(file)], { type }), name);
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  return fetch(`${gw.url}/api/v1/scans`, {
    method: 'POST',
    body: form,
    headers: { ...bearer(gw.token), ...headers },
  });
}

/** Polls `GET /api/v1/scans/:id` until `status` is one of `until` (or the time runs out). */
export async function waitForStatus(
  gw: TestGateway,
  requestId: string,
  until: readonly string[],
  timeoutMs = 90_000,
): Promise<Record<string, unknown>> {
  const deadline = Date.now() + timeoutMs;
  let last: Record<string, unknown> = {};
  while (Date.now() < deadline) {
    const res = await fetch(`${gw.url}/api/v1/scans/${requestId}`, { headers: bearer(gw.token) });
    last = obj(await res.json());
    if (typeof last.status === 'string' && until.includes(last.status)) return last;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(
    `request ${requestId} still ${String(last.status)} (${JSON.stringify(obj(last.request ?? {}).error)})`,
  );
}
