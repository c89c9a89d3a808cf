/**
 * The whole demo system as `npm start` runs it (scripts/system/system.ts), on the suite's network with
 * free ports: the demo models end up approved and served by both labs (idempotently: a second set-up
 * submits nothing), and a scan uploaded for `brain-tissue@approved` at hospital-a's gateway completes at
 * a lab, with the newest approved version, and verifies at the regulator's gateway.
 */
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
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

  /** Runs the `veriscan` CLI (built) against this system's local.json. */
  function veriscan(
    args: readonly string[],
    localFile: string,
  ): Promise<{ code: number; out: string; err: string }> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [join(repoRoot, 'cli', 'dist', 'main.js'), ...args], {
        env: { ...process.env, VERISCAN_LOCAL: localFile },
      });
      let out = '';
      let err = '';
      child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
      child.stderr.on('data', (c: Buffer) => (err += c.toString('utf8')));
      child.on('error', reject);
      child.on('exit', (code) => {
        resolve({ code: code ?? -1, out, err });
      });
    });
  }

  it('approves and serves the demo models, and takes an upload to a verified result', async () => {
    const labPorts = Object.fromEntries(
      await Promise.all(orgsOfRole('lab').map(async (lab) => [lab.key, await freePort()] as const)),
    );
    const stateDir = mkdtempSync(join(tmpdir(), 'veriscan-system-'));
    const localFile = join(stateDir, 'local.json');
    const progress: string[] = [];
    system = await startSystem({
      ports: 'free',
      labPorts,
      localFile,
      stateDir,
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

    // The same loop from the command line.
    const fixture = join(repoRoot, 'test', 'fixtures', 'scans', 'brain-axial-z057-16bit.png');
    const submitted = await veriscan(
      ['submit', fixture, '--model', 'brain-tissue@approved', '--wait', '--json'],
      localFile,
    );
    expect(submitted.code, submitted.err).to.equal(0);
    const submittedDetail = obj(JSON.parse(submitted.out));
    expect(submittedDetail.status).to.equal('completed');
    const cliId = String(obj(submittedDetail.request).requestId);
    expect(submitted.err).to.include(`${cliId}: completed`);
    const status = await veriscan(['status', cliId], localFile);
    expect([status.code, status.out.split('\n')[0]]).to.deep.equal([0, `${cliId} completed`]);
    const out = mkdtempSync(join(tmpdir(), 'veriscan-cli-result-'));
    const saved = await veriscan(['result', cliId, '--out', out, '--json'], localFile);
    expect(saved.code, saved.err).to.equal(0);
    expect(readFileSync(join(out, 'mask.png')).subarray(1, 4).toString('latin1')).to.equal('PNG');
    expect(obj(JSON.parse(readFileSync(join(out, 'result.json'), 'utf8'))).requestId).to.equal(cliId);
    const audited = await veriscan(['audit', 'verify', cliId], localFile);
    expect(audited.code, audited.err).to.equal(0);
    expect(audited.out.split('\n')[0]).to.equal(`${cliId}: verified`);
    // Refusals keep their reason and exit code.
    const unknown = await veriscan(['status', `rq-${'0'.repeat(32)}`], localFile);
    expect(unknown.code).to.equal(1);
    expect(unknown.err).to.include('404');
    const noLocal = await veriscan(['status', cliId, '--local', join(out, 'missing.json')], localFile);
    expect(noLocal.code).to.equal(3);
  });
});
