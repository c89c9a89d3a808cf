import { Context } from 'fabric-contract-api';

/**
 * The transaction context of every Veriscan contract. It adds the endorsing node's wall clock,
 * which is read only to refuse transaction timestamps far from it (a client chooses its own
 * timestamp) and is never written to state, so endorsements stay byte-identical across peers.
 * Tests subclass it with a fixed clock.
 */
export class VeriscanContext extends Context {
  /** Milliseconds since the epoch on the node running the chaincode. */
  peerNowMs(): number {
    return Date.now();
  }
}
