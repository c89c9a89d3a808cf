/** TLS certificates for an institution's HTTPS services, issued from its org's TLS CA. */
import { X509Certificate } from 'node:crypto';
import { createServer } from 'node:https';
import { mkdtempSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import {
  consortiumFetch,
  consortiumTlsRoots,
  cryptoLayout,
  generateCryptoMaterial,
  issueServiceTls,
  orgByMspId,
} from '@veriscan/fabric-kit';

describe('service TLS from an org TLS CA', function () {
  this.timeout(30_000);
  const dir = mkdtempSync(join(tmpdir(), 'veriscan-service-tls-'));

  before(async () => {
    await generateCryptoMaterial({ outDir: dir });
  });

  it('issues a server certificate for the names asked, chained to the org TLS CA and trusted by a consortium client', async () => {
    const layout = cryptoLayout(dir);
    const org = orgByMspId(layout, 'HospitalAMSP');
    const tls = await issueServiceTls(org, ['gateway.hospital-a.veriscan.local', 'localhost', '127.0.0.1']);
    const cert = new X509Certificate(tls.certPem);
    expect(cert.checkIssued(new X509Certificate(tls.caPem))).to.equal(true);
    expect(cert.subjectAltName)
      .to.include('DNS:gateway.hospital-a.veriscan.local')
      .and.include('IP Address:127.0.0.1');
    expect(cert.ca).to.equal(false);

    const server = createServer({ cert: tls.certPem, key: tls.keyPem }, (_req, res) => {
      res.end('ok');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    const get = (ca: string[]): Promise<string> =>
      new Promise((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port, path: '/', ca }, (res) => {
          res.setEncoding('utf8');
          let body = '';
          res.on('data', (c: string) => (body += c));
          res.on('end', () => { resolve(body); });
        });
        req.on('error', reject);
        req.end();
      });
    try {
      expect(await get(consortiumTlsRoots(layout))).to.equal('ok');
      const res = await consortiumFetch(consortiumTlsRoots(layout))(`https://127.0.0.1:${port}/`);
      expect(await res.text()).to.equal('ok');
      // The global fetch (public roots only) does not trust the consortium's CA.
      expect(await fetch(`https://127.0.0.1:${port}/`).catch((e: unknown) => e)).to.be.instanceOf(Error);
      // Another consortium's roots do not vouch for it.
      const other = mkdtempSync(join(tmpdir(), 'veriscan-service-tls-other-'));
      await generateCryptoMaterial({ outDir: other });
      const refused: unknown = await get(consortiumTlsRoots(cryptoLayout(other))).catch((e: unknown) => e);
      expect(refused).to.be.instanceOf(Error);
    } finally {
      server.close();
    }
  });
});
