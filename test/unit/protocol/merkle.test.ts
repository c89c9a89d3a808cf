import { expect } from 'chai';

import { merkle } from '../../../protocol/src/index.js';
import { Json } from './vector-file.js';

const vectors = Json.load('rfc6962.json');
const leaves = vectors.get('leaves').byteList();
const roots = vectors.get('roots').byteList();
const rootAt = (size: number): Buffer => {
  const root = roots[size];
  if (root === undefined) throw new Error(`no root for size ${size}`);
  return root;
};
const hexOf = (nodes: readonly Uint8Array[]): string[] => nodes.map((n) => Buffer.from(n).toString('hex'));
const flip = (node: Uint8Array, bit: number): Uint8Array => {
  const copy = Uint8Array.from(node);
  copy[0] = (copy[0] ?? 0) ^ bit;
  return copy;
};
const someHash = Buffer.from('abacaba000000000000000000000000000000000000000000060061e00123456', 'hex');

describe('merkle (RFC 6962)', () => {
  it('computes the published tree head for every size from 0 to 8', () => {
    for (let size = 0; size <= 8; size += 1) {
      expect(Buffer.from(merkle.root(leaves.slice(0, size))).toString('hex'), `size ${size}`).to.equal(
        rootAt(size).toString('hex'),
      );
    }
  });

  it('gives the SHA-256 of the empty string as the root of an empty tree', () => {
    expect(Buffer.from(merkle.root([])).toString('hex')).to.equal(
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
  });

  describe('inclusion proofs', () => {
    for (const vector of vectors.get('inclusion').items()) {
      const index = vector.get('index').num();
      const size = vector.get('size').num();
      const path = vector.get('path').byteList();
      const tree = leaves.slice(0, size);
      const leaf = tree[index] ?? Buffer.alloc(0);

      it(`generates and accepts the published path for leaf ${index} of ${size}`, () => {
        expect(hexOf(merkle.inclusionProof(tree, index))).to.deep.equal(hexOf(path));
        expect(merkle.verifyInclusion(leaf, index, size, path, rootAt(size))).to.be.true;
      });

      it(`rejects every corruption of the path for leaf ${index} of ${size}`, () => {
        const root = rootAt(size);
        const probes: [string, boolean][] = [
          ['index - 1', merkle.verifyInclusion(leaf, index - 1, size, path, root)],
          ['index + 1', merkle.verifyInclusion(leaf, index + 1, size, path, root)],
          ['index ^ 2', merkle.verifyInclusion(leaf, index ^ 2, size, path, root)],
          ['size * 2', merkle.verifyInclusion(leaf, index, size * 2, path, root)],
          ['size / 2', merkle.verifyInclusion(leaf, index, Math.floor(size / 2), path, root)],
          ['wrong leaf', merkle.verifyInclusion(Buffer.from('WrongLeaf'), index, size, path, root)],
          ['empty-tree root', merkle.verifyInclusion(leaf, index, size, path, rootAt(0))],
          ['random root', merkle.verifyInclusion(leaf, index, size, path, someHash)],
          ['trailing garbage', merkle.verifyInclusion(leaf, index, size, [...path, Buffer.alloc(0)], root)],
          ['trailing root', merkle.verifyInclusion(leaf, index, size, [...path, root], root)],
          ['preceding root', merkle.verifyInclusion(leaf, index, size, [root, ...path], root)],
        ];
        path.forEach((_, i) => {
          const corrupt = path.map((n, j) => (j === i ? flip(n, 8) : n));
          probes.push([
            `flipped bit in path[${i}]`,
            merkle.verifyInclusion(leaf, index, size, corrupt, root),
          ]);
        });
        if (path.length > 0)
          probes.push(['removed node', merkle.verifyInclusion(leaf, index, size, path.slice(0, -1), root)]);
        expect(probes.filter(([, accepted]) => accepted).map(([name]) => name)).to.deep.equal([]);
      });
    }
  });

  describe('consistency proofs', () => {
    for (const vector of vectors.get('consistency').items()) {
      const oldSize = vector.get('old').num();
      const newSize = vector.get('new').num();
      const proof = vector.get('proof').byteList();

      it(`generates and accepts the published proof from ${oldSize} to ${newSize} leaves`, () => {
        expect(hexOf(merkle.consistencyProof(leaves.slice(0, newSize), oldSize))).to.deep.equal(hexOf(proof));
        expect(merkle.verifyConsistency(oldSize, newSize, proof, rootAt(oldSize), rootAt(newSize))).to.be
          .true;
      });

      if (proof.length > 0) {
        it(`rejects every corruption of the proof from ${oldSize} to ${newSize} leaves`, () => {
          const [r1, r2] = [rootAt(oldSize), rootAt(newSize)];
          const first = proof[0] ?? Buffer.alloc(0);
          const probes: [string, boolean][] = [
            ['old - 1', merkle.verifyConsistency(oldSize - 1, newSize, proof, r1, r2)],
            ['old + 1', merkle.verifyConsistency(oldSize + 1, newSize, proof, r1, r2)],
            ['old ^ 2', merkle.verifyConsistency(oldSize ^ 2, newSize, proof, r1, r2)],
            ['new * 2', merkle.verifyConsistency(oldSize, newSize * 2, proof, r1, r2)],
            ['new / 2', merkle.verifyConsistency(oldSize, Math.floor(newSize / 2), proof, r1, r2)],
            [
              'wrong old root',
              merkle.verifyConsistency(oldSize, newSize, proof, Buffer.from('WrongRoot'), r2),
            ],
            ['wrong new root', merkle.verifyConsistency(oldSize, newSize, proof, r1, someHash)],
            ['swapped roots', merkle.verifyConsistency(oldSize, newSize, proof, r2, r1)],
            ['empty proof', merkle.verifyConsistency(oldSize, newSize, [], r1, r2)],
            ['trailing old root', merkle.verifyConsistency(oldSize, newSize, [...proof, r1], r1, r2)],
            ['trailing new root', merkle.verifyConsistency(oldSize, newSize, [...proof, r2], r1, r2)],
            ['preceding proof[0]', merkle.verifyConsistency(oldSize, newSize, [first, ...proof], r1, r2)],
            ['truncated', merkle.verifyConsistency(oldSize, newSize, proof.slice(0, -1), r1, r2)],
          ];
          proof.forEach((_, i) => {
            const corrupt = proof.map((n, j) => (j === i ? flip(n, 16) : n));
            probes.push([
              `flipped bit in proof[${i}]`,
              merkle.verifyConsistency(oldSize, newSize, corrupt, r1, r2),
            ]);
          });
          expect(probes.filter(([, accepted]) => accepted).map(([name]) => name)).to.deep.equal([]);
        });
      }
    }

    it('treats the edge sizes as the Certificate Transparency verifiers do', () => {
      const [a, b] = [Buffer.from("don't care 1"), Buffer.from("don't care 2")];
      const empty = rootAt(0);
      expect(merkle.verifyConsistency(0, 0, [], a, a), 'equal empty').to.be.true;
      expect(merkle.verifyConsistency(0, 1, [], a, b), 'empty old tree').to.be.true;
      expect(merkle.verifyConsistency(1, 1, [], b, b), 'same tree').to.be.true;
      expect(merkle.verifyConsistency(0, 0, [], a, b), 'same size, other root').to.be.false;
      expect(merkle.verifyConsistency(1, 0, [], a, b), 'shrinking').to.be.false;
      expect(merkle.verifyConsistency(2, 1, [], a, b), 'shrinking').to.be.false;
      expect(merkle.verifyConsistency(1, 2, [], a, b), 'growth with no proof').to.be.false;
      expect(merkle.verifyConsistency(0, 0, [empty], empty, empty), 'surplus proof').to.be.false;
      expect(merkle.verifyConsistency(1, 1, [empty], empty, empty), 'surplus proof').to.be.false;
    });
  });

  it('agrees with itself for every leaf and every old size of trees up to 33 leaves', () => {
    const data = Array.from({ length: 33 }, (_, i) => Buffer.from([i, i * 3]));
    const failures: string[] = [];
    for (let size = 1; size <= data.length; size += 1) {
      const tree = data.slice(0, size);
      const root = merkle.root(tree);
      for (let i = 0; i < size; i += 1) {
        if (
          !merkle.verifyInclusion(tree[i] ?? Buffer.alloc(0), i, size, merkle.inclusionProof(tree, i), root)
        )
          failures.push(`incl ${i}/${size}`);
      }
      for (let old = 0; old <= size; old += 1) {
        const proof = merkle.consistencyProof(tree, old);
        if (!merkle.verifyConsistency(old, size, proof, merkle.root(tree.slice(0, old)), root))
          failures.push(`cons ${old}->${size}`);
      }
    }
    expect(failures).to.deep.equal([]);
  });

  it('serves proofs and earlier roots from one built tree', () => {
    const tree = merkle.MerkleTree.fromLeaves(leaves);
    expect(tree.size).to.equal(8);
    expect(Buffer.from(tree.rootAt(5)).toString('hex')).to.equal(rootAt(5).toString('hex'));
    expect(tree.inclusionProofHex(5)).to.deep.equal(hexOf(tree.inclusionProof(5)));
  });

  it('refuses to build a proof for a leaf outside the tree', () => {
    expect(() => merkle.inclusionProof(leaves, 8)).to.throw('index: must be an integer in [0, 8)');
    expect(() => merkle.consistencyProof(leaves, 9)).to.throw('oldSize');
  });

  it('rejects malformed verification inputs instead of throwing', () => {
    const leaf = leaves[0] ?? Buffer.alloc(0);
    expect(merkle.verifyInclusion(leaf, 0, 0, [], rootAt(0))).to.be.false;
    expect(merkle.verifyInclusion(leaf, -1, 1, [], rootAt(1))).to.be.false;
    expect(merkle.verifyInclusion(leaf, 0.5, 1, [], rootAt(1))).to.be.false;
    expect(merkle.verifyInclusion(leaf, 0, 2, [Buffer.alloc(31)], rootAt(2))).to.be.false;
  });
});
