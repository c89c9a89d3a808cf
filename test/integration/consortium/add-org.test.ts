/**
 * `npm run consortium -- add-org`: a hospital joins a running network the way fabric-samples'
 * addOrg3 adds Org3 — its own crypto material, a channel configuration update signed by a majority
 * of the org admins, its peer started and joined, the chaincode served for it — and is admitted by the
 * consortium's vote; it then transacts, and is suspended by vote. Adding an org changes the channel for
 * good: on the devnet this runs on a devnet of its own (its own state folder and ports) beside the
 * suite's; on real Fabric, whose ports are fixed, on the suite's network, which `npm run test:fabric`
 * runs this file against last.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import type { Contract } from '@hyperledger/fabric-gateway';
import { loadConfig } from '@veriscan/devnet';
import {
  connectGateway,
  findBlock,
  readAddedOrgs,
  readNetworkProfile,
  type GatewayConnection,
  type NetworkProfile,
} from '@veriscan/fabric-kit';
import { Tx, parseChaincodeError } from '@veriscan/ledger-api';
import { commitScan, newSalt, toSha256Hex } from '@veriscan/protocol';
import { Admins, govern, setupConsortium } from '../../../scripts/setup-consortium';
import { networkKind } from '../support/network';

const repoRoot = join(__dirname, '..', '..', '..');

describe('consortium add-org: hospital-c joins a running network, is admitted by vote, transacts and is suspended by vote', function () {
  this.timeout(600_000);
  const onFabric = networkKind === 'fabric';
  const suiteHome = loadConfig().stateDir;
  const home = onFabric ? suiteHome : join(suiteHome, 'add-org-devnet');
  const env = onFabric
    ? { ...process.env }
    : {
        ...process.env,
        VERISCAN_HOME: home,
        VERISCAN_DEVNET_PORT_BASE: '22050',
        VERISCAN_NETWORK: 'devnet',
      };
  const devnet = (args: readonly string[]): string =>
    execFileSync(process.execPath, [join(repoRoot, 'network', 'devnet', 'dist', 'cli', 'main.js'), ...args], {
      env,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  const profileFile = join(home, 'network.json');
  const open: GatewayConnection[] = [];
  const contract = (p: NetworkProfile, identity: string): Contract => {
    const connection = connectGateway(p, identity);
    open.push(connection);
    return connection.gateway.getNetwork(p.channel).getContract('veriscan');
  };
  /** Submits as `identity` and waits until every peer of `p` committed the block (each identity reads its own peer). */
  const submitAll = async (
    p: NetworkProfile,
    identity: string,
    tx: string,
    ...args: string[]
  ): Promise<Uint8Array> => {
    const submitted = await contract(p, identity).submitAsync(tx, { arguments: args });
    const status = await submitted.getStatus();
    expect(status.successful, `${tx} ${submitted.getTransactionId()} code ${status.code}`).to.equal(true);
    await Promise.all(
      Object.keys(p.peers).map((peer) => {
        const reader = Object.entries(p.identities).find(([, id]) => id.peer === peer)?.[0] ?? identity;
        return findBlock(p, reader, status.blockNumber, () => true);
      }),
    );
    return submitted.getResult();
  };

  before(async function () {
    if (onFabric) {
      // The suite's network: hospital-c can join it once (clean the network to run this again).
      if (readAddedOrgs(home).some((o) => o.key === 'hospital-c')) this.skip();
      return;
    }
    rmSync(home, { recursive: true, force: true });
    devnet(['up']);
    const cc = loadConfig(env).veriscanChaincode;
    devnet(['deploy', '--name', cc.name, '--path', cc.path, '--policy', cc.policy]);
    await setupConsortium({ profile: readNetworkProfile(profileFile), log: () => undefined });
  });

  after(() => {
    for (const c of open) c.close();
    if (!onFabric) devnet(['down']);
  });

  it('adds hospital-c end to end, and its requests are accepted until the consortium suspends it (on real Fabric, skipped when hospital-c already joined that network: clean it to run again)', async () => {
    const output = execFileSync(
      process.execPath,
      [
        '--import',
        'tsx',
        join(repoRoot, 'scripts', 'consortium.ts'),
        'add-org',
        'hospital-c',
        '--kind',
        'hospital',
      ],
      { cwd: repoRoot, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
    );
    expect(output).to.match(/\[2\/4\][\s\S]*accepted by the orderer[\s\S]*hospital-c admitted/);

    const p = readNetworkProfile(profileFile);
    const whoami = JSON.parse(
      Buffer.from(await contract(p, 'hospital-c').evaluateTransaction(Tx.Whoami)).toString('utf8'),
    ) as Record<string, unknown>;
    expect(whoami).to.deep.equal({
      mspId: 'HospitalCMSP',
      job: 'clinician',
      memberId: 'hospital-c',
      role: 'hospital',
    });

    // A model the consortium approves (3 of the 5 voting institutions now) and both labs serve.
    const suffix = randomBytes(4).toString('hex');
    const model = { id: `join-${suffix}`, version: '1.0.0' };
    await submitAll(
      p,
      'lab-1',
      Tx.ProposeModel,
      JSON.stringify({
        modelId: model.id,
        version: model.version,
        onnxSha256: toSha256Hex(randomBytes(32)),
        input: { width: 4, height: 4, channels: 1, normalisation: { mode: 'min-max' } },
        output: { kind: 'mask', classes: ['background', 'grey', 'white', 'csf'] },
        licence: 'CC-BY-4.0',
        description: 'add-org test model (no file behind the hash)',
      }),
    );
    for (const admin of ['hospital-a-admin', 'hospital-b-admin', 'hospital-c-admin'])
      await submitAll(p, admin, Tx.ApproveModel, model.id, model.version);
    for (const lab of ['lab-1', 'lab-2'])
      await submitAll(p, lab, Tx.DeclareCapacity, `${model.id}@${model.version}`, '4');

    const request = (id: string): string => {
      const image = {
        width: 4,
        height: 4,
        channels: 1 as const,
        bitDepth: 8 as const,
        data: Uint8Array.from(randomBytes(16)),
      };
      const { scanCommitment, tileRootCommitment } = commitScan(
        image,
        newSalt((n) => randomBytes(n)),
        2,
      );
      return JSON.stringify({
        requestId: id,
        scanCommitment,
        tileRootCommitment,
        modelRef: `${model.id}@${model.version}`,
        priority: 'routine',
      });
    };
    const accepted = JSON.parse(
      Buffer.from(
        await contract(p, 'hospital-c').submitTransaction(Tx.RequestInference, request(`c-${suffix}-1`)),
      ).toString('utf8'),
    ) as Record<string, unknown>;
    expect(accepted).to.include({ hospitalId: 'hospital-c', status: 'assigned' });

    const admins = new Admins(p);
    try {
      await govern(admins, 'hospital-c', { kind: 'suspend', memberId: 'hospital-c' }, [], () => undefined);
    } finally {
      admins.close();
    }
    const refused = await contract(p, 'hospital-c')
      .submitTransaction(Tx.RequestInference, request(`c-${suffix}-2`))
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    expect(parseChaincodeError(refused)?.code).to.equal('FORBIDDEN');
  });
});
