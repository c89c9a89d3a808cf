import { expect } from 'chai';
import { ENDORSEMENT_POLICY, ENDORSEMENT_POLICY_REF, PEER_ORGS } from '@veriscan/fabric-kit';
import {
  isPolicyReference,
  resolvePolicyReference,
} from '../../../../network/devnet/src/channelconfig/reference-policy';
import { parseSignaturePolicy, requiredOrgs } from '../../../../network/devnet/src/policy';
import { NEW_ORG, channelFixture, withOrg } from '../configtx/support/channel';

describe('a chaincode policy given as a channel configuration reference', function () {
  this.timeout(30_000);

  it('tells a reference from a signature policy', () => {
    expect(isPolicyReference(ENDORSEMENT_POLICY_REF)).to.equal(true);
    expect(isPolicyReference(ENDORSEMENT_POLICY)).to.equal(false);
  });

  it("resolves /Channel/Application/VeriscanEndorsement in block 0 to the table's MAJORITY: three of the four endorsing orgs", async () => {
    const { genesis } = await channelFixture();
    const resolved = resolvePolicyReference(genesis, ENDORSEMENT_POLICY_REF);
    expect(resolved).to.match(/^OutOf\(3,/);
    const [own] = PEER_ORGS;
    expect(requiredOrgs(parseSignaturePolicy(resolved), { preferOrg: own?.mspId })).to.deep.equal(
      requiredOrgs(parseSignaturePolicy(ENDORSEMENT_POLICY), { preferOrg: own?.mspId }),
    );
  });

  it('counts an org added by a configuration update at once (four of six sub-policies)', async () => {
    const { genesis, newOrg } = await channelFixture();
    const resolved = resolvePolicyReference(
      withOrg(genesis, NEW_ORG.orgName, newOrg.group),
      ENDORSEMENT_POLICY_REF,
    );
    expect(resolved).to.match(/^OutOf\(4,/);
    expect(resolved).to.include(`'${NEW_ORG.mspId}.peer'`);
  });

  it('refuses a path that names no policy', async () => {
    const { genesis } = await channelFixture();
    expect(() => resolvePolicyReference(genesis, '/Channel/Application/NoSuchPolicy')).to.throw(
      /is not defined/,
    );
    expect(() => resolvePolicyReference(genesis, '/Nothing/Here')).to.throw(
      /not a channel configuration policy path/,
    );
  });
});
