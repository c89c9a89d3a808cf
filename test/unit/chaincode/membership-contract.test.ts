import { expect } from 'chai';
import { DEMO_MEMBERS, cc, expectCode, id, withMembers } from './support/fixtures';
import { TestLedger } from './support/test-ledger';
import { EventName } from '@veriscan/ledger-api';

describe('Membership contract', () => {
  describe('Bootstrap', () => {
    it('registers the demo members as active in one transaction and emits MembersBootstrapped', async () => {
      const ledger = new TestLedger();
      const { event } = await ledger.submit(id.hospitalAdmin, (ctx) =>
        cc.membership.Bootstrap(ctx, DEMO_MEMBERS),
      );
      expect(ledger.keysUnder('member')).to.have.length(5);
      expect(ledger.get(ledger.key('member', ['lab-1']))).to.include({
        status: 'active',
        mspId: 'LabMSP',
        role: 'lab',
      });
      expect(ledger.get(ledger.key('member', ['hospital-a']))).to.include({
        endpoint: 'http://127.0.0.1:7101/blobs',
      });
      expect(event?.name).to.equal(EventName.MembersBootstrapped);
    });

    it('returns the existing genesis without writes when called again with the same list', async () => {
      const ledger = await withMembers();
      const { writes } = await ledger.submit(id.labAdmin, (ctx) =>
        cc.membership.Bootstrap(ctx, DEMO_MEMBERS),
      );
      expect(writes.size).to.equal(0);
    });

    it('refuses a different list once genesis is recorded with CONFLICT', async () => {
      const ledger = await withMembers();
      const other = JSON.stringify({ members: [{ memberId: 'lab-9', role: 'lab' }] });
      await expectCode(
        ledger.submit(id.hospitalAdmin, (ctx) => cc.membership.Bootstrap(ctx, other)),
        'CONFLICT',
      );
    });

    it('refuses Bootstrap from a hospital member with FORBIDDEN', async () => {
      const ledger = await withMembers();
      await expectCode(
        ledger.submit(id.hospitalA, (ctx) => cc.membership.Bootstrap(ctx, DEMO_MEMBERS)),
        'FORBIDDEN',
      );
    });

    it('refuses Bootstrap from the regulator org admin with FORBIDDEN', async () => {
      await expectCode(
        new TestLedger().submit(id.regulatorAdmin, (ctx) => cc.membership.Bootstrap(ctx, DEMO_MEMBERS)),
        'FORBIDDEN',
      );
    });

    it('refuses a list with a duplicate id or an unknown field with INVALID_ARGUMENT', async () => {
      const ledger = new TestLedger();
      const dup = JSON.stringify({
        members: [
          { memberId: 'lab-1', role: 'lab' },
          { memberId: 'lab-1', role: 'lab' },
        ],
      });
      await expectCode(
        ledger.submit(id.hospitalAdmin, (ctx) => cc.membership.Bootstrap(ctx, dup)),
        'INVALID_ARGUMENT',
      );
      const extra = JSON.stringify({ members: [{ memberId: 'lab-1', role: 'lab', name: 'Jane Doe' }] });
      const message = await expectCode(
        ledger.submit(id.hospitalAdmin, (ctx) => cc.membership.Bootstrap(ctx, extra)),
        'INVALID_ARGUMENT',
      );
      expect(message).to.include('members.members[0].name');
      expect(ledger.state.size).to.equal(0);
    });
  });

  describe('RegisterMember and ApproveMember', () => {
    it('registers a pending member for the admin own org and activates it on a second org approval', async () => {
      const ledger = await withMembers();
      const { result, event } = await ledger.submit(id.labAdmin, (ctx) =>
        cc.membership.RegisterMember(ctx, 'lab-3', 'lab'),
      );
      expect(JSON.parse(result)).to.include({ status: 'pending', mspId: 'LabMSP' });
      expect(event).to.deep.include({ name: EventName.MemberRegistered });
      const approved = await ledger.submit(id.hospitalAdmin, (ctx) =>
        cc.membership.ApproveMember(ctx, 'lab-3'),
      );
      expect(JSON.parse(approved.result)).to.deep.include({
        status: 'active',
        approvals: ['HospitalMSP', 'LabMSP'],
      });
      expect(approved.event?.name).to.equal(EventName.MemberApproved);
    });

    it('refuses an admin registering a member of another org with FORBIDDEN', async () => {
      const ledger = await withMembers();
      await expectCode(
        ledger.submit(id.hospitalAdmin, (ctx) => cc.membership.RegisterMember(ctx, 'lab-3', 'lab')),
        'FORBIDDEN',
      );
    });

    it('refuses RegisterMember from a non-admin with FORBIDDEN', async () => {
      const ledger = await withMembers();
      await expectCode(
        ledger.submit(id.hospitalA, (ctx) => cc.membership.RegisterMember(ctx, 'hospital-c', 'hospital')),
        'FORBIDDEN',
      );
    });

    it('refuses a malformed id or role with INVALID_ARGUMENT and an existing id with ALREADY_EXISTS', async () => {
      const ledger = await withMembers();
      await expectCode(
        ledger.submit(id.labAdmin, (ctx) => cc.membership.RegisterMember(ctx, 'Lab 3', 'lab')),
        'INVALID_ARGUMENT',
      );
      await expectCode(
        ledger.submit(id.labAdmin, (ctx) => cc.membership.RegisterMember(ctx, 'lab-3', 'admin')),
        'INVALID_ARGUMENT',
      );
      await expectCode(
        ledger.submit(id.labAdmin, (ctx) => cc.membership.RegisterMember(ctx, 'lab-1', 'lab')),
        'ALREADY_EXISTS',
      );
    });

    it('refuses a second approval from the same org with ALREADY_EXISTS', async () => {
      const ledger = await withMembers();
      await ledger.submit(id.labAdmin, (ctx) => cc.membership.RegisterMember(ctx, 'lab-3', 'lab'));
      await expectCode(
        ledger.submit(id.labAdmin, (ctx) => cc.membership.ApproveMember(ctx, 'lab-3')),
        'ALREADY_EXISTS',
      );
    });

    it('refuses ApproveMember from a lab member with FORBIDDEN and of an unknown member with NOT_FOUND', async () => {
      const ledger = await withMembers();
      await expectCode(
        ledger.submit(id.lab1, (ctx) => cc.membership.ApproveMember(ctx, 'lab-3')),
        'FORBIDDEN',
      );
      await expectCode(
        ledger.submit(id.hospitalAdmin, (ctx) => cc.membership.ApproveMember(ctx, 'lab-3')),
        'NOT_FOUND',
      );
    });

    it('keeps a pending member from transacting until it is approved', async () => {
      const ledger = await withMembers();
      await ledger.submit(id.labAdmin, (ctx) => cc.membership.RegisterMember(ctx, 'lab-3', 'lab'));
      const lab3 = {
        mspId: 'LabMSP',
        attributes: { 'veriscan.role': 'lab', 'veriscan.member': 'lab-3' },
        name: 'lab-3',
      };
      const message = await expectCode(
        ledger.evaluate(lab3, (ctx) => cc.membership.ListMembers(ctx)),
        'FORBIDDEN',
      );
      expect(message).to.include('pending');
      await ledger.submit(id.hospitalAdmin, (ctx) => cc.membership.ApproveMember(ctx, 'lab-3'));
      const { result } = await ledger.evaluate(lab3, (ctx) => cc.membership.ListMembers(ctx));
      expect((JSON.parse(result) as { members: unknown[] }).members).to.have.length(6);
    });
  });

  describe('SuspendMember', () => {
    it('suspends a member so that its next transaction is FORBIDDEN', async () => {
      const ledger = await withMembers();
      const { event } = await ledger.submit(id.labAdmin, (ctx) =>
        cc.membership.SuspendMember(ctx, 'hospital-b'),
      );
      expect(event).to.deep.equal({
        name: EventName.MemberSuspended,
        payload: { memberId: 'hospital-b', by: 'LabMSP' },
      });
      await expectCode(
        ledger.evaluate(id.hospitalB, (ctx) => cc.membership.GetMember(ctx, 'hospital-b')),
        'FORBIDDEN',
      );
    });

    it('refuses SuspendMember from a hospital member with FORBIDDEN', async () => {
      const ledger = await withMembers();
      await expectCode(
        ledger.submit(id.hospitalA, (ctx) => cc.membership.SuspendMember(ctx, 'hospital-b')),
        'FORBIDDEN',
      );
    });

    it('refuses suspending twice with FAILED_PRECONDITION and a bad id with INVALID_ARGUMENT', async () => {
      const ledger = await withMembers();
      await ledger.submit(id.labAdmin, (ctx) => cc.membership.SuspendMember(ctx, 'hospital-b'));
      await expectCode(
        ledger.submit(id.labAdmin, (ctx) => cc.membership.SuspendMember(ctx, 'hospital-b')),
        'FAILED_PRECONDITION',
      );
      await expectCode(
        ledger.submit(id.labAdmin, (ctx) => cc.membership.SuspendMember(ctx, '')),
        'INVALID_ARGUMENT',
      );
    });
  });

  describe('SetMemberEndpoint', () => {
    it('lets a hospital set its own gateway endpoint', async () => {
      const ledger = await withMembers();
      await ledger.submit(id.hospitalA, (ctx) =>
        cc.membership.SetMemberEndpoint(ctx, 'hospital-a', 'https://gw.hospital-a.example:8443/blobs'),
      );
      expect(ledger.get(ledger.key('member', ['hospital-a']))).to.include({
        endpoint: 'https://gw.hospital-a.example:8443/blobs',
      });
    });

    it('refuses setting the endpoint of another member with FORBIDDEN', async () => {
      const ledger = await withMembers();
      await expectCode(
        ledger.submit(id.hospitalB, (ctx) =>
          cc.membership.SetMemberEndpoint(ctx, 'hospital-a', 'http://evil.example/'),
        ),
        'FORBIDDEN',
      );
    });

    it('refuses a URL with credentials or a query with INVALID_ARGUMENT', async () => {
      const ledger = await withMembers();
      await expectCode(
        ledger.submit(id.hospitalA, (ctx) =>
          cc.membership.SetMemberEndpoint(ctx, 'hospital-a', 'http://u:p@host/'),
        ),
        'INVALID_ARGUMENT',
      );
      await expectCode(
        ledger.submit(id.hospitalA, (ctx) =>
          cc.membership.SetMemberEndpoint(ctx, 'hospital-a', 'http://host/?patient=1'),
        ),
        'INVALID_ARGUMENT',
      );
    });
  });

  describe('GetMember and ListMembers', () => {
    it('lets the regulator read a member and list all members in id order', async () => {
      const ledger = await withMembers();
      const one = await ledger.evaluate(id.regulator, (ctx) => cc.membership.GetMember(ctx, 'lab-2'));
      expect(JSON.parse(one.result)).to.include({ memberId: 'lab-2', role: 'lab' });
      const all = await ledger.evaluate(id.regulator, (ctx) => cc.membership.ListMembers(ctx));
      const ids = (JSON.parse(all.result) as { members: { memberId: string }[] }).members.map(
        (m) => m.memberId,
      );
      expect(ids).to.deep.equal(['hospital-a', 'hospital-b', 'lab-1', 'lab-2', 'regulator-1']);
    });

    it('refuses a caller without Veriscan attributes with FORBIDDEN', async () => {
      const ledger = await withMembers();
      await expectCode(
        ledger.evaluate(id.anonymous, (ctx) => cc.membership.ListMembers(ctx)),
        'FORBIDDEN',
      );
      await expectCode(
        ledger.evaluate(id.anonymous, (ctx) => cc.membership.GetMember(ctx, 'lab-1')),
        'FORBIDDEN',
      );
    });

    it('answers NOT_FOUND for an unknown member and INVALID_ARGUMENT for a malformed id', async () => {
      const ledger = await withMembers();
      await expectCode(
        ledger.evaluate(id.lab1, (ctx) => cc.membership.GetMember(ctx, 'lab-9')),
        'NOT_FOUND',
      );
      await expectCode(
        ledger.evaluate(id.lab1, (ctx) => cc.membership.GetMember(ctx, 'LAB\u0000')),
        'INVALID_ARGUMENT',
      );
    });

    it('refuses a lab attribute on a HospitalMSP certificate with FORBIDDEN', async () => {
      const ledger = await withMembers();
      await expectCode(
        ledger.evaluate(id.fakeLab, (ctx) => cc.membership.GetMember(ctx, 'lab-1')),
        'FORBIDDEN',
      );
    });
  });
});
