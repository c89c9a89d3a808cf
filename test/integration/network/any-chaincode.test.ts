/**
 * The devnet as a general Fabric dev network: its `deploy` command runs any fabric-contract-api
 * chaincode as a service and defines it with its own endorsement policy.
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { expect } from 'chai';
import { connectGateway, ENDORSING_MSPS, orgOfRole } from '@veriscan/fabric-kit';
import { networkKind, profile } from '../support/network';

const repoRoot = join(__dirname, '..', '..', '..');

describe('deploying a chaincode that is not Veriscan (devnet only: deploy is a devnet CLI command)', function () {
  this.timeout(60_000);

  before(function () {
    if (networkKind !== 'devnet') this.skip();
  });

  it('runs a plain JavaScript contract endorsed by a single org under OR(Hospital, Lab)', async () => {
    execFileSync(
      process.execPath,
      [
        join(repoRoot, 'network', 'devnet', 'dist', 'cli', 'main.js'),
        'deploy',
        '--name',
        'counter',
        '--path',
        join(repoRoot, 'test', 'fixtures', 'chaincode', 'counter'),
        '--policy',
        `OR(${ENDORSING_MSPS.map((msp) => `'${msp}.peer'`).join(',')})`,
      ],
      { stdio: 'pipe' },
    );
    const connection = connectGateway(profile(), 'lab-1');
    try {
      const contract = connection.gateway.getNetwork(profile().channel).getContract('counter');
      const name = `c-${randomUUID()}`;
      // One org is enough for OR(...): endorse on the Lab peer alone.
      const submitted = await (
        await contract
          .newProposal('Counter:Increment', {
            arguments: [name],
            endorsingOrganizations: [orgOfRole('lab').mspId],
          })
          .endorse()
      ).submit();
      expect((await submitted.getStatus()).code).to.equal(0);
      expect(Buffer.from(await contract.evaluateTransaction('Counter:Get', name)).toString()).to.equal('1');
    } finally {
      connection.close();
    }
  });
});
