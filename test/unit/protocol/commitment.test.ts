import { expect } from 'chai';

import {
  ProtocolError,
  type Salt,
  newSalt,
  outputCommitment,
  parseSalt,
  parseSha256Hex,
  scanCommitment,
  tensorCommitment,
  tileRootCommitment,
  verifyCommitment,
} from '../../../protocol/src/index.js';
import { seededRandom } from './fixtures.js';
import { Json } from './vector-file.js';

describe('salted commitments', () => {
  for (const [i, vector] of Json.load('commitments.json').get('cases').items().entries()) {
    it(`reproduces the scan, tile-root, output and tensor commitments of vector ${i}`, () => {
      const salt = parseSalt(vector.get('salt').str());
      const hash = vector.get('hash').str();
      const expected = vector.get('expect');
      const digest = parseSha256Hex(hash);
      expect(scanCommitment(salt, digest)).to.equal(expected.get('scan').str());
      expect(tileRootCommitment(salt, digest)).to.equal(expected.get('tileRoot').str());
      expect(outputCommitment(salt, digest)).to.equal(expected.get('output').str());
      expect(tensorCommitment(salt, digest)).to.equal(expected.get('tensor').str());
    });
  }

  const hash = parseSha256Hex('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');

  it('draws a 32-byte salt from the injected source, so tests and replays are deterministic', () => {
    expect(newSalt(seededRandom(1))).to.equal(newSalt(seededRandom(1)));
    expect(newSalt(seededRandom(1))).not.to.equal(newSalt(seededRandom(2)));
    expect(newSalt(seededRandom(1))).to.match(/^[0-9a-f]{64}$/);
  });

  it('refuses a random source that returns the wrong length or only zeros', () => {
    expect(() => newSalt(() => new Uint8Array(16))).to.throw(
      ProtocolError,
      'salt: random source returned 16 bytes',
    );
    expect(() => newSalt((n) => new Uint8Array(n))).to.throw(ProtocolError, 'only zero bytes');
  });

  it('gives different commitments to the same scan under different salts, so a bare hash cannot be tested', () => {
    const a = newSalt(seededRandom(1));
    const b = newSalt(seededRandom(2));
    expect(scanCommitment(a, hash)).not.to.equal(scanCommitment(b, hash));
  });

  it('opens a commitment only with the right kind, salt and hash', () => {
    const salt = newSalt(seededRandom(3));
    const digest = hash;
    const c = scanCommitment(salt, digest);
    expect(verifyCommitment('scan', c, salt, digest)).to.be.true;
    expect(verifyCommitment('tileRoot', c, salt, digest), 'other kind').to.be.false;
    expect(verifyCommitment('scan', c, newSalt(seededRandom(4)), digest), 'other salt').to.be.false;
    expect(verifyCommitment('scan', c, salt, parseSha256Hex('00'.repeat(32))), 'other hash').to.be.false;
  });

  it('refuses a malformed salt', () => {
    expect(() => scanCommitment('AB'.repeat(32) as Salt, hash)).to.throw(ProtocolError, 'salt');
  });
});
