import { expect } from 'chai';
import {
  type Salt,
  commitScan,
  hashOutput,
  hashTensor,
  outputCommitment,
  parseSalt,
  parseTrace,
  traceHash,
  verifyTrace,
} from '@veriscan/protocol';
import {
  type LoadedModel,
  ModelStore,
  ScanCommitmentMismatchError,
  decodeScan,
  instructionSetFromCpuinfo,
  preprocess,
  reRunAndVerify,
  runInference,
} from '../../../../inference-lab/src/runtime/index.js';
import { hostCpuinfo, modelDir, scanBytes, scanFixtures } from './support.js';

const SALT: Salt = parseSalt('5a'.repeat(32), 'salt');
const OTHER_SALT: Salt = parseSalt('a5'.repeat(32), 'salt');
const instructionSet = instructionSetFromCpuinfo(hostCpuinfo());

describe('runtime: runInference', function () {
  // Each run is tens of milliseconds; loading sessions on a busy 2-core machine can take longer.
  this.timeout(60_000);
  const oneThread = new ModelStore({ instructionSet, intraOpThreads: 1 });
  const twoThreads = new ModelStore({ instructionSet, intraOpThreads: 2 });
  let model: LoadedModel;
  let model2: LoadedModel;
  before(async () => {
    model = await oneThread.load(modelDir('1.0.0'));
    model2 = await twoThreads.load(modelDir('1.0.0'));
  });
  after(async () => {
    await oneThread.close();
    await twoThreads.close();
  });

  for (const fixture of scanFixtures()) {
    it(`gives ${fixture.name} the same output hash on repeated runs and with 1 or 2 intra-op threads`, async () => {
      const input = { scanBytes: scanBytes(fixture.name), mediaType: fixture.mediaType, salt: SALT };
      const first = await runInference({ ...input, model });
      const second = await runInference({ ...input, model });
      const threaded = await runInference({ ...input, model: model2 });
      expect(second.outputHash).to.equal(first.outputHash);
      expect(second.traceHash).to.equal(first.traceHash);
      expect(threaded.outputHash).to.equal(first.outputHash);
      // The profile differs (threads), so the trace hash does; every integrity check still passes.
      expect(threaded.trace.profile.intraOpThreads).to.equal(2);
      expect(verifyTrace(first.trace, threaded.trace).ok).to.equal(true);
    });
  }

  it('builds a trace that the protocol parses and that verifies against an independent re-run', async () => {
    const scan = scanBytes('mr-axial-z057-explicit.dcm');
    const result = await runInference({ scanBytes: scan, mediaType: 'application/dicom', salt: SALT, model });
    expect(parseTrace(JSON.parse(JSON.stringify(result.trace)))).to.deep.equal(result.trace);
    expect(result.traceHash).to.equal(traceHash(result.trace));
    const verifier = new ModelStore({ instructionSet });
    try {
      const { verification } = await reRunAndVerify(result.trace, {
        scanBytes: scan,
        mediaType: 'application/dicom',
        salt: SALT,
        model: await verifier.load(modelDir('1.0.0')),
      });
      expect(verification.ok).to.equal(true);
      expect(verification.samePinnedEnvironment).to.equal(true);
      expect(verification.failed).to.deep.equal([]);
    } finally {
      await verifier.close();
    }
  });

  it('fails verification of the commitments when the verifier holds another salt', async () => {
    const scan = scanBytes('brain-axial-z102-8bit.png');
    const result = await runInference({ scanBytes: scan, salt: SALT, model });
    const { verification } = await reRunAndVerify(result.trace, { scanBytes: scan, salt: OTHER_SALT, model });
    expect(verification.ok).to.equal(false);
    // Every commitment is salted (protocol version 2), so another salt fails all four and nothing else.
    expect(verification.failed).to.deep.equal([
      'pixels.scanCommitment',
      'pixels.tileRootCommitment',
      'preprocess.tensorCommitment',
      'output.outputCommitment',
    ]);
  });

  it('fails verification of the output when another model version re-runs it', async () => {
    const scan = scanBytes('brain-axial-z102-8bit.png');
    const result = await runInference({ scanBytes: scan, salt: SALT, model });
    const other = await oneThread.load(modelDir('1.1.0'));
    const { verification } = await reRunAndVerify(result.trace, {
      scanBytes: scan,
      salt: SALT,
      model: other,
    });
    expect(verification.failed).to.include.members(['model.ref', 'model.hash']);
  });

  it('refuses to run a scan whose commitment differs from the ledger one', async () => {
    const scan = scanBytes('brain-axial-z102-8bit.png');
    const committed = commitScan(await decodeScan(scan), OTHER_SALT);
    try {
      await runInference({
        scanBytes: scan,
        salt: SALT,
        model,
        expected: { scanCommitment: committed.scanCommitment },
      });
      expect.fail('ran');
    } catch (error) {
      expect(error).to.be.instanceOf(ScanCommitmentMismatchError);
    }
    const ok = await runInference({
      scanBytes: scan,
      salt: OTHER_SALT,
      model,
      expected: {
        scanCommitment: committed.scanCommitment,
        tileRootCommitment: committed.tileRootCommitment,
      },
    });
    expect(ok.trace.pixels.scanCommitment).to.equal(committed.scanCommitment);
  });

  it('serves a lossless mask PNG and a scores JSON from which the hospital recomputes the output hash', async () => {
    const result = await runInference({
      scanBytes: scanBytes('brain-axial-z057-16bit.png'),
      salt: SALT,
      model,
    });
    const mask = await decodeScan(result.outputs.maskPng, 'image/png');
    expect([mask.width, mask.height, mask.channels, mask.bitDepth]).to.deep.equal([256, 256, 1, 8]);
    const scores: unknown = JSON.parse(result.outputs.scoresJson.toString('utf8'));
    expect(scores).to.nested.include({
      'model.id': 'brain-tissue',
      'model.version': '1.0.0',
      'mask.width': 256,
    });
    const e4 = (scores as { scores: { e4: number }[] }).scores.map((s) => s.e4);
    const recomputed = hashOutput({
      mask: { width: 256, height: 256, classes: 4, data: new Uint8Array(mask.data) },
      scoresE4: e4,
    });
    expect(recomputed).to.equal(result.outputHash);
    expect(outputCommitment(SALT, recomputed)).to.equal(result.outputCommitment);
  });

  it('labels most of a brain slice as grey and white matter, as the model card claims it can', async () => {
    const result = await runInference({
      scanBytes: scanBytes('brain-axial-z102-8bit.png'),
      salt: SALT,
      model,
    });
    const [gm = 0, wm = 0, other = 0, confidence = 0] = result.output.scoresE4;
    expect(gm + wm + other).to.be.within(9998, 10002); // shares of the brain pixels
    expect(gm + wm).to.be.above(8000);
    expect(confidence).to.be.above(9000);
  });

  it('puts no scan hash, tile root, tensor hash, output hash or salt in the trace, only salted commitments', async () => {
    const scan = scanBytes('brain-axial-z102-8bit.png');
    const result = await runInference({ scanBytes: scan, salt: SALT, model });
    const pixels = await decodeScan(scan);
    const digests = commitScan(pixels, SALT);
    const tensorHash = hashTensor(preprocess(pixels, model.manifest));
    const text = JSON.stringify(result.trace);
    for (const secret of [digests.pixelsHash, digests.tileRoot, tensorHash, result.outputHash, SALT]) {
      expect(text).not.to.contain(secret);
    }
    expect(result.trace.output.outputCommitment).to.equal(result.outputCommitment);
  });
});
