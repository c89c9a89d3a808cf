import { readFileSync } from 'node:fs';

import { expect } from 'chai';

import {
  ENDORSEMENT_POLICY,
  ENDORSING_MSPS,
  EcdsaSigner,
  MspManager,
  READ_ONLY_MSPS,
  peerOrgByKey,
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

// Two endorsing institutions of the consortium table (the shared material is generated from it).
const HOSPITAL = peerOrgByKey('hospital-a').mspId;
const LAB = peerOrgByKey('lab-1').mspId;

describe('signature policy evaluation over signed data', () => {
  const data = new TextEncoder().encode('proposal response payload');
  const policy = parseSignaturePolicy(`AND('${HOSPITAL}.peer','${LAB}.peer')`);
  let layout: CryptoLayout;
  let manager: MspManager;
  let hospitalPeer: Signatory;
  let labPeer: Signatory;

  const signed = (who: Signatory, message: Uint8Array = data, certPem: string = who.certPem): SignedData => ({
    data: message,
    identity: serializeIdentity(who.mspId, certPem),
    signature: who.signer.sign(message),
  });

  const peerOf = async (mspId: string): Promise<Signatory> => {
    const node = orgByMspId(layout, mspId).peers[0];
    if (node === undefined) throw new Error(`no peer in ${mspId}`);
    return {
      mspId,
      certPem: readFileSync(node.signCertFile, 'utf8'),
      signer: await EcdsaSigner.fromFile(node.keyFile),
    };
  };

  before(async () => {
    layout = (await sharedMaterial()).layout;
    manager = await MspManager.fromLayout(layout);
    hospitalPeer = await peerOf(HOSPITAL);
    labPeer = await peerOf(LAB);
  });

  it('is satisfied by valid endorsements of both peers', () => {
    const result = evaluateSignedData(policy, [signed(hospitalPeer), signed(labPeer)], manager);
    expect(result.satisfied).to.be.true;
    expect(result.identities.map((i) => i.mspId)).to.deep.equal([HOSPITAL, LAB]);
    expect(result.dropped).to.deep.equal([]);
  });

  it("needs three endorsing institutions' peers for the consortium's MAJORITY policy; the regulator's never counts", async () => {
    const majority = parseSignaturePolicy(ENDORSEMENT_POLICY);
    const endorsers = await Promise.all(ENDORSING_MSPS.map(peerOf));
    const readOnly = await Promise.all(READ_ONLY_MSPS.map(peerOf));
    const [a, b, c] = endorsers;
    if (a === undefined || b === undefined || c === undefined || readOnly.length === 0)
      throw new Error('the table needs three endorsing orgs and a read-only one');
    expect(
      evaluateSignedData(
        majority,
        [a, b, c].map((p) => signed(p)),
        manager,
      ).satisfied,
    ).to.be.true;
    expect(
      evaluateSignedData(
        majority,
        endorsers.map((p) => signed(p)),
        manager,
      ).satisfied,
    ).to.be.true;
    const twoAndRegulators = [a, b, ...readOnly].map((p) => signed(p));
    const result = evaluateSignedData(majority, twoAndRegulators, manager);
    expect(result.dropped).to.deep.equal([]);
    expect(result.satisfied).to.be.false;
  });

  it('is not satisfied when the same peer endorses twice for AND(A.peer, A.peer)', () => {
    const twice = parseSignaturePolicy(`AND('${HOSPITAL}.peer','${HOSPITAL}.peer')`);
    const result = evaluateSignedData(twice, [signed(hospitalPeer), signed(hospitalPeer)], manager);
    expect(result.satisfied).to.be.false;
    expect(result.dropped.map((d) => [d.index, d.reason])).to.deep.equal([[1, 'duplicate-identity']]);
  });

  it('treats a certificate and its high-S re-encoding as one identity', () => {
    const twice = parseSignaturePolicy(`AND('${HOSPITAL}.peer','${HOSPITAL}.peer')`);
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
    const impostor = { ...signed(labPeer), identity: serializeIdentity(HOSPITAL, labPeer.certPem) };
    const result = evaluateSignedData(parseSignaturePolicy(`OR('${HOSPITAL}.peer')`), [impostor], manager);
    expect(result.satisfied).to.be.false;
    expect(result.dropped.map((d) => d.reason)).to.deep.equal(['invalid-identity']);
  });

  it('does not count a client of the right org as its peer', async () => {
    const { user } = userByMember(layout, 'lab-1');
    const labClient: Signatory = {
      mspId: LAB,
      certPem: readFileSync(user.signCertFile, 'utf8'),
      signer: await EcdsaSigner.fromFile(user.keyFile),
    };
    expect(evaluateSignedData(policy, [signed(hospitalPeer), signed(labClient)], manager).satisfied).to.be
      .false;
    expect(
      evaluateSignedData(
        parseSignaturePolicy(`AND('${HOSPITAL}.peer','${LAB}.member')`),
        [signed(hospitalPeer), signed(labClient)],
        manager,
      ).satisfied,
    ).to.be.true;
  });
});
