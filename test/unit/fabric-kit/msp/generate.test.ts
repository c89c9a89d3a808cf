import { X509Certificate, createPrivateKey } from 'node:crypto';
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { expect } from 'chai';

import {
  FABRIC_CA_ATTRIBUTES_OID,
  decodeCertAttributes,
  ensureCryptoMaterial,
  generateCryptoMaterial,
  isLowS,
  orgByMspId,
  parseDerSignature,
  parseMspYamlConfig,
  userByMember,
  type CryptoLayout,
  type GenerateResult,
} from '@veriscan/fabric-kit';
import { x509 } from '../../../../fabric-kit/src/msp/x509.js';
import { sharedMaterial, tempDir } from './support/material.js';

function cert(file: string): x509.X509Certificate {
  return new x509.X509Certificate(readFileSync(file, 'utf8'));
}

function signatureOf(file: string): Uint8Array {
  return new Uint8Array(cert(file).signature);
}

describe('devnet crypto material generation', () => {
  let result: GenerateResult;
  let layout: CryptoLayout;

  before(async () => {
    result = await sharedMaterial();
    layout = result.layout;
  });

  it('generates the whole consortium in under two seconds', () => {
    expect(result.generated).to.be.true;
    expect(result.elapsedMs).to.be.below(2000);
    expect(existsSync(layout.completeMarker)).to.be.true;
  });

  it('lays out orgs with the MSP ids and domains of the consortium', () => {
    expect(layout.orgs.map((o) => [o.mspId, o.domain])).to.deep.equal([
      ['OrdererMSP', 'orderer.veriscan.local'],
      ['HospitalAMSP', 'hospital-a.veriscan.local'],
      ['HospitalBMSP', 'hospital-b.veriscan.local'],
      ['Lab1MSP', 'lab-1.veriscan.local'],
      ['Lab2MSP', 'lab-2.veriscan.local'],
      ['Regulator1MSP', 'regulator-1.veriscan.local'],
    ]);
    const orderer = orgByMspId(layout, 'OrdererMSP');
    expect(orderer.orderers.map((n) => n.host)).to.deep.equal(
      [0, 1, 2, 3].map((i) => `orderer${i}.orderer.veriscan.local`),
    );
    expect(orderer.orgDir).to.equal(join(layout.rootDir, 'ordererOrganizations', 'orderer.veriscan.local'));
    const lab = orgByMspId(layout, 'Lab1MSP');
    expect(lab.peers.map((n) => n.host)).to.deep.equal(['peer0.lab-1.veriscan.local']);
    expect(lab.users.map((u) => [u.name, u.member, u.job, u.nodeOu])).to.deep.equal([
      ['Admin@lab-1.veriscan.local', 'lab-1-admin', 'admin', 'admin'],
      ['lab-1@lab-1.veriscan.local', 'lab-1', 'operator', 'client'],
    ]);
  });

  it('writes every file the layout describes, with private keys readable by the owner only', () => {
    for (const org of layout.orgs) {
      for (const file of [org.caCertFile, org.caKeyFile, org.tlsCaCertFile, org.tlsCaKeyFile])
        expect(existsSync(file), file).to.be.true;
      expect(existsSync(join(org.mspDir, 'cacerts', org.caCertName))).to.be.true;
      expect(existsSync(join(org.mspDir, 'tlscacerts', org.tlsCaCertName))).to.be.true;
      for (const id of [...org.peers, ...org.orderers, ...org.users]) {
        for (const file of [
          id.signCertFile,
          id.keyFile,
          id.caCertFile,
          id.tlsCaCertFile,
          id.configFile,
          id.tlsCertFile,
          id.tlsKeyFile,
        ]) {
          expect(existsSync(file), file).to.be.true;
        }
        expect(statSync(id.keyFile).mode & 0o777).to.equal(0o600);
        expect(statSync(id.tlsKeyFile).mode & 0o777).to.equal(0o600);
      }
    }
    const peer = orgByMspId(layout, 'HospitalAMSP').peers[0];
    expect(peer?.tlsCertFile).to.match(/peer0\.hospital-a\.veriscan\.local\/tls\/server\.crt$/);
    expect(userByMember(layout, 'hospital-a').user.tlsCertFile).to.match(
      /users\/hospital-a@hospital-a\.veriscan\.local\/tls\/client\.crt$/,
    );
  });

  it('writes PKCS#8 P-256 keys that match their certificates', () => {
    const { user } = userByMember(layout, 'lab-2');
    const key = createPrivateKey(readFileSync(user.keyFile, 'utf8'));
    expect(readFileSync(user.keyFile, 'utf8')).to.match(/^-----BEGIN PRIVATE KEY-----/);
    expect(key.asymmetricKeyDetails?.namedCurve).to.equal('prime256v1');
    const certificate = new X509Certificate(readFileSync(user.signCertFile));
    expect(certificate.checkPrivateKey(key)).to.be.true;
  });

  it('issues CA certificates as cryptogen does: CA, certSign/cRLSign, SHA-256 SKI, self-signed', async () => {
    const org = orgByMspId(layout, 'HospitalAMSP');
    const ca = cert(org.caCertFile);
    expect(ca.subject).to.equal(
      'C=US, ST=California, L=San Francisco, O=hospital-a.veriscan.local, CN=ca.hospital-a.veriscan.local',
    );
    expect(ca.getExtension(x509.BasicConstraintsExtension)?.ca).to.be.true;
    expect(ca.getExtension(x509.BasicConstraintsExtension)?.critical).to.be.true;
    const usages = ca.getExtension(x509.KeyUsagesExtension)?.usages ?? 0;
    expect(usages & x509.KeyUsageFlags.keyCertSign).to.not.equal(0);
    expect(usages & x509.KeyUsageFlags.cRLSign).to.not.equal(0);
    expect(ca.getExtension(x509.SubjectKeyIdentifierExtension)?.keyId).to.have.length(64);
    expect(await ca.isSelfSigned()).to.be.true;
    expect(cert(org.tlsCaCertFile).subject).to.contain('CN=tlsca.hospital-a.veriscan.local');
  });

  it('gives every identity certificate exactly its NodeOU and an AKI pointing at the org CA', () => {
    const org = orgByMspId(layout, 'Regulator1MSP');
    const caSki = cert(org.caCertFile).getExtension(x509.SubjectKeyIdentifierExtension)?.keyId;
    const cases: [string, string][] = [
      [org.peers[0]?.signCertFile ?? '', 'peer'],
      [org.users[0]?.signCertFile ?? '', 'admin'],
      [org.users[1]?.signCertFile ?? '', 'client'],
      [orgByMspId(layout, 'OrdererMSP').orderers[2]?.signCertFile ?? '', 'orderer'],
    ];
    for (const [file, ou] of cases) {
      const c = cert(file);
      expect(c.subjectName.getField('OU'), file).to.deep.equal([ou]);
      expect(c.getExtension(x509.BasicConstraintsExtension)?.ca).to.be.false;
      expect(c.getExtension(x509.KeyUsagesExtension)?.usages).to.equal(x509.KeyUsageFlags.digitalSignature);
      if (ou !== 'orderer')
        expect(c.getExtension(x509.AuthorityKeyIdentifierExtension)?.keyId).to.equal(caSki);
    }
    expect(cert(org.users[1]?.signCertFile ?? '').subject).to.equal(
      'C=US, ST=California, L=San Francisco, O=regulator-1.veriscan.local, OU=client, CN=regulator-1@regulator-1.veriscan.local',
    );
  });

  it('chains every identity and TLS certificate to its own org CA and not to another org CA', () => {
    for (const org of layout.orgs) {
      const ca = new X509Certificate(readFileSync(org.caCertFile));
      const tlsCa = new X509Certificate(readFileSync(org.tlsCaCertFile));
      for (const id of [...org.peers, ...org.orderers, ...org.users]) {
        const sign = new X509Certificate(readFileSync(id.signCertFile));
        expect(sign.checkIssued(ca) && sign.verify(ca.publicKey), id.signCertFile).to.be.true;
        const tls = new X509Certificate(readFileSync(id.tlsCertFile));
        expect(tls.checkIssued(tlsCa) && tls.verify(tlsCa.publicKey), id.tlsCertFile).to.be.true;
        expect(sign.checkIssued(tlsCa)).to.be.false;
      }
    }
    const hospitalCa = new X509Certificate(readFileSync(orgByMspId(layout, 'HospitalAMSP').caCertFile));
    const labUser = new X509Certificate(readFileSync(userByMember(layout, 'lab-1').user.signCertFile));
    expect(labUser.checkIssued(hospitalCa)).to.be.false;
  });

  it("writes each certificate's issuer as the exact bytes of its CA's subject, as Go chain building needs", () => {
    const contains = (haystack: Buffer, needle: Buffer): boolean => haystack.indexOf(needle) >= 0;
    for (const org of layout.orgs) {
      const ca = cert(org.caCertFile);
      const subject = Buffer.from(ca.subjectName.toArrayBuffer());
      expect(contains(Buffer.from(ca.rawData), subject)).to.be.true;
      for (const id of [...org.peers, ...org.orderers, ...org.users]) {
        expect(contains(Buffer.from(cert(id.signCertFile).rawData), subject), id.signCertFile).to.be.true;
      }
    }
  });

  it('signs every certificate with a low-S ECDSA signature', () => {
    for (const org of layout.orgs) {
      const files = [org.caCertFile, org.tlsCaCertFile];
      for (const id of [...org.peers, ...org.orderers, ...org.users])
        files.push(id.signCertFile, id.tlsCertFile);
      for (const file of files) expect(isLowS(parseDerSignature(signatureOf(file))), file).to.be.true;
    }
  });

  it('gives node TLS certificates the host, localhost and 127.0.0.1 as SANs, with server and client auth', () => {
    const node = orgByMspId(layout, 'Lab1MSP').peers[0];
    const tls = new X509Certificate(readFileSync(node?.tlsCertFile ?? ''));
    expect(tls.subjectAltName).to.equal(
      'DNS:peer0.lab-1.veriscan.local, DNS:peer0, DNS:localhost, IP Address:127.0.0.1',
    );
    expect(tls.checkHost('localhost')).to.equal('localhost');
    expect(tls.checkIP('127.0.0.1')).to.equal('127.0.0.1');
    expect(tls.keyUsage).to.have.members(['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2']);
    const orderer = new X509Certificate(
      readFileSync(orgByMspId(layout, 'OrdererMSP').orderers[0]?.tlsCertFile ?? ''),
    );
    expect(orderer.subjectAltName).to.contain('DNS:orderer0.orderer.veriscan.local');
  });

  it('puts the Fabric-CA attribute extension, non-critical raw JSON, on user and admin certificates only', () => {
    const { user } = userByMember(layout, 'hospital-b');
    const ext = cert(user.signCertFile).getExtension(FABRIC_CA_ATTRIBUTES_OID);
    expect(ext?.critical).to.be.false;
    expect(Buffer.from(ext?.value ?? new ArrayBuffer(0)).toString('utf8')).to.equal(
      '{"attrs":{"hf.EnrollmentID":"hospital-b","hf.Type":"client","veriscan.job":"clinician"}}',
    );
    const admin = userByMember(layout, 'lab-1-admin').user;
    expect(
      decodeCertAttributes(
        new Uint8Array(
          cert(admin.signCertFile).getExtension(FABRIC_CA_ATTRIBUTES_OID)?.value ?? new ArrayBuffer(0),
        ),
      ),
    ).to.deep.equal({
      'hf.EnrollmentID': 'lab-1-admin',
      'hf.Type': 'admin',
      'veriscan.job': 'admin',
    });
    const peer = orgByMspId(layout, 'Lab1MSP').peers[0];
    expect(cert(peer?.signCertFile ?? '').getExtension(FABRIC_CA_ATTRIBUTES_OID)).to.equal(null);
  });

  it('writes config.yaml with NodeOUs enabled and all four OUs certified by the org CA', () => {
    const org = orgByMspId(layout, 'Lab1MSP');
    const text = readFileSync(join(org.mspDir, 'config.yaml'), 'utf8');
    expect(text).to.contain(
      'NodeOUs:\n  Enable: true\n  ClientOUIdentifier:\n    Certificate: cacerts/ca.lab-1.veriscan.local-cert.pem\n    OrganizationalUnitIdentifier: client\n',
    );
    const config = parseMspYamlConfig(readFileSync(org.users[1]?.configFile ?? '', 'utf8'));
    expect(config.nodeOusEnabled).to.be.true;
    expect(config.nodeOus).to.deep.equal({
      client: {
        organizationalUnitIdentifier: 'client',
        certificate: 'cacerts/ca.lab-1.veriscan.local-cert.pem',
      },
      peer: { organizationalUnitIdentifier: 'peer', certificate: 'cacerts/ca.lab-1.veriscan.local-cert.pem' },
      admin: {
        organizationalUnitIdentifier: 'admin',
        certificate: 'cacerts/ca.lab-1.veriscan.local-cert.pem',
      },
      orderer: {
        organizationalUnitIdentifier: 'orderer',
        certificate: 'cacerts/ca.lab-1.veriscan.local-cert.pem',
      },
    });
    expect(readFileSync(join(org.mspDir, 'cacerts', org.caCertName), 'utf8')).to.equal(
      readFileSync(org.caCertFile, 'utf8'),
    );
  });

  it('does nothing when the completion marker is present', async () => {
    const before = readFileSync(orgByMspId(layout, 'HospitalAMSP').caCertFile, 'utf8');
    const again = await generateCryptoMaterial({ outDir: layout.rootDir });
    expect(again.generated).to.be.false;
    expect(readFileSync(orgByMspId(layout, 'HospitalAMSP').caCertFile, 'utf8')).to.equal(before);
  });

  it('regenerates over a tree left without its completion marker', async () => {
    const outDir = tempDir('veriscan-msp-partial-');
    const first = await generateCryptoMaterial({ outDir });
    const caFile = orgByMspId(first.layout, 'Lab1MSP').caCertFile;
    const oldCa = readFileSync(caFile, 'utf8');
    // Simulate an interrupted run: marker missing, a stray file in an org folder.
    rmSync(first.layout.completeMarker);
    writeFileSync(join(orgByMspId(first.layout, 'Lab1MSP').orgDir, 'stray'), 'x');
    const second = await generateCryptoMaterial({ outDir });
    expect(second.generated).to.be.true;
    expect(readFileSync(caFile, 'utf8')).to.not.equal(oldCa);
    expect(existsSync(join(orgByMspId(first.layout, 'Lab1MSP').orgDir, 'stray'))).to.be.false;
    expect(existsSync(second.layout.completeMarker)).to.be.true;
  });

  it('prints progress from ensureCryptoMaterial and reports material already present', async () => {
    const outDir = tempDir('veriscan-msp-ensure-');
    const lines: string[] = [];
    await ensureCryptoMaterial(outDir, (line) => lines.push(line));
    await ensureCryptoMaterial(outDir, (line) => lines.push(line));
    expect(lines[0]).to.match(
      /^crypto material: generating .*OrdererMSP, HospitalAMSP, HospitalBMSP, Lab1MSP, Lab2MSP, Regulator1MSP/,
    );
    expect(lines[1]).to.match(/^crypto material: done in \d+ ms$/);
    expect(lines[2]).to.equal(`crypto material: present in ${outDir}`);
  });
});
