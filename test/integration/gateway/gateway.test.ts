/**
 * The gateways on the real network: a hospital uploads each supported kind of scan through its gateway's
 * API, the assigned lab fetches it from the gateway (signed, entitlement read from the ledger), the result
 * comes back checked against the ledger's receipt, and the regulator's gateway re-runs and verifies it.
 * Bad input, other hospitals and writes to the regulator are refused with problem details, and every
 * JSON answer is checked against the gateway's own OpenAPI document.
 */
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { createPrivateKey } from 'node:crypto';
import { expect } from 'chai';
import { consortiumFetch, consortiumTlsRoots, cryptoLayout, veriscanPaths } from '@veriscan/fabric-kit';
import { RequestSigner } from '@veriscan/inference-lab/fetch';
import pino from 'pino';
import { loadLabConfig, startLab, type RunningLab } from '@veriscan/inference-lab';
import { runSuffix } from '../chaincode/support/consortium';
import { profile } from '../support/network';
import { RUN_LAB, setUpRunModel, type RunModel } from '../lab/support/lab-network';
import {
  bearer,
  freePort,
  obj,
  startTestGateway,
  upload,
  waitForStatus,
  type TestGateway,
} from './support/gateways';

const fixtures = join(__dirname, '..', '..', 'fixtures', 'scans');
const read = (name: string): Uint8Array => new Uint8Array(readFileSync(join(fixtures, name)));

/** The scans a hospital can send today: 8/16-bit PNG, JPEG and every uncompressed DICOM fixture. */
const SCANS = [
  'brain-axial-z102-8bit.png',
  'brain-axial-z057-16bit.png',
  'brain-axial-z102.jpg',
  ...readdirSync(fixtures)
    .filter((n) => n.endsWith('.dcm'))
    .sort(),
];

/** A PNG whose header declares `width` x `height` but holds almost nothing: a decompression bomb. */
function pngDeclaring(width: number, height: number): Uint8Array {
  const chunk = (type: string, data: Buffer): Buffer => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body), 8 + data.length);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 0; // grey
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', Buffer.from([0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01])),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** An explicit-VR DICOM fixture relabelled RLE Lossless (same UID length, so the file stays well formed). */
function compressedDicom(): Uint8Array {
  const bytes = Buffer.from(read('mr-axial-z057-explicit.dcm'));
  const from = Buffer.from('1.2.840.10008.1.2.1\0', 'latin1');
  const at = bytes.indexOf(from);
  if (at < 0) throw new Error('fixture has no explicit VR little endian UID');
  Buffer.from('1.2.840.10008.1.2.5\0', 'latin1').copy(bytes, at);
  return new Uint8Array(bytes);
}

/** Validates answers against a gateway's /openapi.json (JSON Schema 2020-12, as OpenAPI 3.1 uses). */
class Contract {
  readonly #doc: Record<string, unknown>;
  readonly #ajv = new Ajv2020({ strict: false, allErrors: true });
  checked = 0;

  constructor(doc: Record<string, unknown>) {
    this.#doc = doc;
    addFormats(this.#ajv);
  }

  /** Asserts `body` matches the documented response of `method path` (an OpenAPI path template). */
  check(method: string, template: string, status: number, contentType: string, body: unknown): void {
    const op = obj(obj(obj(this.#doc.paths)[template])[method]);
    const response = obj(
      obj(op.responses)[String(status)] ??
        (() => {
          throw new Error(`${method} ${template}: ${status} not documented`);
        })(),
    );
    const media = contentType.split(';')[0] ?? '';
    const content = obj(
      obj(response.content)[media] ??
        (() => {
          throw new Error(`${method} ${template} ${status}: ${media} not documented`);
        })(),
    );
    // The document's $refs point into #/components: compile each schema with them as its root's sibling.
    const validate = this.#ajv.compile({ ...obj(content.schema), components: obj(this.#doc.components) });
    const ok = validate(body);
    expect(ok, `${method} ${template} ${status}: ${JSON.stringify(validate.errors)}`).to.equal(true);
    this.checked += 1;
  }
}

describe('hospital and regulator gateways on the network', function () {
  this.timeout(600_000);
  const run = runSuffix();
  let model: RunModel;
  let lab: RunningLab;
  let hospital: TestGateway;
  let otherHospital: TestGateway;
  let regulator: TestGateway;
  let hospitalContract: Contract;
  let regulatorContract: Contract;
  const completed: string[] = [];

  /** fetch + contract check of a JSON or problem answer. */
  async function call(
    gw: TestGateway,
    contract: Contract,
    method: 'get' | 'post',
    path: string,
    template: string,
  ): Promise<{ status: number; body: Record<string, unknown> }> {
    const res = await fetch(`${gw.url}${path}`, {
      method: method.toUpperCase(),
      headers: bearer(gw.token),
    });
    const body = obj(await res.json());
    contract.check(method, template, res.status, res.headers.get('content-type') ?? '', body);
    return { status: res.status, body };
  }

  before(async () => {
    model = await setUpRunModel(`gw-${run}`);
    const [hospitalPort, labPort, otherPort, regulatorPort] = await Promise.all([
      freePort(),
      freePort(),
      freePort(),
      freePort(),
    ]);
    // Between institutions everything is HTTPS with certificates of their orgs' TLS CAs: the lab's API
    // and the hospital's scan exchange.
    const labUrl = `https://127.0.0.1:${labPort}`;
    hospital = await startTestGateway('hospital-a', hospitalPort, {
      VERISCAN_GATEWAY_LABS: `${RUN_LAB}=${labUrl}`,
    });
    const hospitalBlobs = `${hospital.exchangeUrl ?? ''}/blobs`;
    expect(hospitalBlobs).to.match(/^https:\/\/127\.0\.0\.1:[0-9]+\/blobs$/);
    otherHospital = await startTestGateway('hospital-b', otherPort, {
      VERISCAN_GATEWAY_LABS: `${RUN_LAB}=${labUrl}`,
    });
    regulator = await startTestGateway('regulator-1', regulatorPort, {
      VERISCAN_GATEWAY_LABS: `${RUN_LAB}=${labUrl}`,
      VERISCAN_GATEWAY_HOSPITALS: `hospital-a=${hospitalBlobs}`,
      VERISCAN_GATEWAY_MODEL_DIR: model.modelDir,
    });
    lab = await startLab(
      loadLabConfig({
        ...process.env,
        VERISCAN_LAB_IDENTITY: RUN_LAB,
        VERISCAN_LAB_MODEL_DIR: model.modelDir,
        VERISCAN_LAB_HOSPITALS: `hospital-a=${hospitalBlobs}`,
        VERISCAN_LAB_STATE_DIR: mkdtempSync(join(tmpdir(), 'veriscan-gw-lab-')),
        VERISCAN_LAB_HTTP_PORT: String(labPort),
        VERISCAN_LAB_TLS: 'issue',
        VERISCAN_LAB_LOG_LEVEL: 'warn',
        VERISCAN_LAB_DRAIN_TIMEOUT_MS: '10000',
      }),
      pino({ level: 'warn' }),
    );
    hospitalContract = new Contract(obj(await (await fetch(`${hospital.url}/openapi.json`)).json()));
    regulatorContract = new Contract(obj(await (await fetch(`${regulator.url}/openapi.json`)).json()));
  });

  after(async () => {
    // Each may be missing when `before` failed part-way.
    const started: ({ stop(): Promise<void> } | undefined)[] = [
      lab,
      ...[hospital, otherHospital, regulator].map((g) => (g as TestGateway | undefined)?.running),
    ];
    await Promise.all(started.map(async (s) => s?.stop()));
  });

  it('takes every supported scan from upload to a completed, checked result', async () => {
    const started = Date.now();
    const accepted = await Promise.all(
      SCANS.map(async (name) => {
        const res = await upload(hospital, read(name), name, {
          model: model.ref,
          priority: 'urgent',
          patientRef: `MRN-${name}`,
        });
        const body = obj(await res.json());
        expect(res.status, `${name}: ${JSON.stringify(body)}`).to.equal(202);
        hospitalContract.check('post', '/api/v1/scans', 202, res.headers.get('content-type') ?? '', body);
        expect(body.requestId).to.match(/^rq-[0-9a-f]{32}$/);
        return { name, requestId: String(body.requestId) };
      }),
    );
    for (const { name, requestId } of accepted) {
      const detail = await waitForStatus(hospital, requestId, ['completed', 'failed', 'expired']);
      expect(detail.status, `${name}: ${JSON.stringify(obj(detail.request).error)}`).to.equal('completed');
      const { body } = await call(
        hospital,
        hospitalContract,
        'get',
        `/api/v1/scans/${requestId}`,
        '/api/v1/scans/{id}',
      );
      expect(obj(body.request).patientRef).to.equal(`MRN-${name}`);
      const receipt = obj(body.receipt);
      expect(obj(receipt.proof).kind).to.equal('transaction');
      const access = body.accessLog as Record<string, unknown>[];
      expect(
        access.some((a) => a.memberId === RUN_LAB && a.purpose === 'lab-fetch' && a.outcome === 'served'),
      ).to.equal(true);
      const result = await call(
        hospital,
        hospitalContract,
        'get',
        `/api/v1/scans/${requestId}/result`,
        '/api/v1/scans/{id}/result',
      );
      expect((result.body.checks as { ok: boolean }[]).every((c) => c.ok)).to.equal(true);
      const mask = await fetch(`${hospital.url}/api/v1/scans/${requestId}/result/mask.png`, {
        headers: bearer(hospital.token),
      });
      expect(mask.status).to.equal(200);
      expect(mask.headers.get('content-type')).to.equal('image/png');
      completed.push(requestId);
    }
    // A measurement printed for the closing note, not a pass/fail bound.
    process.stdout.write(`      ${SCANS.length} uploads completed in ${Date.now() - started} ms\n`);
  });

  it('answers a retried upload with its first request, and refuses the key for another file', async () => {
    const key = `retry-${run}`;
    const first = await upload(
      hospital,
      read(SCANS[0] ?? ''),
      'a.png',
      { model: model.ref },
      { 'idempotency-key': key },
    );
    const again = await upload(
      hospital,
      read(SCANS[0] ?? ''),
      'a.png',
      { model: model.ref },
      { 'idempotency-key': key },
    );
    const a = obj(await first.json());
    const b = obj(await again.json());
    expect([first.status, again.status]).to.deep.equal([202, 202]);
    expect(b.requestId).to.equal(a.requestId);
    expect([a.replayed, b.replayed]).to.deep.equal([false, true]);
    const other = await upload(
      hospital,
      read(SCANS[1] ?? ''),
      'b.png',
      { model: model.ref },
      { 'idempotency-key': key },
    );
    expect(other.status).to.equal(409);
    expect(other.headers.get('content-type')).to.match(/^application\/problem\+json/);
  });

  it('refuses bad input with a reason and stores nothing', async () => {
    // Requests held, whatever their state (earlier uploads move on while this runs).
    const held = async (): Promise<number> =>
      Object.values(obj(obj(await (await fetch(`${hospital.url}/healthz`)).json()).scans)).reduce<number>(
        (sum, n) => sum + Number(n),
        0,
      );
    const before = await held();
    const cases: { what: string; res: Promise<Response>; status: number }[] = [
      {
        what: 'empty file',
        res: upload(hospital, new Uint8Array(), 'e.png', { model: model.ref }),
        status: 422,
      },
      {
        what: 'not an image',
        res: upload(hospital, Buffer.from('hello, not a scan'), 'x.txt', { model: model.ref }),
        status: 422,
      },
      {
        what: 'truncated PNG',
        res: upload(hospital, read(SCANS[0] ?? '').subarray(0, 200), 't.png', { model: model.ref }),
        status: 422,
      },
      {
        what: 'pixel bomb',
        res: upload(hospital, pngDeclaring(60_000, 60_000), 'bomb.png', { model: model.ref }),
        status: 413,
      },
      {
        what: 'compressed DICOM',
        res: upload(hospital, compressedDicom(), 'rle.dcm', { model: model.ref }),
        status: 415,
      },
      {
        what: 'declared type mismatch',
        res: upload(hospital, read(SCANS[0] ?? ''), 'a.png', { model: model.ref }, {}, 'image/jpeg'),
        status: 415,
      },
      { what: 'no model', res: upload(hospital, read(SCANS[0] ?? ''), 'a.png', {}), status: 400 },
      {
        what: 'unknown model',
        res: upload(hospital, read(SCANS[0] ?? ''), 'a.png', { model: `no-such-model-${run}@1.0.0` }),
        status: 404,
      },
      {
        what: 'bad priority',
        res: upload(hospital, read(SCANS[0] ?? ''), 'a.png', { model: model.ref, priority: 'now' }),
        status: 400,
      },
      {
        what: 'unknown field',
        res: upload(hospital, read(SCANS[0] ?? ''), 'a.png', { model: model.ref, patientName: 'x' }),
        status: 400,
      },
    ];
    for (const c of cases) {
      const res = await c.res;
      const body = obj(await res.json());
      expect(res.status, `${c.what}: ${JSON.stringify(body)}`).to.equal(c.status);
      expect(res.headers.get('content-type'), c.what).to.match(/^application\/problem\+json/);
      expect(body.detail, c.what).to.be.a('string');
      hospitalContract.check(
        'post',
        '/api/v1/scans',
        res.status,
        res.headers.get('content-type') ?? '',
        body,
      );
    }
    expect(await held()).to.equal(before);
    expect((await fetch(`${hospital.url}/healthz`)).status).to.equal(200);
  });

  it("keeps one hospital's requests from another and from anyone without a token", async () => {
    const id = completed[0] ?? '';
    expect((await fetch(`${hospital.url}/api/v1/scans/${id}`)).status).to.equal(401);
    expect(
      (await fetch(`${hospital.url}/api/v1/scans/${id}`, { headers: bearer(otherHospital.token) })).status,
    ).to.equal(401);
    const other = await call(
      otherHospital,
      hospitalContract,
      'get',
      `/api/v1/scans/${id}`,
      '/api/v1/scans/{id}',
    );
    expect(other.status).to.equal(404);
    const listed = await call(otherHospital, hospitalContract, 'get', '/api/v1/scans', '/api/v1/scans');
    expect(listed.body.scans).to.deep.equal([]);
    const own = await call(
      hospital,
      hospitalContract,
      'get',
      `/api/v1/scans?status=completed&limit=2`,
      '/api/v1/scans',
    );
    expect((own.body.scans as unknown[]).length).to.equal(2);
    expect(own.body.next).to.be.a('string');
    // The scan exchange is not on the users' port; on its own HTTPS port an unsigned fetch is refused,
    // and a client that trusts only public CAs does not even get a TLS session.
    expect((await fetch(`${hospital.url}/blobs/v1/scans/${id}`)).status).to.equal(404);
    const exchange = `${hospital.exchangeUrl ?? ''}/blobs/v1/scans/${id}`;
    const roots = consortiumTlsRoots(cryptoLayout(veriscanPaths().cryptoDir));
    expect((await consortiumFetch(roots)(exchange)).status).to.equal(401);
    expect(await fetch(exchange).catch((e: unknown) => e)).to.be.instanceOf(Error);
    // A hospital is no lab: its signed request for another hospital's scan is refused.
    const asHospitalB = profile().identities['hospital-b'];
    if (asHospitalB === undefined) throw new Error('no hospital-b identity');
    const signer = new RequestSigner({
      mspId: asHospitalB.mspId,
      certPem: readFileSync(asHospitalB.certFile, 'utf8'),
      privateKey: createPrivateKey(readFileSync(asHospitalB.keyFile)),
    });
    const path = `/blobs/v1/scans/${id}`;
    const signed = await consortiumFetch(roots)(`${hospital.exchangeUrl ?? ''}${path}`, {
      headers: signer.headers('GET', path, id),
    });
    expect(signed.status).to.be.oneOf([401, 403]);
  });

  it('lets the regulator audit and verify a request by re-running it, and refuses every write', async () => {
    const id = completed[completed.length - 1] ?? '';
    const listed = await call(
      regulator,
      regulatorContract,
      'get',
      '/api/v1/audit/requests?hospital=hospital-a&status=completed',
      '/api/v1/audit/requests',
    );
    expect((listed.body.requests as unknown[]).length).to.be.greaterThan(0);
    const one = await call(
      regulator,
      regulatorContract,
      'get',
      `/api/v1/audit/requests/${id}`,
      '/api/v1/audit/requests/{id}',
    );
    expect(obj(one.body.request).requestId).to.equal(id);
    const verified = await call(
      regulator,
      regulatorContract,
      'post',
      `/api/v1/audit/requests/${id}/verify`,
      '/api/v1/audit/requests/{id}/verify',
    );
    expect(verified.status).to.equal(200);
    const checks = verified.body.checks as { name: string; ok: boolean; detail: string }[];
    expect(
      checks.filter((c) => !c.ok),
      JSON.stringify(checks),
    ).to.deep.equal([]);
    expect(checks.map((c) => c.name)).to.include.members([
      'scan.commitment',
      'receipt.hash',
      'trace.hash',
      'rerun.output.outputCommitment',
      'output.commitment',
      'block.transaction',
      'block.dataHash',
    ]);
    expect(verified.body.verified).to.equal(true);
    const access = (
      await call(hospital, hospitalContract, 'get', `/api/v1/scans/${id}`, '/api/v1/scans/{id}')
    ).body.accessLog as Record<string, unknown>[];
    expect(access.some((a) => a.memberId === 'regulator-1' && a.purpose === 'audit-fetch')).to.equal(true);

    await call(regulator, regulatorContract, 'get', '/api/v1/audit/models', '/api/v1/audit/models');
    await call(regulator, regulatorContract, 'get', '/api/v1/audit/labs', '/api/v1/audit/labs');
    const blocks = await call(
      regulator,
      regulatorContract,
      'get',
      '/api/v1/audit/blocks?limit=3',
      '/api/v1/audit/blocks',
    );
    expect((blocks.body.blocks as unknown[]).length).to.equal(3);
    const missing = await call(
      regulator,
      regulatorContract,
      'get',
      `/api/v1/audit/requests/rq-${'0'.repeat(32)}`,
      '/api/v1/audit/requests/{id}',
    );
    expect(missing.status).to.equal(404);

    for (const [method, path] of [
      ['POST', '/api/v1/audit/requests'],
      ['PUT', `/api/v1/audit/requests/${id}`],
      ['DELETE', `/api/v1/audit/requests/${id}`],
      ['POST', '/api/v1/scans'],
      ['PATCH', '/api/v1/audit/models'],
    ] as const) {
      const res = await fetch(`${regulator.url}${path}`, { method, headers: bearer(regulator.token) });
      expect(res.status, `${method} ${path}`).to.equal(405);
    }
    expect((await fetch(`${regulator.url}/api/v1/audit/requests`)).status).to.equal(401);
  });

  it('keeps patient data out of everything it stores outside the hospital database', () => {
    // The DICOM fixtures carry FAKE patient data; none of it may reach the blob store (which the labs
    // and the regulator are served from).
    const secrets = ['DOE^JANE', 'FAKE', 'Fake General', 'MRN-'];
    const files = (dir: string): string[] =>
      readdirSync(dir).flatMap((n) =>
        statSync(join(dir, n)).isDirectory() ? files(join(dir, n)) : [join(dir, n)],
      );
    const blobs = files(join(hospital.stateDir, 'blobs'));
    expect(blobs.length).to.be.greaterThan(0);
    for (const file of blobs) {
      const text = readFileSync(file).toString('latin1');
      for (const s of secrets) expect(text.includes(s), `${s} in ${file}`).to.equal(false);
    }
  });

  after(() => {
    process.stdout.write(
      `      OpenAPI contract: ${(hospitalContract as Contract | undefined)?.checked ?? 0} hospital and ${(regulatorContract as Contract | undefined)?.checked ?? 0} regulator answers validated\n`,
    );
  });
});
