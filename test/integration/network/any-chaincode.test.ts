/**
 * The devnet as a general Fabric dev network: its `deploy` command runs any fabric-contract-api
 * chaincode as a service, one server per peer org as Fabric's chaincode-as-a-service does, and
 * defines it with its own endorsement policy.
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { expect } from 'chai';
import {
  connectGateway,
  ENDORSEMENT_POLICY,
  ENDORSING_MSPS,
  orgsOfRole,
  PEER_ORGS,
  peerName,
} from '@veriscan/fabric-kit';
import { networkKind, profile } from '../support/network';

const repoRoot = join(__dirname, '..', '..', '..');
const counterPath = join(repoRoot, 'test', 'fixtures', 'chaincode', 'counter');

function deploy(name: string, policy: string): void {
  execFileSync(
    process.execPath,
    [
      join(repoRoot, 'network', 'devnet', 'dist', 'cli', 'main.js'),
      'deploy',
      '--name',
      name,
      '--path',
      counterPath,
      '--policy',
      policy,
    ],
    { stdio: 'pipe' },
  );
}

describe('deploying a chaincode that is not Veriscan (devnet only: deploy is a devnet CLI command)', function () {
  this.timeout(60_000);

  before(function () {
    if (networkKind !== 'devnet') this.skip();
  });

  it('runs a plain JavaScript contract endorsed by a single org under OR(every endorsing org) (skipped on real Fabric: deploy is a devnet CLI command)', async () => {
    deploy('counter', `OR(${ENDORSING_MSPS.map((msp) => `'${msp}.peer'`).join(',')})`);
    const [lab] = orgsOfRole('lab');
    if (lab === undefined) throw new Error('the consortium has no lab');
    const connection = connectGateway(profile(), lab.key);
    try {
      const contract = connection.gateway.getNetwork(profile().channel).getContract('counter');
      const name = `c-${randomUUID()}`;
      // One org is enough for OR(...): endorse on the lab's peer alone.
      const submitted = await (
        await contract
          .newProposal('Counter:Increment', { arguments: [name], endorsingOrganizations: [lab.mspId] })
          .endorse()
      ).submit();
      expect((await submitted.getStatus()).code).to.equal(0);
      expect(Buffer.from(await contract.evaluateTransaction('Counter:Get', name)).toString()).to.equal('1');
    } finally {
      connection.close();
    }
  });

  it("answers getMspID() with the endorsing peer's org on every peer: each org runs its own server (skipped on real Fabric: deploy is a devnet CLI command)", async () => {
    deploy('counter', `OR(${ENDORSING_MSPS.map((msp) => `'${msp}.peer'`).join(',')})`);
    const [first] = PEER_ORGS;
    if (first === undefined) throw new Error('the consortium has no peer org');
    const connection = connectGateway(profile(), first.key);
    try {
      const contract = connection.gateway.getNetwork(profile().channel).getContract('counter');
      for (const org of PEER_ORGS) {
        // The gateway sends an evaluation for a target org to that org's peer.
        const result = await contract
          .newProposal('Counter:LocalMspId', { endorsingOrganizations: [org.mspId] })
          .evaluate();
        expect(Buffer.from(result).toString(), `evaluated on ${peerName(org)}`).to.equal(org.mspId);
      }
    } finally {
      connection.close();
    }
  });

  it("commits under the consortium's MAJORITY policy from every org's gateway, the regulator's included (skipped on real Fabric: deploy is a devnet CLI command)", async () => {
    deploy('counter-majority', ENDORSEMENT_POLICY);
    for (const org of PEER_ORGS) {
      const connection = connectGateway(profile(), org.key);
      try {
        const contract = connection.gateway.getNetwork(profile().channel).getContract('counter-majority');
        const name = `m-${randomUUID()}`;
        // No orgs named: the gateway plans the endorsers from the policy, as Fabric's does.
        const submitted = await contract.submitAsync('Counter:Increment', { arguments: [name] });
        const status = await submitted.getStatus();
        expect(status.code, `submitted through ${peerName(org)}`).to.equal(0);
      } finally {
        connection.close();
      }
    }
  });
});
