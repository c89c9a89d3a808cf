/**
 * Governance on the network: no single admin changes the consortium. Rule changes, suspension and
 * reinstatement take effect only once a majority of the voting institutions approved, each through
 * its own admin and its own peer; the regulator watches every proposal and votes on none.
 */
import { expect } from 'chai';
import {
  Clients,
  expectChaincodeCode,
  govern,
  newScan,
  parseObjectBytes,
  propose,
  requestInference,
  runSuffix,
  setUpModel,
  vote,
  numberField,
  objectsField,
  stringField,
  type TestModel,
} from './support/consortium';
import { Tx } from '@veriscan/ledger-api';

describe('Governance on the network: proposals, votes and their effects', function () {
  this.timeout(240_000);
  const clients = new Clients();
  const run = runSuffix();

  after(() => {
    clients.close();
  });

  async function auctionWindow(): Promise<number> {
    return numberField(
      parseObjectBytes(await clients.contract('regulator-1').evaluateTransaction(Tx.GetConfig)),
      'auctionWindowMs',
    );
  }

  it('leaves one admin changing a rule with a pending proposal, and applies it at the majority', async () => {
    const before = await auctionWindow();
    const target = before === 5_000 ? 6_000 : 5_000;
    // The reproduction of issue 12: one lab admin alone tried to change a consortium rule.
    const opened = await propose(clients, 'lab-1-admin', {
      kind: 'config',
      patch: { auctionWindowMs: target },
    });
    expect(opened).to.include({ status: 'open', required: 3 });
    expect(opened.electorate).to.deep.equal(['hospital-a', 'hospital-b', 'lab-1', 'lab-2']);
    expect(await auctionWindow()).to.equal(before);
    // The regulator watches it, and may not vote.
    const open = parseObjectBytes(
      await clients.contract('regulator-1').evaluateTransaction(Tx.ListProposals, '{"status":"open"}'),
    );
    expect(objectsField(open, 'proposals').map((p) => stringField(p, 'proposalId'))).to.include(
      opened.proposalId,
    );
    await expectChaincodeCode(
      clients.contract('regulator-1-admin').submitTransaction(Tx.Vote, opened.proposalId, 'approve'),
      'FORBIDDEN',
    );
    expect(await vote(clients, 'hospital-a-admin', opened.proposalId, true)).to.include({ status: 'open' });
    expect(await auctionWindow()).to.equal(before);
    expect(await vote(clients, 'lab-2-admin', opened.proposalId, true)).to.include({ status: 'approved' });
    expect(await auctionWindow()).to.equal(target);
    // Put it back, by vote again.
    expect(
      await govern(clients, 'hospital-b-admin', { kind: 'config', patch: { auctionWindowMs: before } }),
    ).to.include({ status: 'approved' });
  });

  it('has no transaction by which one admin could change a rule, suspend a member or resolve a dispute', async () => {
    for (const fn of ['Config:SetConfig', 'Membership:SuspendMember', 'Requests:ResolveDispute']) {
      const error = await clients
        .contract('lab-1-admin')
        .submitTransaction(fn, '{}')
        .then(() => null)
        .catch((e: unknown) => e);
      expect(error, fn).to.be.instanceOf(Error);
    }
  });

  describe('suspension and reinstatement of hospital-b', () => {
    let model: TestModel;

    before(async () => {
      model = await setUpModel(clients, run);
    });

    it("refuses hospital-b's next request once a majority suspended it, and accepts it again once reinstated", async () => {
      await requestInference(clients, 'hospital-b', newScan(`gov-${run}-1`, model));
      const suspended = await govern(clients, 'hospital-a-admin', {
        kind: 'suspend',
        memberId: 'hospital-b',
      });
      expect(suspended).to.include({ status: 'approved' });
      await expectChaincodeCode(
        clients
          .contract('hospital-b')
          .submitTransaction(Tx.RequestInference, newScan(`gov-${run}-2`, model).argument),
        'FORBIDDEN',
      );
      // A suspended institution's admin no longer votes either.
      const reinstated = await govern(clients, 'lab-1-admin', { kind: 'reinstate', memberId: 'hospital-b' });
      expect(reinstated).to.include({ status: 'approved' });
      expect(reinstated.electorate).to.deep.equal(['hospital-a', 'lab-1', 'lab-2']);
      const again = await requestInference(clients, 'hospital-b', newScan(`gov-${run}-3`, model));
      expect(stringField(again, 'hospitalId')).to.equal('hospital-b');
      const member = parseObjectBytes(
        await clients.contract('regulator-1').evaluateTransaction(Tx.GetMember, 'hospital-b'),
      );
      expect(stringField(member, 'status')).to.equal('active');
    });
  });
});
