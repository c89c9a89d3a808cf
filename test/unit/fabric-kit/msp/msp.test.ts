import { createHash, X509Certificate as NodeX509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';

import { expect } from 'chai';

import {
  CertificateAuthority,
  Msp,
  MspError,
  MspManager,
  certificateSignature,
  encodeDerSignature,
  generateKey,
  orgByMspId,
  parseDerSignature,
  replaceCertificateSignature,
  serializeIdentity,
  toHighS,
  userByMember,
  type CryptoLayout,
  type MspErrorCode,
} from '@veriscan/fabric-kit';
import { x509 } from '../../../../fabric-kit/src/msp/x509.js';
import { sharedMaterial } from './support/material.js';

function pemOf(der: Uint8Array): string {
  return x509.PemConverter.encode(Uint8Array.from(der).buffer, 'CERTIFICATE');
}

function derOf(pem: string): Uint8Array {
  return new Uint8Array(new NodeX509Certificate(pem).raw);
}

function highSTwin(pem: string): string {
  const der = derOf(pem);
  return pemOf(
    replaceCertificateSignature(
      der,
      encodeDerSignature(toHighS(parseDerSignature(certificateSignature(der)))),
    ),
  );
}

function expectMspError(fn: () => unknown, code: MspErrorCode, message?: RegExp): void {
  try {
    fn();
  } catch (error) {
    expect(error).to.be.instanceOf(MspError);
    if (error instanceof MspError) {
      expect(error.code).to.equal(code);
      if (message !== undefined) expect(error.message).to.match(message);
    }
    return;
  }
  expect.fail(`expected MspError ${code}`);
}

const NODE_OUS = {
  client: { organizationalUnitIdentifier: 'client' },
  peer: { organizationalUnitIdentifier: 'peer' },
  admin: { organizationalUnitIdentifier: 'admin' },
  orderer: { organizationalUnitIdentifier: 'orderer' },
} as const;

async function leaf(
  ca: CertificateAuthority,
  ous: readonly string[],
  extendedKeyUsages?: readonly x509.ExtendedKeyUsage[],
): Promise<string> {
  const key = await generateKey();
  const cert = await ca.issue({
    subject: { organization: 'test.local', organizationalUnits: ous, commonName: 'someone' },
    publicKey: key.keys.publicKey,
    keyUsages: x509.KeyUsageFlags.digitalSignature,
    ...(extendedKeyUsages !== undefined ? { extendedKeyUsages } : {}),
  });
  return cert.toString('pem');
}

describe('devnet MSP', () => {
  let layout: CryptoLayout;
  let manager: MspManager;

  before(async () => {
    layout = (await sharedMaterial()).layout;
    manager = await MspManager.fromLayout(layout);
  });

  it('loads one MSP per org from the generated verifying MSP folders', () => {
    expect(manager.mspIds).to.deep.equal([
      'OrdererMSP',
      'HospitalAMSP',
      'HospitalBMSP',
      'Lab1MSP',
      'Lab2MSP',
      'Regulator1MSP',
    ]);
  });

  it('deserializes each kind of generated identity with its NodeOU role', () => {
    const cases: [string, string, string][] = [
      ['HospitalAMSP', userByMember(layout, 'hospital-a').user.signCertFile, 'client'],
      ['HospitalAMSP', userByMember(layout, 'hospital-a-admin').user.signCertFile, 'admin'],
      ['Lab1MSP', orgByMspId(layout, 'Lab1MSP').peers[0]?.signCertFile ?? '', 'peer'],
      ['OrdererMSP', orgByMspId(layout, 'OrdererMSP').orderers[3]?.signCertFile ?? '', 'orderer'],
    ];
    for (const [mspId, file, role] of cases) {
      const certPem = readFileSync(file, 'utf8');
      const identity = manager.deserialize(serializeIdentity(mspId, certPem));
      expect(identity.mspId).to.equal(mspId);
      expect(identity.role).to.equal(role);
      expect(identity.certPem).to.equal(certPem);
      expect(identity.id).to.equal(createHash('sha256').update(derOf(certPem)).digest('hex'));
    }
  });

  it('refuses a certificate issued by another org CA', () => {
    const labUser = readFileSync(userByMember(layout, 'lab-1').user.signCertFile, 'utf8');
    expectMspError(
      () => manager.deserialize(serializeIdentity('HospitalAMSP', labUser)),
      'UNTRUSTED_CERTIFICATE',
      /certificate signed by unknown authority/,
    );
    expectMspError(
      () => manager.get('HospitalAMSP')?.deserialize(serializeIdentity('HospitalAMSP', labUser)),
      'UNTRUSTED_CERTIFICATE',
    );
  });

  it('refuses a certificate issued by the org TLS CA', () => {
    const tlsCert = readFileSync(orgByMspId(layout, 'Lab1MSP').peers[0]?.tlsCertFile ?? '', 'utf8');
    expectMspError(() => manager.deserialize(serializeIdentity('Lab1MSP', tlsCert)), 'UNTRUSTED_CERTIFICATE');
  });

  it('refuses an unknown MSP id and an MSP that is asked about another MSP id', () => {
    const cert = readFileSync(userByMember(layout, 'lab-1').user.signCertFile, 'utf8');
    expectMspError(
      () => manager.deserialize(serializeIdentity('NopeMSP', cert)),
      'UNKNOWN_MSP',
      /MSP NopeMSP is not defined on channel/,
    );
    expectMspError(
      () => manager.get('HospitalAMSP')?.deserialize(serializeIdentity('Lab1MSP', cert)),
      'MSP_MISMATCH',
      /expected MSP ID HospitalAMSP, received Lab1MSP/,
    );
  });

  it('refuses bytes that are not a SerializedIdentity with a PEM certificate', () => {
    expectMspError(() => manager.deserialize(new Uint8Array([0xff, 0xff, 0xff])), 'MALFORMED_IDENTITY');
    expectMspError(
      () => manager.deserialize(serializeIdentity('Lab1MSP', 'not a certificate')),
      'MALFORMED_IDENTITY',
    );
  });

  it('refuses the CA certificate itself as an identity', () => {
    const caPem = readFileSync(orgByMspId(layout, 'Lab1MSP').caCertFile, 'utf8');
    expectMspError(() => manager.deserialize(serializeIdentity('Lab1MSP', caPem)), 'CA_AS_IDENTITY');
  });

  describe('with certificates from a test CA', () => {
    let ca: CertificateAuthority;
    let msp: Msp;

    before(async () => {
      ca = await CertificateAuthority.create({
        subject: { organization: 'test.local', commonName: 'ca.test.local' },
      });
      msp = Msp.fromConfig({
        mspId: 'TestMSP',
        rootCerts: [ca.certPem],
        nodeOus: {
          client: { ...NODE_OUS.client, certificate: ca.certPem },
          peer: { ...NODE_OUS.peer, certificate: ca.certPem },
          admin: NODE_OUS.admin,
          orderer: NODE_OUS.orderer,
        },
      });
    });

    it('accepts a certificate with exactly one role OU among other OUs', async () => {
      expect(msp.validateCertificate(await leaf(ca, ['department-7', 'peer'])).role).to.equal('peer');
    });

    it('refuses a certificate with two role OUs', async () => {
      const pem = await leaf(ca, ['client', 'admin']);
      expectMspError(() => msp.validateCertificate(pem), 'NODE_OU', /not a combination of them/);
    });

    it('refuses a certificate without a role OU', async () => {
      const pem = await leaf(ca, ['department-7']);
      expectMspError(() => msp.validateCertificate(pem), 'NODE_OU', /does not have an OU that resolves/);
    });

    it('accepts an expired certificate, as Fabric does not check expiry', async () => {
      const old = await CertificateAuthority.create({
        subject: { organization: 'test.local', commonName: 'ca.test.local' },
        now: new Date('2000-01-01T00:00:00Z'),
      });
      const oldMsp = Msp.fromConfig({ mspId: 'OldMSP', rootCerts: [old.certPem], nodeOus: NODE_OUS });
      const pem = await leaf(old, ['client']);
      expect(new NodeX509Certificate(pem).validTo).to.match(/2009/);
      expect(oldMsp.validateCertificate(pem).role).to.equal('client');
    });

    it('refuses a certificate whose extended key usage excludes serverAuth, as Go verification does', async () => {
      const pem = await leaf(ca, ['client'], [x509.ExtendedKeyUsage.clientAuth]);
      expectMspError(() => msp.validateCertificate(pem), 'UNTRUSTED_CERTIFICATE', /incompatible key usage/);
      expect(
        msp.validateCertificate(await leaf(ca, ['client'], [x509.ExtendedKeyUsage.serverAuth])).role,
      ).to.equal('client');
    });

    it('refuses a role OU certified by a CA other than the one config.yaml names', async () => {
      const other = await CertificateAuthority.create({
        subject: { organization: 'test.local', commonName: 'ca2.test.local' },
      });
      const twoRoots = Msp.fromConfig({
        mspId: 'TwoRootsMSP',
        rootCerts: [ca.certPem, other.certPem],
        nodeOus: { ...NODE_OUS, client: { ...NODE_OUS.client, certificate: ca.certPem } },
      });
      expect(twoRoots.validateCertificate(await leaf(ca, ['client'])).role).to.equal('client');
      const fromOther = await leaf(other, ['client']);
      expectMspError(
        () => twoRoots.validateCertificate(fromOther),
        'NODE_OU',
        /certifiersIdentifier does not match/,
      );
      expect(twoRoots.validateCertificate(await leaf(other, ['peer'])).role).to.equal('peer');
    });

    it('gives a certificate and its high-S twin the same identity id, that of the low-S form', async () => {
      const pem = await leaf(ca, ['client']);
      const twin = highSTwin(pem);
      expect(twin).to.not.equal(pem);
      const a = msp.validateCertificate(pem);
      const b = msp.validateCertificate(twin);
      expect(b.id).to.equal(a.id);
      expect(a.id).to.equal(createHash('sha256').update(derOf(pem)).digest('hex'));
    });

    it('refuses to build an MSP from a root that is not a CA', async () => {
      const pem = await leaf(ca, ['client']);
      expect(() => Msp.fromConfig({ mspId: 'BadMSP', rootCerts: [pem], nodeOus: NODE_OUS })).to.throw(
        MspError,
        /did not have the CA attribute/,
      );
    });
  });
});
