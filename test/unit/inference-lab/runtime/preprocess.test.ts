import { expect } from 'chai';
import { type PixelImage, hashTensor } from '@veriscan/protocol';
import {
  ModelManifestError,
  decodeScan,
  letterboxGeometry,
  parseModelManifest,
  preprocess,
} from '../../../../inference-lab/src/runtime/index.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { modelDir, scanBytes, scanFixtures } from './support.js';

const manifest = parseModelManifest(JSON.parse(readFileSync(join(modelDir('1.0.0'), 'model.json'), 'utf8')));

function range(data: Float32Array): { min: number; max: number } {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const v of data) {
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  return { min, max };
}

describe('runtime: preprocess (letterbox-bilinear-minmax/v1)', () => {
  for (const fixture of scanFixtures()) {
    it(`turns ${fixture.name} into a 1x1x256x256 float32 tensor in [0, 1], the same on every call`, async () => {
      const pixels = await decodeScan(scanBytes(fixture.name), fixture.mediaType);
      const a = preprocess(pixels, manifest);
      const b = preprocess(pixels, manifest);
      expect(a.shape).to.deep.equal([1, 1, 256, 256]);
      expect(a.data).to.be.instanceOf(Float32Array);
      expect(a.data.length).to.equal(256 * 256);
      // Resampling blends neighbours, so the brightest sample need not land on a pixel centre.
      const { min, max } = range(a.data);
      expect(min).to.equal(0);
      expect(max).to.be.within(0.99, 1);
      expect(Buffer.from(a.data.buffer).equals(Buffer.from(b.data.buffer))).to.equal(true);
    });

    if (fixture.tensorHash !== null) {
      const expected = fixture.tensorHash;
      it(`gives ${fixture.name} the bit-identical tensor of the NumPy twin (preprocess.py)`, async () => {
        const pixels = await decodeScan(scanBytes(fixture.name), fixture.mediaType);
        expect(hashTensor(preprocess(pixels, manifest))).to.equal(expected);
      });
    }
  }

  it('letterboxes a 197 x 233 slice into a centred 216 x 256 band with zero bars', async () => {
    expect(letterboxGeometry(197, 233, 256)).to.deep.equal({
      size: 256,
      contentWidth: 216,
      contentHeight: 256,
      offsetX: 20,
      offsetY: 0,
    });
    const tensor = preprocess(await decodeScan(scanBytes('brain-axial-z102-8bit.png')), manifest);
    for (let y = 0; y < 256; y += 1) {
      for (const x of [0, 19, 236, 255]) expect(tensor.data[y * 256 + x]).to.equal(0);
    }
  });

  it('averages 2 x 2 blocks exactly when halving a 512 x 512 image', () => {
    const data = new Uint8Array(512 * 512);
    data.forEach((_, i) => {
      data[i] = (i * 7919) % 251;
    });
    const image: PixelImage = { width: 512, height: 512, channels: 1, bitDepth: 8, data };
    const tensor = preprocess(image, manifest);
    const at = (x: number, y: number): number => data[y * 512 + x] ?? -1;
    const expected = (at(20, 30) + at(21, 30) + at(20, 31) + at(21, 31)) / 4 / 250;
    expect(tensor.data[15 * 256 + 10]).to.be.closeTo(expected, 1e-6);
  });

  it('maps a constant image to zeros instead of dividing by zero', () => {
    const image: PixelImage = {
      width: 64,
      height: 64,
      channels: 1,
      bitDepth: 16,
      data: new Uint16Array(64 * 64).fill(900),
    };
    expect(range(preprocess(image, manifest).data)).to.deep.equal({ min: 0, max: 0 });
  });

  it('uses BT.601 luma for RGB and ignores alpha', () => {
    const rgba = new Uint8Array([255, 0, 0, 10, 0, 255, 0, 200, 0, 0, 255, 255, 0, 0, 0, 0]);
    const image: PixelImage = { width: 2, height: 2, channels: 4, bitDepth: 8, data: rgba };
    const tensor = preprocess(image, manifest);
    // Grey values 76.245, 149.685, 29.07, 0 -> min-max over [0, 149.685]; the top-left output pixel sits
    // on the first source pixel (a 2x2 image scaled by 128 clamps its corner taps).
    expect(tensor.data[0]).to.be.closeTo((0.299 * 255) / (0.587 * 255), 1e-6);
  });

  it('refuses a manifest whose preprocessing it does not implement', () => {
    const image: PixelImage = { width: 2, height: 2, channels: 1, bitDepth: 8, data: new Uint8Array(4) };
    const other = { ...manifest, preprocess: { ...manifest.preprocess, algorithm: 'lanczos3/v1' } };
    expect(() => preprocess(image, other)).to.throw(ModelManifestError);
  });
});
