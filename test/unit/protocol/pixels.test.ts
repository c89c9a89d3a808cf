import { expect } from 'chai';

import {
  ProtocolError,
  commitScan,
  extractTile,
  hashPixels,
  parseSalt,
  tileGrid,
  tileProof,
  tileRect,
  tileRoot,
  verifyTileProof,
} from '../../../protocol/src/index.js';
import { vectorImage } from './fixtures.js';
import { Json } from './vector-file.js';

const cases = Json.load('pixels.json').get('images').items();

describe('pixels and tiles', () => {
  for (const vector of cases) {
    const name = vector.get('name').str();
    const image = vectorImage(vector.get('image'));
    const tileSize = vector.get('tileSize').num();
    const expected = vector.get('expect');

    it(`reproduces the scan hash and tile root of vector ${name}`, () => {
      expect(hashPixels(image)).to.equal(expected.get('pixelsHash').str());
      expect(tileRoot(image, tileSize)).to.equal(expected.get('tileRoot').str());
      expect(tileGrid(image, tileSize).count).to.equal(expected.get('tileCount').num());
    });

    it(`reproduces and accepts the tile proofs of vector ${name}`, () => {
      const root = tileRoot(image, tileSize);
      for (const p of expected.get('tileProofs').items()) {
        const index = p.get('index').num();
        const proof = tileProof(image, index, tileSize);
        expect(proof.path).to.deep.equal(p.get('path').strs());
        expect(verifyTileProof(proof, extractTile(image, index, tileSize), root)).to.be.true;
      }
    });
  }

  const image = vectorImage(cases[3]?.get('image') ?? new Json(null, 'missing'));

  it('uses 32 x 32 tiles when no tile size is given', () => {
    expect(tileRoot(image)).to.equal(tileRoot(image, 32));
    expect(tileRect(image, 32, 5)).to.deep.equal({ x: 64, y: 32, width: 6, height: 13 });
  });

  it('hashes 16-bit samples big-endian whatever the host byte order', () => {
    const a = { width: 1, height: 1, channels: 1, bitDepth: 16, data: Uint16Array.of(0x0102) } as const;
    const b = { width: 1, height: 1, channels: 1, bitDepth: 16, data: Uint16Array.of(0x0201) } as const;
    expect(hashPixels(a)).not.to.equal(hashPixels(b));
  });

  it('changes the scan hash when a single sample or the shape changes', () => {
    const base = { width: 2, height: 2, channels: 1, bitDepth: 8, data: Uint8Array.of(1, 2, 3, 4) } as const;
    expect(hashPixels({ ...base, data: Uint8Array.of(1, 2, 3, 5) })).not.to.equal(hashPixels(base));
    expect(hashPixels({ ...base, width: 4, height: 1 })).not.to.equal(hashPixels(base));
  });

  it('rejects a tile proof for another tile, a changed tile, or another image shape', () => {
    const root = tileRoot(image);
    const proof = tileProof(image, 1);
    const tile = extractTile(image, 1);
    expect(verifyTileProof(proof, tile, root)).to.be.true;
    expect(verifyTileProof({ ...proof, index: 0 }, tile, root), 'other index').to.be.false;
    const changed =
      tile.bitDepth === 16 ? { ...tile, data: tile.data.map((v, i) => (i === 0 ? v ^ 1 : v)) } : tile;
    expect(verifyTileProof(proof, changed, root), 'changed sample').to.be.false;
    expect(verifyTileProof({ ...proof, image: { ...proof.image, width: 71 } }, tile, root), 'other width').to
      .be.false;
    expect(verifyTileProof({ ...proof, tileSize: 16 }, tile, root), 'other tile size').to.be.false;
    expect(verifyTileProof({ ...proof, index: 99 }, tile, root), 'index outside the grid').to.be.false;
  });

  it('commits scan and tile root in one pass with the same results as the separate functions', () => {
    const digests = commitScan(image, parseSalt('ab'.repeat(32)));
    expect(digests.pixelsHash).to.equal(hashPixels(image));
    expect(digests.tileRoot).to.equal(tileRoot(image));
  });

  it('refuses malformed images, naming the field', () => {
    const ok = { width: 2, height: 1, channels: 1, bitDepth: 8, data: Uint8Array.of(1, 2) } as const;
    expect(() => hashPixels({ ...ok, data: Uint8Array.of(1) })).to.throw(
      ProtocolError,
      'image.data: must hold width x height x channels = 2 samples, got 1',
    );
    expect(() => hashPixels({ ...ok, width: 0 })).to.throw(ProtocolError, 'image.width');
    expect(() => hashPixels({ ...ok, width: 1.5 })).to.throw(ProtocolError, 'image.width');
    expect(() => tileRoot(ok, 0)).to.throw(ProtocolError, 'tileSize');
    expect(() => tileProof(ok, 5)).to.throw(ProtocolError, 'index');
  });
});
