/** Mocha root hooks: one network for the whole integration suite, with the demo consortium active. */
import { setupConsortium } from '../../../scripts/setup-consortium';
import { ensureNetwork, profile, stopNetworkIfStartedBySuite } from './network';

export const mochaHooks = {
  async beforeAll(this: Mocha.Context): Promise<void> {
    this.timeout(180_000);
    ensureNetwork();
    // Idempotent: bootstraps the demo members on a fresh ledger, does nothing on a ready one.
    await setupConsortium({
      profile: profile(),
      log: (line) => void process.stdout.write(`  consortium: ${line}\n`),
    });
  },
  afterAll(this: Mocha.Context): void {
    this.timeout(60_000);
    stopNetworkIfStartedBySuite();
  },
};
