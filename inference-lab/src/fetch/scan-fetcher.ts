/**
 * Downloads an assigned scan and its salt from the hospital's gateway with a signed request, and
 * refuses it unless the decoded pixels and the salt open BOTH salted commitments on the ledger: a
 * lab must never run (and vouch for) a scan other than the one the hospital committed to.
 */
import { commitScan, type PixelImage, type Salt } from '@veriscan/protocol';
import { LabError, LabErrorCode } from '../errors';
import type { LedgerRequest } from '../fabric/views';
import { parseScanEnvelope, SCAN_ENVELOPE_MEDIA_TYPE, type ScanMediaType } from './scan-envelope';
import type { RequestSigner } from './signed-request';

/** Why a fetch failed. `transient` ones are retried later; the others fail the job. */
export type FetchFailure =
  | typeof LabErrorCode.FETCH_UNREACHABLE
  | typeof LabErrorCode.FETCH_HTTP_STATUS
  | typeof LabErrorCode.FETCH_TOO_LARGE
  | typeof LabErrorCode.FETCH_MALFORMED
  | typeof LabErrorCode.FETCH_WRONG_REQUEST
  | typeof LabErrorCode.FETCH_UNDECODABLE
  | typeof LabErrorCode.SCAN_COMMITMENT_MISMATCH;

/** A failed fetch. */
export class FetchError extends LabError {
  declare readonly code: FetchFailure;
  /** True when the same fetch may succeed later (network trouble, 5xx, 429). */
  readonly transient: boolean;
  readonly status: number | undefined;

  constructor(
    code: FetchFailure,
    message: string,
    options: Readonly<{ transient?: boolean; status?: number; cause?: unknown }> = {},
  ) {
    super(code, message, { cause: options.cause });
    this.name = 'FetchError';
    this.transient = options.transient ?? false;
    this.status = options.status;
  }
}

/** A verified scan, ready for the runtime. Held in memory only. */
export interface FetchedScan {
  readonly scanBytes: Uint8Array;
  readonly mediaType: ScanMediaType;
  readonly salt: Salt;
  readonly tileSize: number;
  /** The decoded canonical pixels the commitments were checked on. */
  readonly image: PixelImage;
}

/** Decodes a scan file to canonical pixels (the runtime's decoder). */
export type ScanDecoder = (bytes: Uint8Array, mediaType: ScanMediaType) => Promise<PixelImage>;

/** The subset of `fetch` the fetcher uses (injectable for tests). */
export type FetchFunction = (
  url: string,
  init: { readonly headers: Record<string, string>; readonly signal: AbortSignal },
) => Promise<Response>;

/** Path of a scan under a hospital's blob base URL. */
export function scanPath(requestId: string): string {
  return `/v1/scans/${encodeURIComponent(requestId)}`;
}

async function readLimited(response: Response, limit: number): Promise<Uint8Array> {
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (Number.isFinite(declared) && declared > limit)
    throw new FetchError(LabErrorCode.FETCH_TOO_LARGE, `scan envelope of ${declared} bytes exceeds ${limit}`);
  const body = response.body;
  if (body === null) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = body.getReader();
  for (;;) {
    // undici types the stream's chunks as `any`: narrow them.
    const next: unknown = await reader.read();
    if (typeof next !== 'object' || next === null || ('done' in next && next.done === true)) break;
    const value = 'value' in next ? next.value : undefined;
    if (!(value instanceof Uint8Array))
      throw new FetchError(LabErrorCode.FETCH_MALFORMED, 'response body is not a byte stream');
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw new FetchError(LabErrorCode.FETCH_TOO_LARGE, `scan envelope exceeds ${limit} bytes`);
    }
    chunks.push(value);
  }
  return new Uint8Array(Buffer.concat(chunks));
}

/** Fetches and checks scans for one lab identity. */
export class ScanFetcher {
  readonly #signer: RequestSigner;
  readonly #decode: ScanDecoder;
  readonly #fetch: FetchFunction;
  readonly #timeoutMs: number;
  readonly #maxBytes: number;

  constructor(
    options: Readonly<{
      signer: RequestSigner;
      decode: ScanDecoder;
      fetch?: FetchFunction;
      timeoutMs: number;
      maxBytes: number;
    }>,
  ) {
    this.#signer = options.signer;
    this.#decode = options.decode;
    this.#fetch = options.fetch ?? ((url, init) => fetch(url, init));
    this.#timeoutMs = options.timeoutMs;
    this.#maxBytes = options.maxBytes;
  }

  /**
   * Downloads `request`'s scan from `baseUrl` (the hospital's blob endpoint) and checks it against the
   * ledger's commitments.
   * @throws FetchError
   */
  async fetch(request: LedgerRequest, baseUrl: string): Promise<FetchedScan> {
    const url = new URL(baseUrl.replace(/\/+$/, '') + scanPath(request.requestId));
    const headers = {
      accept: SCAN_ENVELOPE_MEDIA_TYPE,
      ...this.#signer.headers('GET', url.pathname + url.search, request.requestId),
    };
    let response: Response;
    let bytes: Uint8Array;
    try {
      response = await this.#fetch(url.toString(), { headers, signal: AbortSignal.timeout(this.#timeoutMs) });
      if (!response.ok) {
        const transient = response.status >= 500 || response.status === 429 || response.status === 408;
        throw new FetchError(
          LabErrorCode.FETCH_HTTP_STATUS,
          `hospital answered ${response.status} for ${request.requestId}`,
          {
            transient,
            status: response.status,
          },
        );
      }
      bytes = await readLimited(response, this.#maxBytes);
    } catch (error) {
      if (error instanceof FetchError) throw error;
      throw new FetchError(
        LabErrorCode.FETCH_UNREACHABLE,
        `cannot fetch ${request.requestId} from ${url.host}: ${error instanceof Error ? error.message : String(error)}`,
        {
          transient: true,
          cause: error,
        },
      );
    }
    let envelope;
    try {
      envelope = parseScanEnvelope(JSON.parse(Buffer.from(bytes).toString('utf8')));
    } catch (error) {
      throw new FetchError(
        LabErrorCode.FETCH_MALFORMED,
        `scan envelope for ${request.requestId}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    if (envelope.requestId !== request.requestId)
      throw new FetchError(
        LabErrorCode.FETCH_WRONG_REQUEST,
        `asked for ${request.requestId}, received ${envelope.requestId}`,
      );
    let image: PixelImage;
    try {
      image = await this.#decode(envelope.scan, envelope.mediaType);
    } catch (error) {
      throw new FetchError(
        LabErrorCode.FETCH_UNDECODABLE,
        `scan of ${request.requestId} does not decode as ${envelope.mediaType}`,
        { cause: error },
      );
    }
    const opened = commitScan(image, envelope.salt, envelope.tileSize);
    if (
      opened.scanCommitment !== request.scanCommitment ||
      opened.tileRootCommitment !== request.tileRootCommitment
    ) {
      throw new FetchError(
        LabErrorCode.SCAN_COMMITMENT_MISMATCH,
        `scan of ${request.requestId} does not open the ledger's salted commitments; refusing to run it`,
      );
    }
    return {
      scanBytes: envelope.scan,
      mediaType: envelope.mediaType,
      salt: envelope.salt,
      tileSize: envelope.tileSize,
      image,
    };
  }
}
