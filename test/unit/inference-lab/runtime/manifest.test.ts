import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sha256Hex } from '@veriscan/protocol';
import { parseModelSpec } from '../../../../chaincode/src/domain/model.js';
import {
  ModelManifestError,
  parseModelManifest,
  registrySpec,
} from '../../../../inference-lab/src/runtime/index.js';
import { modelDir } from './support.js';

function rawManifest(version: string): Record<string, unknown> {
  const value: unknown = JSON.parse(readFileSync(join(modelDir(version), 'model.json'), 'utf8'));
  if (typeof value !== 'object' || value === null) throw new Error('model.json is not an object');
  return { ...value };
}

describe('runtime: model.json', () => {
  for (const version of ['1.0.0', '1.1.0']) {
    it(`parses brain-tissue ${version}, whose onnxSha256 is the committed file's SHA-256 and which fits 5 MB`, () => {
      const manifest = parseModelManifest(rawManifest(version));
      const onnx = readFileSync(join(modelDir(version), manifest.onnx.file));
      expect(manifest).to.deep.include({ modelId: 'brain-tissue', version });
      expect(manifest.onnxSha256).to.equal(sha256Hex(onnx));
      expect(manifest.onnx.sizeBytes)
        .to.equal(onnx.length)
        .and.to.be.below(5 * 1024 * 1024);
      expect(manifest.onnx.opset).to.be.at.least(17);
      expect(manifest.output.classes).to.deep.equal([
        'background',
        'grey-matter',
        'white-matter',
        'csf-or-other',
      ]);
    });

    it(`gives for ${version} a ProposeModel spec that the chaincode's own parser accepts unchanged`, () => {
      const spec = registrySpec(parseModelManifest(rawManifest(version)));
      const parsed = parseModelSpec(JSON.parse(JSON.stringify(spec)), 'spec');
      expect(parsed).to.deep.include({ modelId: 'brain-tissue', version, onnxSha256: spec.onnxSha256 });
      expect(parsed.input.normalisation.mode).to.equal('min-max');
    });
  }

  it('refuses a manifest with an uppercase or short hash', () => {
    const raw = rawManifest('1.0.0');
    expect(() => parseModelManifest({ ...raw, onnxSha256: 'AB'.repeat(32) })).to.throw(
      ModelManifestError,
      /onnxSha256/,
    );
    expect(() => parseModelManifest({ ...raw, onnxSha256: 'ab' })).to.throw(ModelManifestError, /onnxSha256/);
  });

  it('refuses an output shape that does not give one logit plane per class', () => {
    const raw = rawManifest('1.0.0');
    const onnx = {
      ...(raw.onnx as object),
      output: { name: 'logits', shape: [1, 3, 256, 256], type: 'float32' },
    };
    expect(() => parseModelManifest({ ...raw, onnx })).to.throw(ModelManifestError, /onnx.output.shape/);
  });

  it('refuses an ONNX file name that leaves the model folder', () => {
    const raw = rawManifest('1.0.0');
    const onnx = { ...(raw.onnx as object), file: '../other/model.onnx' };
    expect(() => parseModelManifest({ ...raw, onnx })).to.throw(ModelManifestError, /onnx.file/);
  });
});
