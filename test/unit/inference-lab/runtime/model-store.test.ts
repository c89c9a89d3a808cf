import { expect } from 'chai';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Sha256Hex, sha256Hex } from '@veriscan/protocol';
import {
  type ModelHashMismatch,
  ModelHashMismatchError,
  ModelManifestError,
  ModelStore,
  RuntimeErrorCode,
  instructionSetFromCpuinfo,
} from '../../../../inference-lab/src/runtime/index.js';
import { hostCpuinfo, modelDir } from './support.js';

const instructionSet = instructionSetFromCpuinfo(hostCpuinfo());

/** A private copy of model `version` that a test may tamper with. */
function copyModel(version: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'veriscan-model-'));
  for (const file of ['model.json', 'model.onnx'])
    copyFileSync(join(modelDir(version), file), join(dir, file));
  return dir;
}

async function refusal(promise: Promise<unknown>): Promise<ModelHashMismatchError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ModelHashMismatchError) return error;
    throw error;
  }
  throw new Error('the store loaded the model');
}

describe('runtime: ModelStore', () => {
  const dirs: string[] = [];
  const stores: ModelStore[] = [];
  const newStore = (onHashMismatch?: (m: ModelHashMismatch) => void): ModelStore => {
    const store = new ModelStore({ instructionSet, ...(onHashMismatch ? { onHashMismatch } : {}) });
    stores.push(store);
    return store;
  };
  afterEach(async () => {
    for (const store of stores.splice(0)) await store.close();
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('loads both shipped versions, whose files hash to their model.json', async () => {
    const store = newStore();
    for (const version of ['1.0.0', '1.1.0']) {
      const model = await store.load(modelDir(version));
      expect(model.manifest.version).to.equal(version);
      expect(model.hash).to.equal(sha256Hex(readFileSync(join(modelDir(version), 'model.onnx'))));
    }
  });

  it('refuses a tampered ONNX file with a typed error, counts it, and creates no session', async () => {
    const dir = copyModel('1.0.0');
    dirs.push(dir);
    const onnx = readFileSync(join(dir, 'model.onnx'));
    onnx[onnx.length - 10] = (onnx[onnx.length - 10] ?? 0) ^ 0x01;
    writeFileSync(join(dir, 'model.onnx'), onnx);
    const seen: ModelHashMismatch[] = [];
    const store = newStore((m) => seen.push(m));
    const error = await refusal(store.load(dir));
    expect(error.code).to.equal(RuntimeErrorCode.MODEL_HASH_MISMATCH);
    expect(error.message).to.contain(sha256Hex(onnx)).and.to.contain('was not loaded');
    expect(seen).to.have.length(1);
    expect(seen[0]?.actual).to.equal(sha256Hex(onnx));
    expect(await store.get('brain-tissue', '1.0.0')).to.equal(undefined);
  });

  it('refuses a genuine file when the approved on-chain hash is another one', async () => {
    const approved = sha256Hex(readFileSync(join(modelDir('1.1.0'), 'model.onnx')));
    let count = 0;
    const store = newStore(() => (count += 1));
    const error = await refusal(store.load({ dir: modelDir('1.0.0'), expectedSha256: approved }));
    expect(error.mismatch.expected).to.equal(approved);
    expect(count).to.equal(1);
  });

  it('loads with the approved hash and caches one session per version', async () => {
    const store = newStore();
    const approved = sha256Hex(readFileSync(join(modelDir('1.0.0'), 'model.onnx')));
    const [a, b] = await Promise.all([
      store.load({ dir: modelDir('1.0.0'), expectedSha256: approved }),
      store.load(modelDir('1.0.0')),
    ]);
    expect(a).to.equal(b);
    expect(await store.get('brain-tissue', '1.0.0')).to.equal(a);
  });

  it('refuses a cached version when asked for it under a different approved hash', async () => {
    const store = newStore();
    await store.load(modelDir('1.0.0'));
    const other = '0'.repeat(64) as Sha256Hex;
    await refusal(store.load({ dir: modelDir('1.0.0'), expectedSha256: other }));
  });

  it('refuses a model.json that asks for a preprocessing it does not implement', async () => {
    const dir = copyModel('1.0.0');
    dirs.push(dir);
    const manifest: unknown = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
    writeFileSync(
      join(dir, 'model.json'),
      JSON.stringify({ ...(manifest as object), preprocess: { algorithm: 'lanczos3/v1', size: 256 } }),
    );
    try {
      await newStore().load(dir);
      expect.fail('loaded');
    } catch (error) {
      expect(error).to.be.instanceOf(ModelManifestError);
      expect((error as Error).message).to.contain('preprocess.algorithm');
    }
  });

  it('reports its pinned session options as the determinism profile', () => {
    const store = new ModelStore({ instructionSet: 'avx2', intraOpThreads: 2 });
    const profile = store.profile;
    expect(profile).to.include({
      executionProvider: 'cpu',
      graphOptimizationLevel: 'all',
      executionMode: 'sequential',
      intraOpThreads: 2,
      interOpThreads: 1,
      instructionSet: 'avx2',
      cpuArch: process.arch,
    });
    expect(profile.onnxruntimeVersion).to.match(/^1\.\d+\.\d+$/);
    expect(profile.preprocessor).to.match(/^sharp \S+ \/ libvips \S+ \/ letterbox-bilinear-minmax\/v1$/);
  });

  it('refuses an unpinned thread count', () => {
    expect(() => new ModelStore({ instructionSet, intraOpThreads: 0 })).to.throw(RangeError);
  });
});
