/**
 * The whole demo system as `npm start` runs it (scripts/system/system.ts), on the suite's network with
 * free ports: the demo models end up approved and served by both labs (idempotently: a second set-up
 * submits nothing), and a scan uploaded for `brain-tissue@approved` at hospital-a's gateway completes at
 * a lab, with the newest approved version, and verifies at the regulator's gateway.
 */
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import pino from 'pino';
import { orgsOfRole } from '@veriscan/fabric-kit';
import { ensureDemoModels } from '../../../scripts/system/demo-models';
import { startSystem, type RunningSystem } from '../../../scripts/system/system';
import { bearer, freePort, obj } from '../gateway/support/gateways';
import { profile } from '../support/network';

const repoRoot = join(__dirname, '..', '..', '..');

describe('the whole demo system (npm start)', function () {
  this.timeout(300_000);
  let system: RunningSystem | undefined;

  after(async () => {
    await system?.stop();
  });

  it('approves and serves the demo models, and takes an upload to a verified result', async () => {
    const labPorts = Object.fromEntries(
      await Promise.all(orgsOfRole('lab').map(async (lab) => [lab.key, await freePort()] as const)),
    );
    const localFile = join(mkdtempSync(join(tmpdir(), 'veriscan-system-')), 'local.json');
    const progress: string[] = [];
    system = await startSystem({
      ports: 'free',
      labPorts,
      localFile,
      progress: (line) => progress.push(line),
      logger: () => pino({ level: 'silent' }),
    });
    const { local } = system;
    expect(local.models).to.include.members(['brain-tissue@1.0.0', 'brain-tissue@1.1.0']);
    expect(statSync(localFile).mode & 0o777).to.equal(0o600);
    expect(JSON.parse(readFileSync(localFile, 'utf8'))).to.deep.equal(local);
    expect(Object.keys(local.hospitals)).to.deep.equal(orgsOfRole('hospital').map((h) => h.key));

    // Idempotent: once the models are approved and declared, a second pass submits nothing.
    const again: string[] = [];
    await ensureDemoModels(profile(), join(repoRoot, 'inference-lab', 'models'), (line) => again.push(line));
    expect(again).to.deep.equal([]);

    const hospital = local.hospitals['hospital-a'];
    if (hospital === undefined) throw new Error('no hospital-a in local.json');
    const form = new FormData();
    const scan = readFileSync(join(repoRoot, 'test', 'fixtures', 'scans', 'brain-axial-z102-8bit.png'));
    form.set('file', new Blob([scan]), 'scan.png');
    form.set('model', 'brain-tissue@approved');
    const res = await fetch(`${hospital.url}/api/v1/scans`, {
      method: 'POST',
      body: form,
      headers: bearer(hospital.token),
    });
    const accepted = obj(await res.json());
    expect(res.status, JSON.stringify(accepted)).to.equal(202);
    const id = String(accepted.requestId);
    const deadline = Date.now() + 120_000;
    let detail: Record<string, unknown> = {};
    while (Date.now() < deadline) {
      detail = obj(
        await (await fetch(`${hospital.url}/api/v1/scans/${id}`, { headers: bearer(hospital.token) })).json(),
      );
      if (detail.status === 'completed' || detail.status === 'failed') break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(detail.status, JSON.stringify(obj(detail.request).error)).to.equal('completed');
    const result = obj(
      await (
        await fetch(`${hospital.url}/api/v1/scans/${id}/result`, { headers: bearer(hospital.token) })
      ).json(),
    );
    expect(result.model).to.deep.equal({ id: 'brain-tissue', version: '1.1.0' });
    expect(orgsOfRole('lab').map((l) => l.key)).to.include(result.labId);

    const verified = obj(
      await (
        await fetch(`${local.regulator.url}/api/v1/audit/requests/${id}/verify`, {
          method: 'POST',
          headers: bearer(local.regulator.token),
        })
      ).json(),
    );
    const failed = (verified.checks as { name: string; ok: boolean }[]).filter((c) => !c.ok);
    expect(failed, JSON.stringify(failed)).to.deep.equal([]);
    expect(verified.verified).to.equal(true);
  });
});
