import { expect } from 'chai';

import {
  ProtocolError,
  argmaxMask,
  hashOutput,
  hashTensor,
  quantizeScore,
  roundHalfEven,
} from '../../../protocol/src/index.js';
import { float32FromHex } from './fixtures.js';
import { Json } from './vector-file.js';

const vectors = Json.load('quantisation.json');

describe('quantisation and output digests', () => {
  it('quantises every vector score to the expected count of 1e-4', () => {
    for (const c of vectors.get('scores').items()) {
      const value = c.has('float32Hex') ? c.get('float32Hex').bytes().readFloatBE(0) : c.get('value').num();
      expect(quantizeScore(value), c.path).to.equal(c.get('e4').num());
    }
  });

  it('rounds exact halves to the even neighbour, unlike Math.round', () => {
    expect([0.5, 1.5, 2.5, -0.5, -1.5, -2.5].map(roundHalfEven)).to.deep.equal([0, 2, 2, 0, -2, -2]);
    expect(quantizeScore(0.00025)).to.equal(2); // 0.00025 * 10000 is exactly 2.5 in double precision
    expect(Object.is(quantizeScore(-0.00001), 0)).to.be.true;
  });

  it('refuses scores that are not finite or outside the int32 range', () => {
    expect(() => quantizeScore(Number.NaN)).to.throw(ProtocolError, 'score: must be finite');
    expect(() => quantizeScore(1e6)).to.throw(ProtocolError, 'outside');
  });

  for (const c of vectors.get('argmax').items()) {
    it(`reproduces the argmax vector: ${c.get('name').str()}`, () => {
      const layout = c.get('layout').str() === 'hwc' ? 'hwc' : 'chw';
      const mask = argmaxMask({
        logits: Float32Array.from(c.get('logits').nums()),
        classes: c.get('classes').num(),
        width: c.get('width').num(),
        height: c.get('height').num(),
        layout,
      });
      expect([...mask]).to.deep.equal(c.get('mask').nums());
    });
  }

  it('refuses NaN logits and mismatched sizes', () => {
    const base = { classes: 2, width: 1, height: 1, layout: 'chw' as const };
    expect(() => argmaxMask({ ...base, logits: Float32Array.of(0, Number.NaN) })).to.throw(
      ProtocolError,
      'NaN at pixel 0, class 1',
    );
    expect(() => argmaxMask({ ...base, logits: Float32Array.of(0) })).to.throw(ProtocolError, 'logits');
  });

  for (const c of vectors.get('tensors').items()) {
    it(`reproduces the tensor hash vector: ${c.get('name').str()}`, () => {
      expect(
        hashTensor({ shape: c.get('shape').nums(), data: float32FromHex(c.get('dataHex').str()) }),
      ).to.equal(c.get('hash').str());
    });
  }

  it('refuses a tensor whose data does not fill its shape', () => {
    expect(() => hashTensor({ shape: [2, 2], data: new Float32Array(3) })).to.throw(
      ProtocolError,
      'tensor.data: must hold 4 values',
    );
    expect(() => hashTensor({ shape: [0], data: new Float32Array(0) })).to.throw(
      ProtocolError,
      'tensor.shape[0]',
    );
  });

  for (const c of vectors.get('outputs').items()) {
    it(`reproduces the output hash vector: ${c.get('name').str()}`, () => {
      const out = c.get('output');
      const mask = out.get('mask');
      expect(
        hashOutput({
          mask: mask.isNull()
            ? null
            : {
                width: mask.get('width').num(),
                height: mask.get('height').num(),
                classes: mask.get('classes').num(),
                data: Uint8Array.from(mask.get('data').nums()),
              },
          scoresE4: out.get('scoresE4').nums(),
        }),
      ).to.equal(c.get('hash').str());
    });
  }

  it('refuses outputs that break the layout, naming the field', () => {
    const mask = { width: 2, height: 1, classes: 2, data: Uint8Array.of(0, 2) };
    expect(() => hashOutput({ mask, scoresE4: [] })).to.throw(
      ProtocolError,
      'output.mask.data[1]: class 2 is not below 2',
    );
    expect(() => hashOutput({ mask: null, scoresE4: [] })).to.throw(
      ProtocolError,
      'must have a mask, scores, or both',
    );
    expect(() => hashOutput({ mask: null, scoresE4: [0.5] })).to.throw(ProtocolError, 'output.scoresE4[0]');
  });
});
