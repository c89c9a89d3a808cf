/**
 * Blocks as a regulator sees them: delivered by its peer through fabric-gateway's block events,
 * checked offline (hash chain, data hash, orderer signature) by the audit code, with the peer's
 * validation codes in filtered blocks.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { checkBlocks, loadConfig, loadTrust } from '@veriscan/devnet';
import {
  ORDERER_ORG,
  connectGateway,
  cryptoLayout,
  peerName,
  peerOrgByKey,
  serializeIdentity,
} from '@veriscan/fabric-kit';
import { profile } from '../support/network';
import { Tx } from '@veriscan/ledger-api';

/** Consenter ids as network/fabric's configtx assigns them for SmartBFT: orderer<i> is id i+1. */
function bftConsenters(): Map<number, Uint8Array> {
  const orderers =
    cryptoLayout(loadConfig().cryptoDir).orgs.find((o) => o.mspId === ORDERER_ORG.mspId)?.orderers ?? [];
  return new Map(
    orderers.map((o, i) => [
      i + 1,
      serializeIdentity(ORDERER_ORG.mspId, readFileSync(o.signCertFile, 'utf8')),
    ]),
  );
}

describe('blocks delivered to the regulator', function () {
  this.timeout(60_000);

  it('form a hash chain with valid data hashes and orderer signatures from block 0', async () => {
    const writer = connectGateway(profile(), 'hospital-a');
    const regulator = connectGateway(profile(), 'regulator-1', peerName(peerOrgByKey('regulator-1')));
    try {
      const status = await (
        await writer.gateway
          .getNetwork(profile().channel)
          .getContract('veriscan')
          .submitAsync(Tx.PutProbe, { arguments: [`audit-${randomUUID()}`, 'x'] })
      ).getStatus();
      const last = Number(status.blockNumber);
      const blocks: Uint8Array[] = [];
      const events = await regulator.gateway.getNetwork(profile().channel).getBlockEvents({ startBlock: 0n });
      try {
        for await (const block of events) {
          blocks.push(block.serializeBinary());
          if ((block.getHeader()?.getNumber() ?? -1) >= last) break;
        }
      } finally {
        events.close();
      }
      expect(blocks).to.have.length(last + 1);
      const { identities } = await loadTrust(loadConfig().cryptoDir);
      const checks = checkBlocks(blocks, identities, { consenters: bftConsenters() });
      expect(checks.filter((c) => !c.ok)).to.deep.equal([]);
      // Every block but the genesis config block carries an orderer signature.
      expect(checks.filter((c) => c.name === 'orderer-signature')).to.have.length(last);
      expect(checks.filter((c) => c.name === 'previous-hash')).to.have.length(last);
    } finally {
      writer.close();
      regulator.close();
    }
  });

  it('report each transaction with its validation code in filtered blocks', async () => {
    const writer = connectGateway(profile(), 'hospital-a');
    try {
      const network = writer.gateway.getNetwork(profile().channel);
      const submitted = await network
        .getContract('veriscan')
        .submitAsync(Tx.PutProbe, { arguments: [`filtered-${randomUUID()}`, 'x'] });
      const status = await submitted.getStatus();
      const events = await network.getFilteredBlockEvents({ startBlock: status.blockNumber });
      try {
        for await (const block of events) {
          const txs = block.getFilteredTransactionsList();
          const mine = txs.find((t) => t.getTxid() === submitted.getTransactionId());
          expect(mine?.getTxValidationCode()).to.equal(0);
          break;
        }
      } finally {
        events.close();
      }
    } finally {
      writer.close();
    }
  });
});
