import { expect } from 'chai';
import { RequestVerifier, type IncomingRequest } from '../../../../inference-lab/src/fetch/request-verifier';
import { SignedHeader } from '../../../../inference-lab/src/fetch/signed-request';
import { mspDirOf, signerFor } from './support/crypto';

async function labVerifier(now?: () => number): Promise<RequestVerifier> {
  return RequestVerifier.load({
    msps: [{ mspId: 'LabMSP', mspDir: await mspDirOf('LabMSP'), role: 'lab' }],
    ...(now === undefined ? {} : { now }),
  });
}

function request(headers: Record<string, string>, path = '/blobs/v1/scans/req-1'): IncomingRequest {
  return { method: 'GET', path, headers };
}

describe('inference-lab signed requests (docs/lab-fetch.md)', function () {
  this.timeout(30_000);

  it('accepts a request signed by a lab identity and names the lab member and the request id', async () => {
    const headers = (await signerFor('lab-1')).headers('GET', '/blobs/v1/scans/req-1', 'req-1');
    const result = (await labVerifier()).verify(request(headers));
    expect(result).to.deep.include({ ok: true });
    if (result.ok)
      expect(result.caller).to.include({
        mspId: 'LabMSP',
        memberId: 'lab-1',
        role: 'lab',
        requestId: 'req-1',
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

  it('refuses a hospital certificate presented as a LabMSP identity', async () => {
    const headers = (await signerFor('hospital-a')).headers('GET', '/x', '');
    const result = (await labVerifier()).verify(
      request({ ...headers, [SignedHeader.mspId]: 'LabMSP' }, '/x'),
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

  it('refuses a trusted MSP member without the required veriscan.role', async () => {
    const verifier = await RequestVerifier.load({
      msps: [{ mspId: 'LabMSP', mspDir: await mspDirOf('LabMSP'), role: 'hospital' }],
    });
    const headers = (await signerFor('lab-1')).headers('GET', '/x', '');
    expect(verifier.verify(request(headers, '/x'))).to.deep.include({ ok: false, reason: 'wrong-role' });
  });

  it('refuses an unsigned request', async () => {
    expect((await labVerifier()).verify(request({}))).to.deep.include({
      ok: false,
      reason: 'missing-header',
    });
  });
});
