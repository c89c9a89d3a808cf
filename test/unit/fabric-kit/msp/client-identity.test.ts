// fabric-shim's ClientIdentity, the chaincode's view of the caller, reading generated certificates
// through a real ChaincodeStub built from a SignedProposal (fabric-shim lib/stub.js, lib/chaincode.js).
import { readFileSync } from 'node:fs';

import { common, peer } from '@hyperledger/fabric-protos';
import { expect } from 'chai';
import { ChaincodeStub, ClientIdentity } from 'fabric-shim';

import { orgByMspId, serializeIdentity, userByMember, type CryptoLayout } from '@veriscan/fabric-kit';
import { sharedMaterial } from './support/material.js';
import { Tx } from '@veriscan/ledger-api';

function stubFor(mspId: string, certPem: string): ChaincodeStub {
  const signatureHeader = new common.SignatureHeader();
  signatureHeader.setCreator(serializeIdentity(mspId, certPem));
  signatureHeader.setNonce(new Uint8Array(24));
  const channelHeader = new common.ChannelHeader();
  channelHeader.setType(common.HeaderType.ENDORSER_TRANSACTION);
  channelHeader.setChannelId('veriscan');
  channelHeader.setTxId('tx1');
  const header = new common.Header();
  header.setChannelHeader(channelHeader.serializeBinary());
  header.setSignatureHeader(signatureHeader.serializeBinary());
  const input = new peer.ChaincodeInput();
  input.setArgsList([new TextEncoder().encode(Tx.Whoami)]);
  const payload = new peer.ChaincodeProposalPayload();
  payload.setInput(input.serializeBinary());
  const proposal = new peer.Proposal();
  proposal.setHeader(header.serializeBinary());
  proposal.setPayload(payload.serializeBinary());
  const signed = new peer.SignedProposal();
  signed.setProposalBytes(proposal.serializeBinary());
  signed.setSignature(new Uint8Array(8));
  // The typings declare no constructor for ChaincodeStub; the shim builds it with these arguments.
  const made: unknown = Reflect.construct(ChaincodeStub, [undefined, 'veriscan', 'tx1', input, signed]);
  if (!(made instanceof ChaincodeStub)) throw new Error('ChaincodeStub was not constructed');
  return made;
}

describe('generated identities seen by fabric-shim ClientIdentity', () => {
  let layout: CryptoLayout;

  before(async () => {
    layout = (await sharedMaterial()).layout;
  });

  const cases = [
    {
      member: 'hospital-a',
      mspId: 'HospitalAMSP',
      job: 'clinician',
      domain: 'hospital-a.veriscan.local',
      ou: 'client',
    },
    {
      member: 'hospital-b',
      mspId: 'HospitalBMSP',
      job: 'clinician',
      domain: 'hospital-b.veriscan.local',
      ou: 'client',
    },
    { member: 'lab-1', mspId: 'Lab1MSP', job: 'operator', domain: 'lab-1.veriscan.local', ou: 'client' },
    { member: 'lab-2', mspId: 'Lab2MSP', job: 'operator', domain: 'lab-2.veriscan.local', ou: 'client' },
    {
      member: 'regulator-1',
      mspId: 'Regulator1MSP',
      job: 'auditor',
      domain: 'regulator-1.veriscan.local',
      ou: 'client',
    },
    {
      member: 'hospital-a-admin',
      mspId: 'HospitalAMSP',
      job: 'admin',
      domain: 'hospital-a.veriscan.local',
      ou: 'admin',
    },
  ] as const;

  for (const c of cases) {
    it(`reads MSP id ${c.mspId} and job ${c.job} from the ${c.member} certificate`, () => {
      const { user } = userByMember(layout, c.member);
      const cid = new ClientIdentity(stubFor(c.mspId, readFileSync(user.signCertFile, 'utf8')));
      expect(cid.getMSPID()).to.equal(c.mspId);
      expect(cid.getAttributeValue('veriscan.job')).to.equal(c.job);
      expect(cid.getAttributeValue('hf.EnrollmentID')).to.equal(c.member);
      expect(cid.assertAttributeValue('veriscan.job', c.job)).to.be.true;
      const where = `/C=US/ST=California/L=San Francisco/O=${c.domain}`;
      const cn = c.ou === 'admin' ? `Admin@${c.domain}` : `${c.member}@${c.domain}`;
      expect(cid.getID()).to.equal(`x509::${where}/OU=${c.ou}/CN=${cn}::${where}/CN=ca.${c.domain}`);
    });
  }

  it('returns null attributes for a peer certificate, which carries none', () => {
    const node = orgByMspId(layout, 'Lab1MSP').peers[0];
    const cid = new ClientIdentity(stubFor('Lab1MSP', readFileSync(node?.signCertFile ?? '', 'utf8')));
    expect(cid.getAttributeValue('veriscan.job')).to.equal(null);
    expect(cid.getID()).to.equal(
      'x509::/C=US/ST=California/L=San Francisco/O=lab-1.veriscan.local/OU=peer/CN=peer0.lab-1.veriscan.local::/C=US/ST=California/L=San Francisco/O=lab-1.veriscan.local/CN=ca.lab-1.veriscan.local',
    );
  });
});
