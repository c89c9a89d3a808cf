/**
 * The lab service on the real network: a hospital request goes through the lab (signed fetch,
 * commitment check, the real brain-tissue model, outbox) to a committed receipt; a lab killed with
 * SIGKILL mid-queue loses nothing after its restart; in batch mode every receipt's inclusion proof
 * verifies against the batch anchored on the ledger and the lab's log is consistent.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, createPrivateKey } from 'node:crypto';
import { mkdtempSync, openSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import pino from 'pino';
import {
  parseHashList,
  parseLogCheckpoint,
  parseBatchAnchor,
  parseReceipt,
  parseReceiptProof,
  parseTrace,
  receiptHash,
  traceHash,
  verifyLogConsistency,
  verifyReceiptInBatch,
} from '@veriscan/protocol';
import { adminMemberId, peerOrgByKey } from '@veriscan/fabric-kit';
import { loadLabConfig } from '../../../inference-lab/src/config';
import { RequestSigner } from '../../../inference-lab/src/fetch/signed-request';
import { startLab, type RunningLab } from '../../../inference-lab/src/main';
import { Clients, parseObjectBytes, runSuffix } from '../chaincode/support/consortium';
import { profile } from '../support/network';
import { EventWatcher, RUN_LAB, setUpRunModel, type MadeRequest, type RunModel } from './support/lab-network';
import { GatewayHospital } from './support/gateway-hospital';
import { labEnv } from './support/lab-env';
import { Tx, EventName } from '@veriscan/ledger-api';

const repoRoot = join(__dirname, '..', '..', '..');

/** A signer for a profile identity (hospital-a's clinician unless told). */
function signerOf(identity = 'hospital-a'): RequestSigner {
  const id = profile().identities[identity];
  if (id === undefined) throw new Error(`no ${identity} identity in the profile`);
  return new RequestSigner({
    mspId: id.mspId,
    certPem: readFileSync(id.certFile, 'utf8'),
    privateKey: createPrivateKey(readFileSync(id.keyFile)),
  });
}

/** GET from the lab's API as `identity` (default hospital-a), signed for `requestId`. */
async function labGet(
  lab: RunningLab,
  path: string,
  requestId: string,
  identity?: string,
): Promise<Response> {
  const port = portOf(lab);
  return fetch(`http://127.0.0.1:${port}${path}`, {
    headers: signerOf(identity).headers('GET', path, requestId),
  });
}

async function labJson(
  lab: RunningLab,
  path: string,
  requestId: string,
  identity?: string,
): Promise<Record<string, unknown>> {
  const res = await labGet(lab, path, requestId, identity);
  expect(res.status, path).to.equal(200);
  return obj(await res.json());
}

/** A JSON object from the lab's answers, or a test failure. */
function obj(value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new Error('not a JSON object');
  return Object.fromEntries(Object.entries(value));
}

function text(value: unknown): string {
  if (typeof value !== 'string') throw new Error('not a string');
  return value;
}

/** The port a lab's HTTP server listens on. */
function portOf(lab: RunningLab): number {
  const address = lab.server.address();
  if (address === null || typeof address === 'string') throw new Error('lab is not listening on TCP');
  return address.port;
}

describe('inference-lab service on the network', function () {
  this.timeout(240_000);
  const clients = new Clients();
  let hospital: GatewayHospital;
  const run = runSuffix();
  let model: RunModel;

  before(async () => {
    model = await setUpRunModel(run);
    hospital = await GatewayHospital.start();
  });

  after(async () => {
    await (hospital as GatewayHospital | undefined)?.stop();
    clients.close();
  });

  it('takes a request to a committed receipt and serves the outputs, hashes checked, to the requesting hospital only', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'veriscan-lab-it-'));
    const lab = await startLab(loadLabConfig(labEnv(model, hospital, stateDir)), pino({ level: 'warn' }));
    const watcher = new EventWatcher();
    try {
      const made: MadeRequest = await hospital.requestScan(model, 0);
      await watcher.start(clients, made.blockNumber);
      await watcher.until(() => watcher.completed().has(made.requestId));

      const ledgerReceipt = parseObjectBytes(
        await clients.contract('hospital-a').evaluateTransaction(Tx.GetReceipt, made.requestId),
      );
      expect(ledgerReceipt).to.include({
        requestId: made.requestId,
        labId: RUN_LAB,
        onnxSha256: model.sha256,
      });

      const view = await labJson(lab, `/v1/results/${made.requestId}`, made.requestId);
      expect(view.status).to.equal('committed');
      const receipt = parseReceipt(view.receipt);
      const trace = parseTrace(view.trace);
      expect(receiptHash(receipt)).to.equal(ledgerReceipt.receiptHash);
      expect(traceHash(trace)).to.equal(ledgerReceipt.traceHash);
      expect(trace.output.outputCommitment).to.equal(receipt.outputCommitment);
      expect(trace.model).to.deep.equal({ id: model.id, version: '1.0.0', hash: model.sha256 });

      const maskRef = obj(obj(view.outputs).mask);
      const href = text(maskRef.href);
      const mask = await labGet(lab, href, made.requestId);
      expect(mask.status).to.equal(200);
      expect(mask.headers.get('content-type')).to.match(/^image\/png/);
      expect(
        createHash('sha256')
          .update(Buffer.from(await mask.arrayBuffer()))
          .digest('hex'),
      ).to.equal(text(maskRef.sha256));

      // Unsigned, or signed for another request: nothing is served.
      const port = portOf(lab);
      expect((await fetch(`http://127.0.0.1:${port}${href}`)).status).to.equal(401);
      expect((await labGet(lab, href, 'it-some-other-request')).status).to.equal(404);
      expect(hospital.refused()).to.deep.equal([]);

      // The caller's institution is its MSP: hospital-a's admin reads hospital-a's result, another
      // hospital's clinician finds nothing, and a regulator's auditor reads it to audit it (but no
      // output file: those go to the requesting hospital only).
      const path = `/v1/results/${made.requestId}`;
      const hospitalAdmin = adminMemberId(peerOrgByKey('hospital-a'));
      expect((await labGet(lab, path, made.requestId, hospitalAdmin)).status).to.equal(200);
      expect((await labGet(lab, path, made.requestId, 'hospital-b')).status).to.equal(404);
      expect((await labGet(lab, path, made.requestId, 'regulator-1')).status).to.equal(200);
      expect((await labGet(lab, href, made.requestId, 'regulator-1')).status).to.equal(404);

      const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      expect(metrics).to.match(/veriscan_lab_inference_seconds_count\{model="it-lab-[0-9a-f]+@1\.0\.0"\} 1/);
      expect(metrics).to.match(/veriscan_lab_results_committed_total\{mode="single"\} 1/);
    } finally {
      watcher.close();
      await lab.stop();
    }
  });

  it('loses nothing when the lab process is killed mid-queue and restarted', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'veriscan-lab-it-'));
    const logFile = join(stateDir, 'lab.log');
    const env = labEnv(model, hospital, stateDir, {
      VERISCAN_LAB_CONCURRENCY: '1',
      VERISCAN_LAB_LOG_LEVEL: 'info',
    });
    const startChild = (): ChildProcess => {
      const out = openSync(logFile, 'a');
      return spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'inference-lab', 'src', 'main.ts')], {
        cwd: repoRoot,
        env,
        stdio: ['ignore', out, out],
      });
    };
    const watcher = new EventWatcher();
    let child = startChild();
    try {
      const first: MadeRequest[] = [];
      for (let i = 0; i < 6; i++) first.push(await hospital.requestScan(model, i));
      await watcher.start(clients, first[0]?.blockNumber ?? 0n);
      const ids = first.map((r) => r.requestId);
      await watcher.until(() => ids.some((id) => watcher.completed().has(id)));
      const doneBeforeKill = ids.filter((id) => watcher.completed().has(id)).length;
      child.kill('SIGKILL');
      await new Promise((resolve) => child.once('exit', resolve));
      expect(doneBeforeKill, 'requests completed before the kill').to.be.below(6);

      // Requests made while the lab is down arrive through the event checkpoint on restart.
      const later: MadeRequest[] = [];
      for (let i = 0; i < 2; i++) later.push(await hospital.requestScan(model, i));
      child = startChild();
      const all = [...ids, ...later.map((r) => r.requestId)];
      await watcher.until(() => all.every((id) => watcher.completed().has(id)));

      for (const id of all) {
        const request = parseObjectBytes(
          await clients.contract('hospital-a').evaluateTransaction(Tx.GetRequest, id),
        );
        expect(request, id).to.include({ status: 'completed', assignedLab: RUN_LAB });
      }
      const commits = watcher.events.filter(
        (e) => e.name === EventName.ResultCommitted && all.includes(String(e.payload.requestId)),
      );
      expect(commits).to.have.length(all.length);
      process.stdout.write(
        `      (${doneBeforeKill} of 6 committed before SIGKILL; all ${all.length} after restart; scans served ${[...hospital.served().values()].reduce((a, b) => a + b, 0)} times for ${hospital.served().size} requests)\n`,
      );
    } finally {
      watcher.close();
      child.kill('SIGTERM');
      if (child.exitCode === null) await new Promise((resolve) => child.once('exit', resolve));
    }
  });

  it('anchors receipts in batches whose inclusion proofs verify against the anchors on the ledger', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'veriscan-lab-it-'));
    const lab = await startLab(
      loadLabConfig(
        labEnv(model, hospital, stateDir, {
          VERISCAN_LAB_BATCH_MODE: 'batch',
          VERISCAN_LAB_BATCH_SIZE: '3',
          VERISCAN_LAB_BATCH_INTERVAL_MS: '1500',
          VERISCAN_LAB_CONCURRENCY: '2',
        }),
      ),
      pino({ level: 'warn' }),
    );
    const watcher = new EventWatcher();
    try {
      const made: MadeRequest[] = [];
      for (let i = 0; i < 4; i++) made.push(await hospital.requestScan(model, i));
      await watcher.start(clients, made[0]?.blockNumber ?? 0n);
      await watcher.until(() => made.every((r) => watcher.completed().has(r.requestId)));

      for (const r of made) {
        const view = await labJson(lab, `/v1/results/${r.requestId}`, r.requestId);
        const batch = obj(view.batch);
        const anchor = parseBatchAnchor(batch.anchor);
        const receipt = parseReceipt(view.receipt);
        expect(verifyReceiptInBatch(receipt, parseReceiptProof(batch.proof), anchor), r.requestId).to.equal(
          true,
        );
        const onLedger = parseObjectBytes(
          await clients
            .contract('hospital-a')
            .evaluateTransaction(Tx.GetBatch, RUN_LAB, String(anchor.sequence)),
        );
        expect(onLedger).to.deep.include({ merkleRoot: anchor.root, count: anchor.count, log: anchor.log });
        const stored = parseObjectBytes(
          await clients.contract('hospital-a').evaluateTransaction(Tx.GetReceipt, r.requestId),
        );
        expect(stored.receiptHash).to.equal(receiptHash(receipt));
      }
      // Any trusted institution reads the log: here the regulator.
      const log = await labJson(lab, '/v1/log', '', 'regulator-1');
      const checkpoint = parseLogCheckpoint(log.checkpoint);
      expect(checkpoint.size).to.be.at.least(2);
      const consistency = await labJson(lab, `/v1/log/consistency?from=1&to=${checkpoint.size}`, '');
      expect(
        verifyLogConsistency(
          parseLogCheckpoint(consistency.from),
          parseLogCheckpoint(consistency.to),
          parseHashList(consistency.proof, 'proof'),
        ),
      ).to.equal(true);
    } finally {
      watcher.close();
      await lab.stop();
    }
  });
});
