import { expect } from 'chai';
import { msp } from '@hyperledger/fabric-protos';
import { MspError, nodeOusConfigYaml, verifyingMspConfig } from '@veriscan/fabric-kit';
import { memoryMaterial, pem } from './support/memory-material';

const DIR = '/crypto/org/msp';
const text = (bytes: Uint8Array): string => Buffer.from(bytes).toString();

function fabricConfig(value: msp.MSPConfig): msp.FabricMSPConfig {
  return msp.FabricMSPConfig.deserializeBinary(value.getConfig_asU8());
}

function refusal(run: () => unknown): MspError {
  try {
    run();
  } catch (error) {
    if (error instanceof MspError) return error;
    throw error;
  }
  throw new TypeError('accepted');
}

describe("an org's MSP value, as msp.GetVerifyingMspConfig reads the folder", () => {
  const cryptogenFolder = {
    [`${DIR}/cacerts/ca-cert.pem`]: pem('ca'),
    [`${DIR}/tlscacerts/tlsca-cert.pem`]: pem('tlsca'),
    [`${DIR}/config.yaml`]: nodeOusConfigYaml('cacerts/ca-cert.pem'),
  };

  it('holds the name, root and TLS root certificates, NodeOUs with their certificate, SHA2/SHA256 and no signer', () => {
    const value = verifyingMspConfig(memoryMaterial(cryptogenFolder, [`${DIR}/admincerts`]), DIR, 'AlphaMSP');
    expect(value.getType()).to.equal(0);
    const config = fabricConfig(value);
    expect(config.getName()).to.equal('AlphaMSP');
    expect(config.getRootCertsList_asU8().map(text)).to.deep.equal([pem('ca')]);
    expect(config.getTlsRootCertsList_asU8().map(text)).to.deep.equal([pem('tlsca')]);
    expect(config.getAdminsList()).to.deep.equal([]);
    expect(config.getIntermediateCertsList()).to.deep.equal([]);
    expect(config.getRevocationListList()).to.deep.equal([]);
    expect(config.hasSigningIdentity()).to.equal(false);
    expect(config.getCryptoConfig()?.toObject()).to.deep.equal({
      signatureHashFamily: 'SHA2',
      identityIdentifierHashFunction: 'SHA256',
    });
    const ous = config.getFabricNodeOus();
    expect(ous?.getEnable()).to.equal(true);
    for (const [ou, name] of [
      [ous?.getClientOuIdentifier(), 'client'],
      [ous?.getPeerOuIdentifier(), 'peer'],
      [ous?.getAdminOuIdentifier(), 'admin'],
      [ous?.getOrdererOuIdentifier(), 'orderer'],
    ] as const) {
      expect(ou?.getOrganizationalUnitIdentifier()).to.equal(name);
      expect(text(ou?.getCertificate_asU8() ?? new Uint8Array())).to.equal(pem('ca'));
    }
  });

  it('takes every PEM file of a folder in name order, whole, and skips the others', () => {
    const value = verifyingMspConfig(
      memoryMaterial({
        [`${DIR}/cacerts/b.pem`]: pem('b'),
        [`${DIR}/cacerts/a.pem`]: `comment before\n${pem('a')}`,
        [`${DIR}/cacerts/readme.txt`]: 'not a certificate',
        [`${DIR}/intermediatecerts/i.pem`]: pem('i'),
        [`${DIR}/admincerts/admin.pem`]: pem('admin'),
        [`${DIR}/crls/crl.pem`]: pem('crl'),
      }),
      DIR,
      'AlphaMSP',
    );
    const config = fabricConfig(value);
    expect(config.getRootCertsList_asU8().map(text)).to.deep.equal([`comment before\n${pem('a')}`, pem('b')]);
    expect(config.getIntermediateCertsList_asU8().map(text)).to.deep.equal([pem('i')]);
    expect(config.getAdminsList_asU8().map(text)).to.deep.equal([pem('admin')]);
    expect(config.getRevocationListList_asU8().map(text)).to.deep.equal([pem('crl')]);
    expect(config.getTlsRootCertsList()).to.deep.equal([]);
    expect(config.hasFabricNodeOus()).to.equal(false);
  });

  it('reads TLS intermediates only when there are TLS roots, as Fabric does', () => {
    const intermediates = {
      [`${DIR}/cacerts/ca.pem`]: pem('ca'),
      [`${DIR}/tlsintermediatecerts/t.pem`]: pem('t'),
    };
    expect(
      fabricConfig(verifyingMspConfig(memoryMaterial(intermediates), DIR, 'A')).getTlsIntermediateCertsList(),
    ).to.deep.equal([]);
    const withRoots = { ...intermediates, [`${DIR}/tlscacerts/tls.pem`]: pem('tls') };
    expect(
      fabricConfig(verifyingMspConfig(memoryMaterial(withRoots), DIR, 'A'))
        .getTlsIntermediateCertsList_asU8()
        .map(text),
    ).to.deep.equal([pem('t')]);
  });

  it('leaves NodeOUs out when config.yaml disables them, and an OU without certificate file without one', () => {
    const disabled = { ...cryptogenFolder, [`${DIR}/config.yaml`]: 'NodeOUs:\n  Enable: false\n' };
    expect(fabricConfig(verifyingMspConfig(memoryMaterial(disabled), DIR, 'A')).hasFabricNodeOus()).to.equal(
      false,
    );
    const noCertificate = {
      ...cryptogenFolder,
      [`${DIR}/config.yaml`]:
        'NodeOUs:\n  Enable: true\n  PeerOUIdentifier:\n    OrganizationalUnitIdentifier: peer\n    Certificate: cacerts/gone.pem\n',
    };
    const ous = fabricConfig(verifyingMspConfig(memoryMaterial(noCertificate), DIR, 'A')).getFabricNodeOus();
    expect(ous?.getPeerOuIdentifier()?.getOrganizationalUnitIdentifier()).to.equal('peer');
    expect(ous?.getPeerOuIdentifier()?.getCertificate()).to.have.length(0);
    expect(ous?.hasClientOuIdentifier()).to.equal(false);
  });

  it('refuses a folder without CA certificate and a config.yaml with OrganizationalUnitIdentifiers', () => {
    const noCa = refusal(() =>
      verifyingMspConfig(memoryMaterial({ [`${DIR}/tlscacerts/t.pem`]: pem('t') }), DIR, 'A'),
    );
    expect([noCa.code, noCa.mspId]).to.deep.equal(['MSP_CONFIG', 'A']);
    const ouis = {
      ...cryptogenFolder,
      [`${DIR}/config.yaml`]: 'OrganizationalUnitIdentifiers:\n  - Certificate: cacerts/ca-cert.pem\n',
    };
    expect(refusal(() => verifyingMspConfig(memoryMaterial(ouis), DIR, 'A')).code).to.equal('MSP_CONFIG');
  });
});
