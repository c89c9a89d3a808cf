/**
 * The hospital intake without a network: limits before decoding, de-identification before storage,
 * commitments that open with the stored salt, idempotent retries, and the patient reference kept in
 * the local database only.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { DEFAULT_SCAN_LIMITS, ImagingError, decodeScan } from '@veriscan/imaging';
import { commitScan, type Salt } from '@veriscan/protocol';
import { GatewayError } from '../../../gateway-app/src/errors';
import { Intake, type Upload } from '../../../gateway-app/src/hospital/intake';
import { DiskBlobStore } from '../../../gateway-app/src/store/blob-store';
import { ScanStore } from '../../../gateway-app/src/store/scan-store';
import { fixture, memoryDatabase, tempDir } from './support';

function setUp(checkModel: (ref: string) => Promise<void> = () => Promise.resolve()) {
  const db = memoryDatabase();
  const store = new ScanStore(db);
  const dir = tempDir('intake');
  const intake = new Intake({
    store,
    blobs: new DiskBlobStore(dir),
    limits: DEFAULT_SCAN_LIMITS,
    fingerprintKey: Buffer.alloc(32, 7),
    checkModel,
  });
  return { db, store, dir, intake };
}

function uploadOf(bytes: Uint8Array, extra: Partial<Upload> = {}): Upload {
  return {
    bytes,
    declaredType: undefined,
    fields: { model: 'brain-tissue@approved', priority: 'routine', patientRef: 'MRN-0042' },
    idempotencyKey: undefined,
    userName: 'alice',
    ...extra,
  };
}

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) =>
    statSync(join(dir, n)).isDirectory() ? files(join(dir, n)) : [join(dir, n)],
  );
}

describe('hospital intake', () => {
  it('stores a de-identified DICOM whose pixels open the commitments, and keeps the patient link local', async () => {
    const { intake, store, dir, db } = setUp();
    const original = fixture('mr-axial-z057-fake-patient.dcm');
    const { row } = await intake.accept(uploadOf(original));
    expect(row.state).to.equal('accepted');
    expect(row.requestId).to.match(/^rq-[0-9a-f]{32}$/);
    const stored = readFileSync(files(dir)[0] ?? '');
    for (const fake of ['DOE^JANE', 'Fake General Hospital', 'FAKEACC', 'FAKEDOC', 'MRN-0042'])
      expect(stored.includes(Buffer.from(fake)), fake).to.equal(false);
    const pixels = await decodeScan(new Uint8Array(stored));
    expect(commitScan(pixels, row.salt as Salt, row.tileSize).scanCommitment).to.equal(row.scanCommitment);
    expect(pixels.data).to.deep.equal((await decodeScan(original)).data);
    expect(store.patientRef(row.requestId)).to.equal('MRN-0042');
    const uids = db
      .prepare('SELECT original, replacement FROM uid_map WHERE request_id = ?')
      .all(row.requestId) as {
      original: string;
      replacement: string;
    }[];
    expect(uids.length).to.be.greaterThan(0);
    for (const u of uids) {
      expect(stored.includes(Buffer.from(u.original)), u.original).to.equal(false);
      expect(stored.includes(Buffer.from(u.replacement)), u.replacement).to.equal(true);
    }
  });

  it('answers a retry with the same Idempotency-Key with the first request, and refuses the key for another upload', async () => {
    const { intake } = setUp();
    const png = fixture('brain-axial-z102-8bit.png');
    const first = await intake.accept(uploadOf(png, { idempotencyKey: 'k-1' }));
    const again = await intake.accept(uploadOf(png, { idempotencyKey: 'k-1' }));
    expect(again).to.deep.include({ replayed: true });
    expect(again.row.requestId).to.equal(first.row.requestId);
    const other = await intake
      .accept(uploadOf(fixture('brain-axial-z057-16bit.png'), { idempotencyKey: 'k-1' }))
      .catch((e: unknown) => e);
    expect(other).to.be.instanceOf(GatewayError).and.have.property('code', 'CONFLICT');
    // Another user's key is another key.
    const bob = await intake.accept(uploadOf(png, { idempotencyKey: 'k-1', userName: 'bob' }));
    expect(bob.row.requestId).not.to.equal(first.row.requestId);
  });

  it('checks limits before asking the ledger or decoding, and stores nothing for bad input', async () => {
    let asked = 0;
    const { intake, store, dir } = setUp(() => {
      asked += 1;
      return Promise.resolve();
    });
    const tooMany = new Uint8Array(DEFAULT_SCAN_LIMITS.maxBytes + 1);
    tooMany.set(fixture('brain-axial-z102-8bit.png'));
    for (const [bytes, code] of [
      [tooMany, 'SCAN_TOO_LARGE'],
      [new TextEncoder().encode('not an image'), 'INVALID_SCAN'],
      [fixture('brain-axial-z102-8bit.png').subarray(0, 100), 'INVALID_SCAN'],
    ] as const) {
      const error: unknown = await intake.accept(uploadOf(bytes)).catch((e: unknown) => e);
      expect(error, code).to.be.instanceOf(ImagingError).and.have.property('code', code);
    }
    expect(asked).to.equal(0);
    expect(store.list({ limit: 10 })).to.deep.equal([]);
    expect(files(dir)).to.deep.equal([]);
  });

  it('refuses a declared type that the bytes contradict', async () => {
    const { intake } = setUp();
    const error: unknown = await intake
      .accept(uploadOf(fixture('brain-axial-z102-8bit.png'), { declaredType: 'image/jpeg' }))
      .catch((e: unknown) => e);
    expect(error).to.be.instanceOf(ImagingError).and.have.property('code', 'MEDIA_TYPE_MISMATCH');
  });

  it('stores nothing when the ledger refuses the model', async () => {
    const { intake, store } = setUp(() =>
      Promise.reject(new GatewayError('UNPROCESSABLE', 'model deprecated')),
    );
    const error: unknown = await intake
      .accept(uploadOf(fixture('brain-axial-z102-8bit.png')))
      .catch((e: unknown) => e);
    expect(error).to.be.instanceOf(GatewayError);
    expect(store.list({ limit: 10 })).to.deep.equal([]);
  });
});
