import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { newSalt } from '@veriscan/protocol';
import { encodeScanEnvelope } from '../../../../inference-lab/src/fetch/scan-envelope';
import { RequestVerifier } from '../../../../inference-lab/src/fetch/request-verifier';
import {
  FetchError,
  ScanFetcher,
  type FetchFunction,
} from '../../../../inference-lab/src/fetch/scan-fetcher';
import { decodeFake, newScan, TILE, type TestScan } from './support/fixtures';
import { signerFor, trustedOrg } from './support/crypto';
import { LabErrorCode } from '../../../../inference-lab/src/errors';

const BASE = 'http://hospital.test/blobs';

function envelopeOf(
  scan: TestScan,
  override: Partial<{ file: Uint8Array; salt: string; requestId: string }> = {},
): string {
  return encodeScanEnvelope({
    requestId: (override.requestId ?? scan.request.requestId) as TestScan['request']['requestId'],
    mediaType: 'image/png',
    tileSize: TILE,
    salt: (override.salt ?? scan.salt) as TestScan['salt'],
    scan: override.file ?? scan.file,
  });
}

async function fetcher(respond: FetchFunction, maxBytes = 1 << 20): Promise<ScanFetcher> {
  return new ScanFetcher({
    signer: await signerFor('lab-1'),
    decode: decodeFake,
    fetch: respond,
    timeoutMs: 5000,
    maxBytes,
  });
}

async function failureOf(promise: Promise<unknown>): Promise<FetchError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof FetchError) return error;
    throw error;
  }
  throw new Error('expected the fetch to be refused');
}

describe('inference-lab scan fetch: signed download, commitment check', function () {
  this.timeout(30_000);

  it('fetches with a signed request the hospital can verify, and accepts a scan that opens both commitments', async () => {
    const scan = newScan('req-fetch-ok');
    const verifier = await RequestVerifier.load({ msps: [await trustedOrg('lab-1')] });
    let seenUrl = '';
    const f = await fetcher(async (url, init) => {
      seenUrl = url;
      const check = verifier.verify({ method: 'GET', path: new URL(url).pathname, headers: init.headers });
      await Promise.resolve();
      return check.ok && check.caller.memberId === 'lab-1' && check.caller.requestId === 'req-fetch-ok'
        ? new Response(envelopeOf(scan))
        : new Response('no', { status: 403 });
    });
    const fetched = await f.fetch(scan.request, BASE);
    expect(seenUrl).to.equal(`${BASE}/v1/scans/req-fetch-ok`);
    expect(fetched.salt).to.equal(scan.salt);
    expect(Buffer.from(fetched.scanBytes).equals(Buffer.from(scan.file))).to.equal(true);
  });

  it('refuses a scan whose pixels differ from the committed ones (salted commitment mismatch)', async () => {
    const scan = newScan('req-fetch-other-pixels');
    const other = Uint8Array.from(scan.file, (v, i) => (i === 0 ? v ^ 1 : v));
    const error = await failureOf(
      (await fetcher(() => Promise.resolve(new Response(envelopeOf(scan, { file: other }))))).fetch(
        scan.request,
        BASE,
      ),
    );
    expect(error.code).to.equal(LabErrorCode.SCAN_COMMITMENT_MISMATCH);
    expect(error.transient).to.equal(false);
  });

  it('refuses a scan sent with another salt', async () => {
    const scan = newScan('req-fetch-other-salt');
    const salt = newSalt((n) => new Uint8Array(randomBytes(n)));
    const error = await failureOf(
      (await fetcher(() => Promise.resolve(new Response(envelopeOf(scan, { salt }))))).fetch(
        scan.request,
        BASE,
      ),
    );
    expect(error.code).to.equal(LabErrorCode.SCAN_COMMITMENT_MISMATCH);
  });

  it('refuses an envelope for another request', async () => {
    const scan = newScan('req-fetch-a');
    const error = await failureOf(
      (
        await fetcher(() => Promise.resolve(new Response(envelopeOf(scan, { requestId: 'req-fetch-b' }))))
      ).fetch(scan.request, BASE),
    );
    expect(error.code).to.equal(LabErrorCode.FETCH_WRONG_REQUEST);
  });

  it('reports 503 and network errors as transient, 404 as final', async () => {
    const scan = newScan('req-fetch-status');
    expect(
      (
        await failureOf(
          (await fetcher(() => Promise.resolve(new Response('', { status: 503 })))).fetch(scan.request, BASE),
        )
      ).transient,
    ).to.equal(true);
    expect(
      (
        await failureOf(
          (await fetcher(() => Promise.reject(new TypeError('fetch failed')))).fetch(scan.request, BASE),
        )
      ).code,
    ).to.equal(LabErrorCode.FETCH_UNREACHABLE);
    const notFound = await failureOf(
      (await fetcher(() => Promise.resolve(new Response('', { status: 404 })))).fetch(scan.request, BASE),
    );
    expect(notFound.transient).to.equal(false);
    expect(notFound.status).to.equal(404);
  });

  it('refuses an envelope larger than the configured limit', async () => {
    const scan = newScan('req-fetch-big');
    const error = await failureOf(
      (await fetcher(() => Promise.resolve(new Response(envelopeOf(scan))), 64)).fetch(scan.request, BASE),
    );
    expect(error.code).to.equal(LabErrorCode.FETCH_TOO_LARGE);
  });

  it('refuses a malformed envelope', async () => {
    const scan = newScan('req-fetch-malformed');
    const error = await failureOf(
      (await fetcher(() => Promise.resolve(new Response('{"version":1}')))).fetch(scan.request, BASE),
    );
    expect(error.code).to.equal(LabErrorCode.FETCH_MALFORMED);
  });
});
