import { generateKeyPairSync, verify as nodeVerify } from 'node:crypto';
import { readFileSync } from 'node:fs';

import { expect } from 'chai';

import {
  EcdsaSigner,
  encodeDerSignature,
  isLowS,
  parseDerSignature,
  toHighS,
  userByMember,
  verify,
} from '@veriscan/fabric-kit';
import { sharedMaterial } from './support/material.js';

const message = new TextEncoder().encode('proposal response payload || endorser');

describe('devnet ECDSA signer', () => {
  let signer: EcdsaSigner;
  let certPem: string;
  let otherCertPem: string;

  before(async () => {
    const { layout } = await sharedMaterial();
    const { user } = userByMember(layout, 'hospital-a');
    signer = await EcdsaSigner.fromFile(user.keyFile);
    certPem = readFileSync(user.signCertFile, 'utf8');
    otherCertPem = readFileSync(userByMember(layout, 'hospital-b').user.signCertFile, 'utf8');
  });

  it('signs with DER low-S signatures that verify against the certificate', () => {
    // Half of all raw ECDSA signatures are high-S, so 64 in a row catch a missing normalisation.
    for (let i = 0; i < 64; i++) {
      const data = new TextEncoder().encode(`message ${i}`);
      const sig = signer.sign(data);
      expect(isLowS(parseDerSignature(sig))).to.be.true;
      expect(verify(certPem, data, sig)).to.be.true;
    }
  });

  it('rejects the high-S twin of a valid signature, which plain OpenSSL would accept', () => {
    const sig = signer.sign(message);
    const highS = encodeDerSignature(toHighS(parseDerSignature(sig)));
    expect(nodeVerify('sha256', message, { key: signer.publicKey, dsaEncoding: 'der' }, highS)).to.be.true;
    expect(verify(certPem, message, highS)).to.be.false;
  });

  it('rejects a signature over another message or by another key', () => {
    const sig = signer.sign(message);
    expect(verify(certPem, new TextEncoder().encode('something else'), sig)).to.be.false;
    expect(verify(otherCertPem, message, sig)).to.be.false;
  });

  it('rejects encodings other than strict DER', () => {
    const sig = signer.sign(message);
    expect(verify(certPem, message, new Uint8Array([...sig, 0]))).to.be.false;
    expect(verify(certPem, message, sig.subarray(0, sig.length - 1))).to.be.false;
    expect(verify(certPem, message, new Uint8Array(64))).to.be.false;
  });

  it('refuses a private key that is not P-256', () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-384' });
    expect(() =>
      EcdsaSigner.fromPem(privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()),
    ).to.throw(/not an ECDSA P-256 key/);
  });
});
