/**
 * Upload → completed latency through a hospital gateway at low load: one lab service (single-receipt
 * mode, the real brain-tissue model) and hospital-a's gateway on the running network (started when
 * missing), scans uploaded one at a time and each followed until its result is checked and stored.
 * Prints the answer time of the upload itself (202) and upload → completed, p50/p95; asserts nothing.
 * Usage: npx tsx bench/gateway/upload-latency.ts [--uploads 30]
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { loadLabConfig, startLab } from '@veriscan/inference-lab';
import { setupConsortium } from '../../scripts/setup-consortium';
import {
  ensureNetwork,
  networkKind,
  profile,
  stopNetworkIfStartedBySuite,
} from '../../test/integration/support/network';
import { RUN_LAB, setUpRunModel } from '../../test/integration/lab/support/lab-network';
import {
  freePort,
  startTestGateway,
  upload,
  waitForStatus,
} from '../../test/integration/gateway/support/gateways';

const SCANS = [
  'brain-axial-z102-8bit.png',
  'brain-axial-z057-16bit.png',
  'brain-axial-z102.jpg',
  'mr-axial-z057-explicit.dcm',
];

function percentile(sorted: readonly number[], p: number): number {
  const i = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, i)] ?? Number.NaN;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { uploads: { type: 'string', default: '30' }, help: { type: 'boolean', default: false } },
  });
  if (values.help) {
    process.stdout.write('usage: npx tsx bench/gateway/upload-latency.ts [--uploads N]\n');
    return;
  }
  const uploads = Number.parseInt(values.uploads, 10);
  ensureNetwork();
  await setupConsortium({ profile: profile(), log: () => undefined });
  const model = await setUpRunModel(`bench-${Date.now().toString(36)}`);
  const [gatewayPort, labPort] = await Promise.all([freePort(), freePort()]);
  const hospital = await startTestGateway('hospital-a', gatewayPort, {
    VERISCAN_GATEWAY_LABS: `${RUN_LAB}=https://127.0.0.1:${labPort}`,
  });
  const lab = await startLab(
    loadLabConfig({
      ...process.env,
      VERISCAN_LAB_IDENTITY: RUN_LAB,
      VERISCAN_LAB_MODEL_DIR: model.modelDir,
      VERISCAN_LAB_HOSPITALS: `hospital-a=${hospital.exchangeUrl ?? ''}/blobs`,
      VERISCAN_LAB_TLS: 'issue',
      VERISCAN_LAB_STATE_DIR: mkdtempSync(join(tmpdir(), 'veriscan-bench-lab-')),
      VERISCAN_LAB_HTTP_PORT: String(labPort),
      VERISCAN_LAB_LOG_LEVEL: 'warn',
    }),
    pino({ level: 'warn' }),
  );
  const fixtures = SCANS.map((name) => ({
    name,
    bytes: new Uint8Array(readFileSync(join(__dirname, '..', '..', 'test', 'fixtures', 'scans', name))),
  }));
  const accepted: number[] = [];
  const completed: number[] = [];
  try {
    for (let i = 0; i < uploads + 2; i++) {
      const scan = fixtures[i % fixtures.length] ?? fixtures[0];
      if (scan === undefined) throw new Error('no fixtures');
      const t0 = performance.now();
      const res = await upload(hospital, scan.bytes, scan.name, { model: model.ref });
      const body = (await res.json()) as { requestId?: string };
      const t1 = performance.now();
      if (res.status !== 202 || body.requestId === undefined)
        throw new Error(`upload answered ${res.status}`);
      const done = await waitForStatus(hospital, body.requestId, ['completed', 'failed', 'expired']);
      if (done.status !== 'completed') throw new Error(`request ended ${String(done.status)}`);
      // The first two warm the model session and the connections.
      if (i >= 2) {
        accepted.push(t1 - t0);
        completed.push(performance.now() - t0);
      }
    }
  } finally {
    await lab.stop();
    await hospital.running.stop();
    stopNetworkIfStartedBySuite();
  }
  accepted.sort((a, b) => a - b);
  completed.sort((a, b) => a - b);
  process.stdout.write(
    [
      `network: ${networkKind}; ${uploads} sequential uploads (${SCANS.join(', ')}), lab in single-receipt mode, HTTPS between institutions, status polled every 200 ms`,
      `upload answered (202): p50 ${percentile(accepted, 50).toFixed(0)} ms, p95 ${percentile(accepted, 95).toFixed(0)} ms`,
      `upload -> completed (result checked): p50 ${percentile(completed, 50).toFixed(0)} ms, p95 ${percentile(completed, 95).toFixed(0)} ms`,
    ].join('\n') + '\n',
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
