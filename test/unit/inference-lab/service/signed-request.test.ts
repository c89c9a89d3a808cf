import { expect } from 'chai';
import {
  RequestVerifier,
  type IncomingRequest,
  type TrustedMsp,
} from '../../../../inference-lab/src/fetch/request-verifier';
import { SignedHeader } from '../../../../inference-lab/src/fetch/signed-request';
import { signerFor, trustedOrg } from './support/crypto';

async function verifierOf(keys: readonly string[], now?: () => number): Promise<RequestVerifier> {
  const msps: TrustedMsp[] = await Promise.all(keys.map(trustedOrg));
  return RequestVerifier.load({ msps, ...(now === undefined ? {} : { now }) });
}

/** What a hospital's blob endpoint trusts: the lab org. */
async function labVerifier(now?: () => number): Promise<RequestVerifier> {
  return verifierOf(['lab-1'], now);
}

/** What the lab's API trusts: the hospital and regulator orgs. */
async function clientVerifier(): Promise<RequestVerifier> {
  return verifierOf(['hospital-a', 'regulator-1']);
}

function request(headers: Record<string, string>, path = '/blobs/v1/scans/req-1'): IncomingRequest {
  return { method: 'GET', path, headers };
}

describe('inference-lab signed requests (docs/lab-fetch.md)', function () {
  this.timeout(30_000);

  it("accepts a request signed by a lab's operator and names the lab, its job and the request id", async () => {
    const headers = (await signerFor('lab-1')).headers('GET', '/blobs/v1/scans/req-1', 'req-1');
    const result = (await labVerifier()).verify(request(headers));
    expect(result).to.deep.include({ ok: true });
    if (result.ok)
      expect(result.caller).to.include({
        mspId: 'Lab1MSP',
        memberId: 'lab-1',
        role: 'lab',
        job: 'operator',
        requestId: 'req-1',
      });
  });

  it('takes the member id from the trusted MSP entry, not from the certificate', async () => {
    // hospital-a-admin's certificate names hospital-a-admin; the institution is still hospital-a.
    const headers = (await signerFor('hospital-a-admin')).headers('GET', '/v1/results/req-1', 'req-1');
    const result = (await clientVerifier()).verify(request(headers, '/v1/results/req-1'));
    expect(result).to.deep.include({ ok: true });
    if (result.ok)
      expect(result.caller).to.include({
        mspId: 'HospitalAMSP',
        memberId: 'hospital-a',
        role: 'hospital',
        job: 'admin',
      });
  });

  it("accepts a hospital's clinician and a regulator's auditor and admin", async () => {
    const verifier = await clientVerifier();
    for (const [identity, job] of [
      ['hospital-a', 'clinician'],
      ['regulator-1', 'auditor'],
      ['regulator-1-admin', 'admin'],
    ] as const) {
      const result = verifier.verify(request((await signerFor(identity)).headers('GET', '/x', ''), '/x'));
      expect(result, identity).to.deep.include({ ok: true });
      if (result.ok) expect(result.caller.job, identity).to.equal(job);
    }
  });

  it("refuses a lab's admin on a scan endpoint: only the lab's operator fetches scans", async () => {
    const headers = (await signerFor('lab-1-admin')).headers('GET', '/blobs/v1/scans/req-1', 'req-1');
    expect((await labVerifier()).verify(request(headers))).to.deep.include({
      ok: false,
      reason: 'wrong-job',
    });
  });

  it('refuses a certificate of a trusted hospital whose job hospitals do not sign requests with', async () => {
    const headers = (await signerFor('hospital-a-auditor')).headers('GET', '/x', '');
    expect((await clientVerifier()).verify(request(headers, '/x'))).to.deep.include({
      ok: false,
      reason: 'wrong-job',
    });
  });

  it('refuses a signature over another path (a request redirected to another scan)', async () => {
    const headers = (await signerFor('lab-1')).headers('GET', '/blobs/v1/scans/req-1', 'req-1');
    const result = (await labVerifier()).verify(request(headers, '/blobs/v1/scans/req-2'));
    expect(result).to.deep.include({ ok: false, reason: 'bad-signature' });
  });

  it('refuses a request whose request-id header was changed after signing', async () => {
    const headers = (await signerFor('lab-1')).headers('GET', '/blobs/v1/scans/req-1', 'req-1');
    const result = (await labVerifier()).verify(request({ ...headers, [SignedHeader.requestId]: 'req-9' }));
    expect(result).to.deep.include({ ok: false, reason: 'bad-signature' });
  });

  it('refuses the same signed request twice (replayed nonce)', async () => {
    const verifier = await labVerifier();
    const headers = (await signerFor('lab-1')).headers('GET', '/blobs/v1/scans/req-1', 'req-1');
    expect(verifier.verify(request(headers)).ok).to.equal(true);
    expect(verifier.verify(request(headers))).to.deep.include({ ok: false, reason: 'replayed-nonce' });
  });

  it('refuses a request signed more than the allowed skew ago', async () => {
    const signedAt = Date.parse('2030-01-01T00:00:00.000Z');
    const headers = (await signerFor('lab-1', () => new Date(signedAt))).headers('GET', '/x', '');
    const verifier = await labVerifier(() => signedAt + 61_000);
    expect(verifier.verify(request(headers, '/x'))).to.deep.include({ ok: false, reason: 'stale-timestamp' });
  });

  it("refuses a hospital certificate presented as the lab's MSP", async () => {
    const headers = (await signerFor('hospital-a')).headers('GET', '/x', '');
    const result = (await labVerifier()).verify(
      request({ ...headers, [SignedHeader.mspId]: 'Lab1MSP' }, '/x'),
    );
    expect(result).to.deep.include({ ok: false, reason: 'untrusted-certificate' });
  });

  it("refuses one trusted institution's certificate presented as another's MSP", async () => {
    const headers = (await signerFor('regulator-1')).headers('GET', '/x', '');
    const result = (await clientVerifier()).verify(
      request({ ...headers, [SignedHeader.mspId]: 'HospitalAMSP' }, '/x'),
    );
    expect(result).to.deep.include({ ok: false, reason: 'untrusted-certificate' });
  });

  it('refuses an MSP the endpoint does not trust', async () => {
    const headers = (await signerFor('hospital-a')).headers('GET', '/x', '');
    expect((await labVerifier()).verify(request(headers, '/x'))).to.deep.include({
      ok: false,
      reason: 'unknown-msp',
    });
  });

  it('refuses an unsigned request', async () => {
    expect((await labVerifier()).verify(request({}))).to.deep.include({
      ok: false,
      reason: 'missing-header',
    });
  });
});
