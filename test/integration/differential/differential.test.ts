/**
 * The differential test: the same scripted sequence on the devnet and on real Fabric, compared
 * outcome by outcome (validation codes, payloads, error codes and messages, events, final state).
 * Runs in `npm run test:fabric`, where real Fabric is the suite's network and a devnet is started
 * beside it in its own state folder and ports.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { expect } from 'chai';
import { loadConfig } from '@veriscan/devnet';
import { readNetworkProfile } from '@veriscan/fabric-kit';
import { KNOWN_DIFFERENCES } from '../../differential/known-differences';
import { runScenario } from '../../differential/scenario';
import { setupConsortium } from '../../../scripts/setup-consortium';
import { networkKind, profile } from '../support/network';

const repoRoot = join(__dirname, '..', '..', '..');

describe('differential: devnet against real Fabric (needs real Fabric: runs in npm run test:fabric)', function () {
  this.timeout(300_000);
  const home = join(loadConfig().stateDir, 'differential-devnet');
  const env = {
    ...process.env,
    VERISCAN_HOME: home,
    VERISCAN_DEVNET_PORT_BASE: '27050',
    VERISCAN_NETWORK: 'devnet',
  };
  const devnet = (args: readonly string[]): void => {
    execFileSync(process.execPath, [join(repoRoot, 'network', 'devnet', 'dist', 'cli', 'main.js'), ...args], {
      env,
      stdio: 'pipe',
    });
  };

  before(async function () {
    if (networkKind !== 'fabric') this.skip();
    devnet(['up']);
    const cc = loadConfig(env).veriscanChaincode;
    devnet(['deploy', '--name', cc.name, '--path', cc.path, '--policy', cc.policy]);
    // The scenario writes as members, as on the suite's network (the root hook set that one up).
    await setupConsortium({ profile: readNetworkProfile(join(home, 'network.json')), log: () => undefined });
  });

  after(() => {
    if (networkKind === 'fabric') devnet(['down']);
  });

  it('gives the same outcome for every step of the scenario, or one listed with its reason (skipped on the devnet: needs real Fabric, runs in npm run test:fabric)', async () => {
    const onFabric = await runScenario(profile());
    const onDevnet = await runScenario(readNetworkProfile(join(home, 'network.json')));
    expect(onDevnet.map((e) => e.step)).to.deep.equal(onFabric.map((e) => e.step));
    const differing = onFabric
      .map((entry, i) => ({ step: entry.step, fabric: entry.outcome, devnet: onDevnet[i]?.outcome }))
      .filter((d) => JSON.stringify(d.fabric) !== JSON.stringify(d.devnet));
    process.stdout.write(`      differential: ${onFabric.length} steps, ${differing.length} differences\n`);
    for (const d of differing)
      process.stdout.write(
        `      - ${d.step}: fabric ${JSON.stringify(d.fabric)} devnet ${JSON.stringify(d.devnet)}\n`,
      );
    expect(differing.filter((d) => !(d.step in KNOWN_DIFFERENCES))).to.deep.equal([]);
  });
});
