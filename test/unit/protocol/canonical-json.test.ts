import { expect } from 'chai';

import { ProtocolError, canonicalBytes, canonicalize } from '../../../protocol/src/index.js';
import { Json } from './vector-file.js';

const vectors = Json.load('rfc8785.json');

describe('canonical JSON (RFC 8785)', () => {
  for (const doc of vectors.get('documents').items()) {
    it(`reproduces the RFC 8785 vector: ${doc.get('name').str()}`, () => {
      expect(canonicalize(JSON.parse(doc.get('input').str()))).to.equal(doc.get('canonical').str());
    });
  }

  it('serialises every IEEE 754 sample of RFC 8785 appendix B as the RFC does', () => {
    for (const sample of vectors.get('numbers').items()) {
      const value = sample.get('bits').bytes().readDoubleBE(0);
      if (sample.get('canonical').isNull()) {
        expect(() => canonicalize(value), sample.path).to.throw(ProtocolError);
      } else {
        expect(canonicalize(value), sample.path).to.equal(sample.get('canonical').str());
      }
    }
  });

  it('encodes the canonical text as UTF-8 bytes', () => {
    expect(Buffer.from(canonicalBytes({ e: '€' })).toString('hex')).to.equal('7b2265223a22e282ac227d');
  });

  it('leaves out object members whose value is undefined', () => {
    expect(canonicalize({ b: 1, a: undefined })).to.equal('{"b":1}');
  });

  it('refuses NaN and infinities, naming where they are', () => {
    expect(() => canonicalize({ a: [1, Number.NaN] })).to.throw(ProtocolError, '$.a[1]: JSON has no NaN');
    expect(() => canonicalize(Number.POSITIVE_INFINITY)).to.throw(ProtocolError, 'Infinity');
  });

  it('refuses strings with a lone surrogate, which I-JSON forbids', () => {
    expect(() => canonicalize({ s: 'a\uD800b' })).to.throw(
      ProtocolError,
      '$.s: a string with a lone surrogate',
    );
    expect(() => canonicalize({ ['\uDC00']: 1 })).to.throw(ProtocolError, 'lone surrogate');
    expect(canonicalize('\uD83D\uDE00')).to.equal('"\uD83D\uDE00"');
  });

  it('refuses values that are not plain JSON data', () => {
    expect(() => canonicalize({ d: new Date(0) })).to.throw(ProtocolError, '$.d: only plain objects');
    expect(() => canonicalize(new Uint8Array(2))).to.throw(ProtocolError, 'only plain objects');
    expect(() => canonicalize({ n: 1n })).to.throw(ProtocolError, 'a bigint is not JSON data');
    expect(() => canonicalize([undefined])).to.throw(ProtocolError, '$[0]: undefined');
  });

  it('sorts keys by UTF-16 code units, not by code points', () => {
    // U+1F600 is D83D DE00 in UTF-16, which sorts before U+FB33 although its code point is larger.
    expect(canonicalize({ '\uFB33': 1, '\uD83D\uDE00': 2 })).to.equal('{"\uD83D\uDE00":2,"\uFB33":1}');
  });
});
