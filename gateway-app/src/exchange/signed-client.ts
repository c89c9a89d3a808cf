/**
 * Signed GETs to another institution's service (docs/lab-fetch.md §1): a hospital downloading results
 * from a lab, a regulator downloading a scan under audit from a hospital. The institution's Fabric
 * identity signs; the peer institution verifies against the consortium's MSPs.
 */
import type { ConsortiumFetch } from '@veriscan/fabric-kit';
import type { RequestSigner } from '@veriscan/inference-lab/fetch';
import { GatewayError, GatewayErrorCode } from '../errors';

export interface SignedResponse {
  readonly status: number;
  readonly contentType: string;
  readonly body: Uint8Array;
}

export class SignedClient {
  readonly #signer: RequestSigner;
  readonly #fetch: ConsortiumFetch;
  readonly #timeoutMs: number;
  readonly #maxBytes: number;

  /** `fetch` trusts the consortium's TLS CAs (fabric-kit `consortiumFetch`) for `https:` peers. */
  constructor(
    signer: RequestSigner,
    fetch: ConsortiumFetch,
    options: Readonly<{ timeoutMs?: number; maxBytes?: number }> = {},
  ) {
    this.#signer = signer;
    this.#fetch = fetch;
    this.#timeoutMs = options.timeoutMs ?? 30_000;
    this.#maxBytes = options.maxBytes ?? 256 * 1024 * 1024;
  }

  /**
   * GET `base` + `path`, signed for `requestId`.
   * @throws GatewayError UPSTREAM_UNAVAILABLE when the service cannot be reached or answers too much.
   */
  async get(base: string, path: string, requestId: string): Promise<SignedResponse> {
    const url = new URL(base.replace(/\/+$/, '') + path);
    const signedPath = url.pathname + url.search;
    let res: Response;
    try {
      res = await this.#fetch(url, {
        headers: this.#signer.headers('GET', signedPath, requestId),
        signal: AbortSignal.timeout(this.#timeoutMs),
        redirect: 'error',
      });
    } catch (cause) {
      throw new GatewayError(GatewayErrorCode.UPSTREAM_UNAVAILABLE, `${url.origin} unreachable`, { cause });
    }
    const declared = Number(res.headers.get('content-length') ?? '0');
    if (declared > this.#maxBytes)
      throw new GatewayError(
        GatewayErrorCode.UPSTREAM_UNAVAILABLE,
        `${url.origin} answered ${declared} bytes`,
      );
    const body = new Uint8Array(await res.arrayBuffer());
    if (body.length > this.#maxBytes)
      throw new GatewayError(GatewayErrorCode.UPSTREAM_UNAVAILABLE, `${url.origin} answered too much`);
    return { status: res.status, contentType: res.headers.get('content-type') ?? '', body };
  }

  /** GET and parse JSON; `undefined` for 202 (not ready). @throws GatewayError on any other non-200 */
  async getJson(base: string, path: string, requestId: string): Promise<unknown> {
    const res = await this.get(base, path, requestId);
    if (res.status === 202) return undefined;
    if (res.status !== 200)
      throw new GatewayError(
        res.status >= 500 || res.status === 429
          ? GatewayErrorCode.UPSTREAM_UNAVAILABLE
          : GatewayErrorCode.RESULT_MISMATCH,
        `GET ${path}: ${res.status}`,
      );
    return JSON.parse(Buffer.from(res.body).toString('utf8'));
  }
}
