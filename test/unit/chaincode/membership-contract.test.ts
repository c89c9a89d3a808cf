import { expect } from 'chai';
import { TestLedger } from './support/test-ledger';
import { DEMO_MEMBERS, VOTER_ADMINS, cc, expectCode, id, withMembers } from './support/fixtures';
import { EventName } from '@veriscan/ledger-api';

describe('Membership contract', () => {
  describe('Bootstrap', () => {
    it('records the founders only once every founding hospital and lab admin confirmed the same list', async () => {
      const ledger = new TestLedger();
      const [first, ...rest] = VOTER_ADMINS;
      if (first === undefined) throw new Error('no founders');
      const { result, event } = await ledger.submit(first, (ctx) =>
        cc.membership.Bootstrap(ctx, DEMO_MEMBERS),
      );
      expect(JSON.parse(result)).to.include({ status: 'pending' });
      expect((JSON.parse(result) as { awaiting: unknown }).awaiting).to.deep.equal([
        'HospitalBMSP',
        'Lab1MSP',
        'Lab2MSP',
      ]);
      expect(event?.name).to.equal(EventName.MembersBootstrapped);
      // One founder alone made nobody a member.
      await expectCode(
        ledger.evaluate(id.hospitalA, (ctx) => cc.membership.ListMembers(ctx)),
        'FORBIDDEN',
      );
      let last = '';
      for (const admin of rest)
        last = (await ledger.submit(admin, (ctx) => cc.membership.Bootstrap(ctx, DEMO_MEMBERS))).result;
      expect(JSON.parse(last)).to.include({ status: 'recorded' });
      const { result: list } = await ledger.evaluate(id.regulator, (ctx) => cc.membership.ListMembers(ctx));
      const members = (JSON.parse(list) as { members: { memberId: string; mspId: string; status: string }[] })
        .members;
      expect(members.map((m) => `${m.memberId}:${m.mspId}:${m.status}`)).to.deep.equal([
        'hospital-a:HospitalAMSP:active',
        'hospital-b:HospitalBMSP:active',
        'lab-1:Lab1MSP:active',
        'lab-2:Lab2MSP:active',
        'regulator-1:Regulator1MSP:active',
      ]);
      // Idempotent afterwards; a different list is a CONFLICT.
      const again = await ledger.submit(first, (ctx) => cc.membership.Bootstrap(ctx, DEMO_MEMBERS));
      expect(JSON.parse(again.result)).to.include({ status: 'recorded' });
      const other = JSON.stringify({
        members: [{ memberId: 'hospital-a', mspId: 'HospitalAMSP', role: 'hospital' }],
      });
      await expectCode(
        ledger.submit(first, (ctx) => cc.membership.Bootstrap(ctx, other)),
        'CONFLICT',
      );
    });

    it('is refused to the regulator, to users without the admin job, and to orgs not on the list', async () => {
      const ledger = new TestLedger();
      for (const caller of [id.regulatorAdmin, id.hospitalA, id.anonymous, id.outsiderAdmin]) {
        await expectCode(
          ledger.submit(caller, (ctx) => cc.membership.Bootstrap(ctx, DEMO_MEMBERS)),
          'FORBIDDEN',
        );
      }
    });

    it('refuses a list naming a member id or an MSP id twice with INVALID_ARGUMENT', async () => {
      const ledger = new TestLedger();
      const twiceMsp = JSON.stringify({
        members: [
          { memberId: 'hospital-a', mspId: 'HospitalAMSP', role: 'hospital' },
          { memberId: 'hospital-x', mspId: 'HospitalAMSP', role: 'hospital' },
        ],
      });
      const twiceId = JSON.stringify({
        members: [
          { memberId: 'hospital-a', mspId: 'HospitalAMSP', role: 'hospital' },
          { memberId: 'hospital-a', mspId: 'HospitalBMSP', role: 'hospital' },
        ],
      });
      for (const list of [twiceMsp, twiceId, '{"members":[]}', 'nope']) {
        await expectCode(
          ledger.submit(id.hospitalAdmin, (ctx) => cc.membership.Bootstrap(ctx, list)),
          'INVALID_ARGUMENT',
        );
      }
    });
  });

  describe('who a caller is', () => {
    it('takes the institution from the MSP id and the job from the certificate', async () => {
      const ledger = await withMembers();
      // An operator job on hospital-a's certificate is still hospital-a, and hospitals have no operators.
      await expectCode(
        ledger.submit(id.fakeLab, (ctx) => cc.scheduler.DeclareCapacity(ctx, 'brain-tissue@1.0.0', '1')),
        'FORBIDDEN',
      );
      // A hospital's admin does not submit scans; its clinicians do.
      await expectCode(
        ledger.submit(id.hospitalAdmin, (ctx) => cc.requests.RequestInference(ctx, '{}')),
        'FORBIDDEN',
      );
    });
  });

  describe('SetMemberEndpoint', () => {
    it("sets the caller's own institution's endpoint only", async () => {
      const ledger = await withMembers();
      const { result } = await ledger.submit(id.hospitalAdmin, (ctx) =>
        cc.membership.SetMemberEndpoint(ctx, 'hospital-a', 'https://gw.hospital-a.example/blobs'),
      );
      expect(JSON.parse(result)).to.include({ endpoint: 'https://gw.hospital-a.example/blobs' });
      await expectCode(
        ledger.submit(id.hospitalAdmin, (ctx) =>
          cc.membership.SetMemberEndpoint(ctx, 'hospital-b', 'https://evil.example/blobs'),
        ),
        'FORBIDDEN',
      );
      await expectCode(
        ledger.submit(id.hospitalAdmin, (ctx) =>
          cc.membership.SetMemberEndpoint(ctx, 'hospital-a', 'https://user:pw@gw.example/'),
        ),
        'INVALID_ARGUMENT',
      );
      for (const caller of [id.hospitalA, id.regulatorAdmin]) {
        await expectCode(
          ledger.submit(caller, (ctx) => cc.membership.SetMemberEndpoint(ctx, 'hospital-a', '')),
          'FORBIDDEN',
        );
      }
    });
  });

  describe('GetMember', () => {
    it('answers NOT_FOUND for an unknown member', async () => {
      const ledger = await withMembers();
      await expectCode(
        ledger.evaluate(id.lab1, (ctx) => cc.membership.GetMember(ctx, 'hospital-z')),
        'NOT_FOUND',
      );
    });
  });
});
