/** Mocha root hooks: one network for the whole integration suite. */
import { ensureNetwork, stopNetworkIfStartedBySuite } from './network';

export const mochaHooks = {
  beforeAll(this: Mocha.Context): void {
    this.timeout(180_000);
    ensureNetwork();
  },
  afterAll(this: Mocha.Context): void {
    this.timeout(60_000);
    stopNetworkIfStartedBySuite();
  },
};
