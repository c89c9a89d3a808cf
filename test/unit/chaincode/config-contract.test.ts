import { expect } from 'chai';
import { DEFAULT_CONFIG } from '../../../chaincode/src/rules/config';
import { cc, expectCode, id, withMembers } from './support/fixtures';
import { EventName } from '@veriscan/ledger-api';

describe('Config contract', () => {
  it('returns the typed defaults until an admin sets a configuration', async () => {
    const ledger = await withMembers();
    const { result } = await ledger.evaluate(id.regulator, (ctx) => cc.config.GetConfig(ctx));
    expect(JSON.parse(result)).to.deep.equal(DEFAULT_CONFIG);
  });

  it('applies a patch over the current values and emits ConfigChanged', async () => {
    const ledger = await withMembers();
    const { event } = await ledger.submit(id.labAdmin, (ctx) =>
      cc.config.SetConfig(ctx, '{"schedulerMode":"round-robin","expiryBurn":7}'),
    );
    expect(event?.name).to.equal(EventName.ConfigChanged);
    await ledger.submit(id.hospitalAdmin, (ctx) =>
      cc.config.SetConfig(ctx, '{"deadlineMs":{"routine":7200000,"urgent":600000,"stat":60000}}'),
    );
    const { result } = await ledger.evaluate(id.lab1, (ctx) => cc.config.GetConfig(ctx));
    expect(JSON.parse(result)).to.deep.include({
      schedulerMode: 'round-robin',
      expiryBurn: 7,
      memberApprovalOrgs: 2,
    });
    expect(JSON.parse(result)).to.have.nested.property('deadlineMs.stat', 60000);
  });

  it('refuses SetConfig from a member or the regulator admin with FORBIDDEN', async () => {
    const ledger = await withMembers();
    await expectCode(
      ledger.submit(id.lab1, (ctx) => cc.config.SetConfig(ctx, '{"expiryBurn":0}')),
      'FORBIDDEN',
    );
    await expectCode(
      ledger.submit(id.regulatorAdmin, (ctx) => cc.config.SetConfig(ctx, '{"expiryBurn":0}')),
      'FORBIDDEN',
    );
  });

  it('refuses an unknown field, an out-of-range value or unordered mint tiers with INVALID_ARGUMENT', async () => {
    const ledger = await withMembers();
    for (const patch of [
      '{"mode":"x"}',
      '{"spotCheckPerMille":1001}',
      '{"schedulerMode":"lottery"}',
      '{"mintTiers":[{"maxLatencyPerMille":500,"amount":1},{"maxLatencyPerMille":250,"amount":2}]}',
    ]) {
      await expectCode(
        ledger.submit(id.hospitalAdmin, (ctx) => cc.config.SetConfig(ctx, patch)),
        'INVALID_ARGUMENT',
      );
    }
    await expectCode(
      ledger.evaluate(id.anonymous, (ctx) => cc.config.GetConfig(ctx)),
      'FORBIDDEN',
    );
  });
});
