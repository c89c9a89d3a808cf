import { readFileSync } from 'node:fs';

import { expect } from 'chai';

import {
  EcdsaSigner,
  MspManager,
  encodeDerSignature,
  orgByMspId,
  parseDerSignature,
  serializeIdentity,
  toHighS,
  certificateSignature,
  replaceCertificateSignature,
  userByMember,
  type CryptoLayout,
  x509,
} from '@veriscan/fabric-kit';
import {
  evaluateSignedData,
  parseSignaturePolicy,
  type SignedData,
} from '../../../../network/devnet/src/policy/index.js';
import { sharedMaterial } from '../../fabric-kit/msp/support/material.js';

interface Signatory {
  readonly mspId: string;
  readonly certPem: string;
  readonly signer: EcdsaSigner;
}

function highSCertTwin(pem: string): string {
  const der = new Uint8Array(new x509.X509Certificate(pem).rawData);
  const twin = replaceCertificateSignature(
    der,
    encodeDerSignature(toHighS(parseDerSignature(certificateSignature(der)))),
  );
  return x509.PemConverter.encode(Uint8Array.from(twin).buffer, 'CERTIFICATE');
}

describe('signature policy evaluation over signed data', () => {
  const data = new TextEncoder().encode('proposal response payload');
  const policy = parseSignaturePolicy("AND('HospitalMSP.peer','LabMSP.peer')");
  let layout: CryptoLayout;
  let manager: MspManager;
  let hospitalPeer: Signatory;
  let labPeer: Signatory;

  const signed = (who: Signatory, message: Uint8Array = data, certPem: string = who.certPem): SignedData => ({
    data: message,
    identity: serializeIdentity(who.mspId, certPem),
    signature: who.signer.sign(message),
  });

  before(async () => {
    layout = (await sharedMaterial()).layout;
    manager = await MspManager.fromLayout(layout);
    const peerOf = async (mspId: string): Promise<Signatory> => {
      const node = orgByMspId(layout, mspId).peers[0];
      if (node === undefined) throw new Error(`no peer in ${mspId}`);
      return {
        mspId,
        certPem: readFileSync(node.signCertFile, 'utf8'),
        signer: await EcdsaSigner.fromFile(node.keyFile),
      };
    };
    hospitalPeer = await peerOf('HospitalMSP');
    labPeer = await peerOf('LabMSP');
  });

  it('is satisfied by valid endorsements of both peers', () => {
    const result = evaluateSignedData(policy, [signed(hospitalPeer), signed(labPeer)], manager);
    expect(result.satisfied).to.be.true;
    expect(result.identities.map((i) => i.mspId)).to.deep.equal(['HospitalMSP', 'LabMSP']);
    expect(result.dropped).to.deep.equal([]);
  });

  it('is not satisfied when the same peer endorses twice for AND(A.peer, A.peer)', () => {
    const twice = parseSignaturePolicy("AND('HospitalMSP.peer','HospitalMSP.peer')");
    const result = evaluateSignedData(twice, [signed(hospitalPeer), signed(hospitalPeer)], manager);
    expect(result.satisfied).to.be.false;
    expect(result.dropped.map((d) => [d.index, d.reason])).to.deep.equal([[1, 'duplicate-identity']]);
  });

  it('treats a certificate and its high-S re-encoding as one identity', () => {
    const twice = parseSignaturePolicy("AND('HospitalMSP.peer','HospitalMSP.peer')");
    const result = evaluateSignedData(
      twice,
      [signed(hospitalPeer), signed(hospitalPeer, data, highSCertTwin(hospitalPeer.certPem))],
      manager,
    );
    expect(result.satisfied).to.be.false;
    expect(result.dropped.map((d) => d.reason)).to.deep.equal(['duplicate-identity']);
  });

  it('drops a signature over other data and fails the policy (ENDORSEMENT_POLICY_FAILURE)', () => {
    const forged = { ...signed(labPeer, new TextEncoder().encode('something else')), data };
    const result = evaluateSignedData(policy, [signed(hospitalPeer), forged], manager);
    expect(result.satisfied).to.be.false;
    expect(result.dropped.map((d) => [d.index, d.reason])).to.deep.equal([[1, 'bad-signature']]);
  });

  it('drops a high-S signature', () => {
    const good = signed(labPeer);
    const highS = { ...good, signature: encodeDerSignature(toHighS(parseDerSignature(good.signature))) };
    const result = evaluateSignedData(policy, [signed(hospitalPeer), highS], manager);
    expect(result.satisfied).to.be.false;
    expect(result.dropped.map((d) => d.reason)).to.deep.equal(['bad-signature']);
  });

  it('lets a valid signature count after a bad one from the same identity', () => {
    const bad = { ...signed(labPeer), signature: new Uint8Array(70) };
    expect(evaluateSignedData(policy, [bad, signed(hospitalPeer), signed(labPeer)], manager).satisfied).to.be
      .true;
  });

  it('drops an identity claiming an MSP whose CA did not issue it', () => {
    const impostor = { ...signed(labPeer), identity: serializeIdentity('HospitalMSP', labPeer.certPem) };
    const result = evaluateSignedData(parseSignaturePolicy("OR('HospitalMSP.peer')"), [impostor], manager);
    expect(result.satisfied).to.be.false;
    expect(result.dropped.map((d) => d.reason)).to.deep.equal(['invalid-identity']);
  });

  it('does not count a client of the right org as its peer', async () => {
    const { user } = userByMember(layout, 'lab-1');
    const labClient: Signatory = {
      mspId: 'LabMSP',
      certPem: readFileSync(user.signCertFile, 'utf8'),
      signer: await EcdsaSigner.fromFile(user.keyFile),
    };
    expect(evaluateSignedData(policy, [signed(hospitalPeer), signed(labClient)], manager).satisfied).to.be
      .false;
    expect(
      evaluateSignedData(
        parseSignaturePolicy("AND('HospitalMSP.peer','LabMSP.member')"),
        [signed(hospitalPeer), signed(labClient)],
        manager,
      ).satisfied,
    ).to.be.true;
  });
});
