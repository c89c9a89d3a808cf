import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { msp } from '@hyperledger/fabric-protos';
import {
  MspError,
  PEER_ORGS,
  fileSystemMaterial,
  mspFromChannelConfig,
  orgByMspId,
  serializeIdentity,
  verifyingMspConfig,
  type OrgMaterial,
} from '@veriscan/fabric-kit';
import { sharedMaterial } from '../msp/support/material';

function refusal(run: () => unknown): MspError {
  try {
    run();
  } catch (error) {
    if (error instanceof MspError) return error;
    throw error;
  }
  throw new TypeError('accepted');
}

/** `value` with its FabricMSPConfig changed by `edit`. */
function edited(value: msp.MSPConfig, edit: (config: msp.FabricMSPConfig) => void): msp.MSPConfig {
  const config = msp.FabricMSPConfig.deserializeBinary(value.getConfig_asU8());
  edit(config);
  const copy = msp.MSPConfig.deserializeBinary(value.serializeBinary());
  copy.setConfig(config.serializeBinary());
  return copy;
}

describe("an MSP built from a channel configuration's MSP value", function () {
  this.timeout(20_000);
  let org: OrgMaterial;
  let value: msp.MSPConfig;

  before(async () => {
    const [first] = PEER_ORGS;
    if (first === undefined) throw new TypeError('no peer org');
    org = orgByMspId((await sharedMaterial()).layout, first.mspId);
    value = verifyingMspConfig(fileSystemMaterial(), org.mspDir, org.mspId);
  });

  it('validates the org’s identities with their NodeOU roles and keeps its TLS roots', () => {
    const built = mspFromChannelConfig(value);
    expect(built.mspId).to.equal(org.mspId);
    expect(built.tlsRootCerts).to.deep.equal([readFileSync(org.tlsCaCertFile, 'utf8')]);
    const admin = org.users.find((u) => u.nodeOu === 'admin');
    const peer = org.peers[0];
    if (admin === undefined || peer === undefined) throw new TypeError('no admin or peer');
    const identity = (file: string) => serializeIdentity(org.mspId, readFileSync(file, 'utf8'));
    expect(built.deserialize(identity(admin.signCertFile)).role).to.equal('admin');
    expect(built.deserialize(identity(peer.signCertFile)).role).to.equal('peer');
  });

  it('refuses what the devnet MSP does not implement, naming it', () => {
    const admins = edited(value, (c) => {
      c.setAdminsList([Buffer.from('admin')]);
    });
    expect(refusal(() => mspFromChannelConfig(admins)).message).to.equal(
      `MSP ${org.mspId}: admincerts are not supported by the devnet (use the admin NodeOU)`,
    );
    const noOus = edited(value, (c) => {
      c.clearFabricNodeOus();
    });
    expect(refusal(() => mspFromChannelConfig(noOus)).message).to.equal(
      `MSP ${org.mspId}: NodeOUs must be enabled`,
    );
    const idemix = msp.MSPConfig.deserializeBinary(value.serializeBinary());
    idemix.setType(1);
    expect(refusal(() => mspFromChannelConfig(idemix)).code).to.equal('MSP_CONFIG');
  });

  it('refuses an MSP without a root CA, as Fabric’s setupCAs does', () => {
    const rootless = edited(value, (c) => {
      c.setRootCertsList([]);
    });
    expect(refusal(() => mspFromChannelConfig(rootless)).message).to.equal(
      'expected at least one CA certificate',
    );
  });
});
