/** The consortium set-up that `npm start` and the suite's root hook run, on the real network. */
import { expect } from 'chai';
import { loadConsortiumConfig, setupConsortium } from '../../../scripts/setup-consortium';
import { profile } from '../support/network';
import { Clients, parseObjectBytes, stringField } from './support/consortium';
import { Tx } from '@veriscan/ledger-api';

describe('Consortium set-up (scripts/setup-consortium.ts)', function () {
  this.timeout(60_000);
  const clients = new Clients();
  const quiet = (): void => undefined;

  after(() => {
    clients.close();
  });

  it('submits nothing when the demo members are already active, and reports them active', async () => {
    // The root hook ran it once already.
    const report = await setupConsortium({ profile: profile(), log: quiet });
    expect(report.actions).to.deep.equal([]);
    expect(report.members.map((m) => `${m.memberId}:${m.status}`)).to.deep.equal([
      'hospital-a:active',
      'hospital-b:active',
      'lab-1:active',
      'lab-2:active',
      'regulator-1:active',
    ]);
  });

  it('moves a hospital endpoint changed on the ledger back to the configured URL', async () => {
    const configured = loadConsortiumConfig().endpoints['hospital-b'];
    await clients
      .contract('hospital-b-admin')
      .submitTransaction(Tx.SetMemberEndpoint, 'hospital-b', 'http://192.0.2.10:9000/elsewhere');
    const report = await setupConsortium({ profile: profile(), log: quiet });
    expect(report.actions).to.deep.equal([
      `Membership:SetMemberEndpoint(hospital-b, ${configured}) as hospital-b-admin`,
    ]);
    const member = parseObjectBytes(
      await clients.contract('lab-1').evaluateTransaction(Tx.GetMember, 'hospital-b'),
    );
    expect(stringField(member, 'endpoint')).to.equal(configured);
  });
});
