import { expect } from 'chai';
import {
  approveModel,
  cc,
  expectCode,
  govern,
  id,
  modelSpec,
  setConfig,
  withMembers,
} from './support/fixtures';
import { EventName } from '@veriscan/ledger-api';

describe('Models contract', () => {
  describe('ProposeModel', () => {
    it('stores a proposed version with no approvals and emits ModelProposed', async () => {
      const ledger = await withMembers();
      const { event } = await ledger.submit(id.lab1, (ctx) => cc.models.ProposeModel(ctx, modelSpec()));
      expect(ledger.get(ledger.key('model', ['brain-tissue', '1.0.0']))).to.deep.include({
        status: 'proposed',
        approvals: [],
        proposedBy: 'lab-1',
      });
      expect(event?.name).to.equal(EventName.ModelProposed);
    });

    it('returns the stored version without writes when the same spec is proposed again', async () => {
      const ledger = await withMembers();
      await ledger.submit(id.lab1, (ctx) => cc.models.ProposeModel(ctx, modelSpec()));
      const { writes } = await ledger.submit(id.lab2, (ctx) => cc.models.ProposeModel(ctx, modelSpec()));
      expect(writes.size).to.equal(0);
    });

    it('refuses re-proposing the same id@version with another hash with CONFLICT', async () => {
      const ledger = await withMembers();
      await ledger.submit(id.lab1, (ctx) => cc.models.ProposeModel(ctx, modelSpec()));
      await expectCode(
        ledger.submit(id.lab1, (ctx) =>
          cc.models.ProposeModel(ctx, modelSpec({ onnxSha256: 'b'.repeat(64) })),
        ),
        'CONFLICT',
      );
    });

    it('refuses ProposeModel from a hospital with FORBIDDEN', async () => {
      const ledger = await withMembers();
      await expectCode(
        ledger.submit(id.hospitalA, (ctx) => cc.models.ProposeModel(ctx, modelSpec())),
        'FORBIDDEN',
      );
    });

    it('refuses a bad hash, semver, output kind or an unknown field with INVALID_ARGUMENT naming the field', async () => {
      const ledger = await withMembers();
      const cases: [Record<string, unknown>, string][] = [
        [{ onnxSha256: 'ABC' }, 'spec.onnxSha256'],
        [{ version: '1.0' }, 'spec.version'],
        [{ output: { kind: 'text', classes: ['a'] } }, 'spec.output.kind'],
        [{ patientName: 'x' }, 'spec.patientName'],
      ];
      for (const [override, field] of cases) {
        const message = await expectCode(
          ledger.submit(id.lab1, (ctx) => cc.models.ProposeModel(ctx, modelSpec(override))),
          'INVALID_ARGUMENT',
        );
        expect(message).to.include(field);
      }
      await expectCode(
        ledger.submit(id.lab1, (ctx) => cc.models.ProposeModel(ctx, '{not json')),
        'INVALID_ARGUMENT',
      );
    });
  });

  describe('ApproveModel', () => {
    it('approves at the default threshold (3 of the 4 hospitals and labs) and emits ModelApproved only then', async () => {
      const ledger = await withMembers();
      await ledger.submit(id.lab1, (ctx) => cc.models.ProposeModel(ctx, modelSpec()));
      for (const admin of [id.hospitalAdmin, id.labAdmin]) {
        const early = await ledger.submit(admin, (ctx) =>
          cc.models.ApproveModel(ctx, 'brain-tissue', '1.0.0'),
        );
        expect(JSON.parse(early.result)).to.include({ status: 'proposed' });
        expect(early.event).to.equal(null);
      }
      const second = await ledger.submit(id.lab2Admin, (ctx) =>
        cc.models.ApproveModel(ctx, 'brain-tissue', '1.0.0'),
      );
      expect(JSON.parse(second.result)).to.deep.include({
        status: 'approved',
        approvals: ['HospitalAMSP', 'Lab1MSP', 'Lab2MSP'],
      });
      expect(second.event).to.deep.equal({
        name: EventName.ModelApproved,
        payload: {
          modelId: 'brain-tissue',
          version: '1.0.0',
          onnxSha256: 'a'.repeat(64),
          approvals: ['HospitalAMSP', 'Lab1MSP', 'Lab2MSP'],
        },
      });
    });

    it('follows a configured threshold once the consortium voted it (unanimity at 1000 per mille)', async () => {
      const ledger = await withMembers();
      await setConfig(ledger, { modelApprovalPerMille: 1000 });
      await ledger.submit(id.lab1, (ctx) => cc.models.ProposeModel(ctx, modelSpec()));
      for (const admin of [id.hospitalAdmin, id.hospitalBAdmin, id.labAdmin]) {
        await ledger.submit(admin, (ctx) => cc.models.ApproveModel(ctx, 'brain-tissue', '1.0.0'));
      }
      expect(ledger.get(ledger.key('model', ['brain-tissue', '1.0.0']))).to.include({ status: 'proposed' });
      const { result } = await ledger.submit(id.lab2Admin, (ctx) =>
        cc.models.ApproveModel(ctx, 'brain-tissue', '1.0.0'),
      );
      expect(JSON.parse(result)).to.include({ status: 'approved' });
    });

    it('refuses ApproveModel from a lab member and from the regulator admin with FORBIDDEN', async () => {
      const ledger = await withMembers();
      await ledger.submit(id.lab1, (ctx) => cc.models.ProposeModel(ctx, modelSpec()));
      await expectCode(
        ledger.submit(id.lab1, (ctx) => cc.models.ApproveModel(ctx, 'brain-tissue', '1.0.0')),
        'FORBIDDEN',
      );
      await expectCode(
        ledger.submit(id.regulatorAdmin, (ctx) => cc.models.ApproveModel(ctx, 'brain-tissue', '1.0.0')),
        'FORBIDDEN',
      );
    });

    it('refuses a double vote with ALREADY_EXISTS, an unknown version with NOT_FOUND and a bad version with INVALID_ARGUMENT', async () => {
      const ledger = await withMembers();
      await ledger.submit(id.lab1, (ctx) => cc.models.ProposeModel(ctx, modelSpec()));
      await ledger.submit(id.hospitalAdmin, (ctx) => cc.models.ApproveModel(ctx, 'brain-tissue', '1.0.0'));
      await expectCode(
        ledger.submit(id.hospitalAdmin, (ctx) => cc.models.ApproveModel(ctx, 'brain-tissue', '1.0.0')),
        'ALREADY_EXISTS',
      );
      await expectCode(
        ledger.submit(id.hospitalAdmin, (ctx) => cc.models.ApproveModel(ctx, 'brain-tissue', '9.0.0')),
        'NOT_FOUND',
      );
      await expectCode(
        ledger.submit(id.hospitalAdmin, (ctx) => cc.models.ApproveModel(ctx, 'brain-tissue', 'latest')),
        'INVALID_ARGUMENT',
      );
    });
  });

  describe('DeprecateModel and revocation', () => {
    it('lets the proposing lab deprecate an approved version', async () => {
      const ledger = await withMembers();
      await approveModel(ledger);
      const { event } = await ledger.submit(id.lab1, (ctx) =>
        cc.models.DeprecateModel(ctx, 'brain-tissue', '1.0.0'),
      );
      expect(event?.name).to.equal(EventName.ModelDeprecated);
      expect(ledger.get(ledger.key('model', ['brain-tissue', '1.0.0']))).to.include({ status: 'deprecated' });
    });

    it('refuses deprecation by a lab that did not propose it with FORBIDDEN', async () => {
      const ledger = await withMembers();
      await approveModel(ledger);
      await expectCode(
        ledger.submit(id.lab2, (ctx) => cc.models.DeprecateModel(ctx, 'brain-tissue', '1.0.0')),
        'FORBIDDEN',
      );
    });

    it('refuses deprecating a version that is only proposed with FAILED_PRECONDITION', async () => {
      const ledger = await withMembers();
      await ledger.submit(id.lab1, (ctx) => cc.models.ProposeModel(ctx, modelSpec()));
      await expectCode(
        ledger.submit(id.lab1, (ctx) => cc.models.DeprecateModel(ctx, 'brain-tissue', '1.0.0')),
        'FAILED_PRECONDITION',
      );
      await expectCode(
        ledger.submit(id.lab1, (ctx) => cc.models.DeprecateModel(ctx, 'Brain', '1.0.0')),
        'INVALID_ARGUMENT',
      );
    });

    it('revokes a version only through an approved revoke-model proposal, once', async () => {
      const ledger = await withMembers();
      await approveModel(ledger);
      const decided = await govern(ledger, {
        kind: 'revoke-model',
        modelId: 'brain-tissue',
        version: '1.0.0',
      });
      expect(decided).to.include({ status: 'approved' });
      expect(ledger.get(ledger.key('model', ['brain-tissue', '1.0.0']))).to.include({ status: 'revoked' });
      await expectCode(
        ledger.submit(id.labAdmin, (ctx) =>
          cc.governance.Propose(ctx, '{"kind":"revoke-model","modelId":"brain-tissue","version":"1.0.0"}'),
        ),
        'FAILED_PRECONDITION',
      );
    });
  });

  describe('GetModel, ListModels and ResolveModel', () => {
    it('resolves id@approved to the newest approved version by semver, not by string order', async () => {
      const ledger = await withMembers();
      await approveModel(ledger, { version: '1.9.0' });
      await approveModel(ledger, { version: '1.10.0', onnxSha256: 'c'.repeat(64) });
      await ledger.submit(id.lab1, (ctx) =>
        cc.models.ProposeModel(ctx, modelSpec({ version: '2.0.0', onnxSha256: 'd'.repeat(64) })),
      );
      const { result } = await ledger.evaluate(id.regulator, (ctx) =>
        cc.models.ResolveModel(ctx, 'brain-tissue@approved'),
      );
      expect(JSON.parse(result)).to.include({ version: '1.10.0', onnxSha256: 'c'.repeat(64) });
      const exact = await ledger.evaluate(id.hospitalA, (ctx) =>
        cc.models.ResolveModel(ctx, 'brain-tissue@2.0.0'),
      );
      expect(JSON.parse(exact.result)).to.include({ status: 'proposed' });
    });

    it('lists versions filtered by status', async () => {
      const ledger = await withMembers();
      await approveModel(ledger);
      await ledger.submit(id.lab1, (ctx) =>
        cc.models.ProposeModel(ctx, modelSpec({ version: '2.0.0', onnxSha256: 'd'.repeat(64) })),
      );
      const { result } = await ledger.evaluate(id.hospitalA, (ctx) =>
        cc.models.ListModels(ctx, '{"status":"approved"}'),
      );
      expect(
        (JSON.parse(result) as { models: { version: string }[] }).models.map((m) => m.version),
      ).to.deep.equal(['1.0.0']);
      const one = await ledger.evaluate(id.lab2, (ctx) => cc.models.GetModel(ctx, 'brain-tissue', '2.0.0'));
      expect(JSON.parse(one.result)).to.include({ status: 'proposed' });
    });

    it('refuses reads from a caller without attributes with FORBIDDEN', async () => {
      const ledger = await withMembers();
      await expectCode(
        ledger.evaluate(id.anonymous, (ctx) => cc.models.ListModels(ctx, '{}')),
        'FORBIDDEN',
      );
      await expectCode(
        ledger.evaluate(id.anonymous, (ctx) => cc.models.GetModel(ctx, 'brain-tissue', '1.0.0')),
        'FORBIDDEN',
      );
      await expectCode(
        ledger.evaluate(id.anonymous, (ctx) => cc.models.ResolveModel(ctx, 'brain-tissue@approved')),
        'FORBIDDEN',
      );
    });

    it('answers NOT_FOUND without an approved version and INVALID_ARGUMENT for a bad reference or filter', async () => {
      const ledger = await withMembers();
      await expectCode(
        ledger.evaluate(id.lab1, (ctx) => cc.models.ResolveModel(ctx, 'brain-tissue@approved')),
        'NOT_FOUND',
      );
      await expectCode(
        ledger.evaluate(id.lab1, (ctx) => cc.models.GetModel(ctx, 'brain-tissue', '1.0.0')),
        'NOT_FOUND',
      );
      await expectCode(
        ledger.evaluate(id.lab1, (ctx) => cc.models.ResolveModel(ctx, 'brain-tissue')),
        'INVALID_ARGUMENT',
      );
      await expectCode(
        ledger.evaluate(id.lab1, (ctx) => cc.models.ListModels(ctx, '{"owner":"x"}')),
        'INVALID_ARGUMENT',
      );
    });
  });
});
