import { appendFileSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { BlockStore } from '../../../../network/devnet/src/ledger/block-store';

describe('devnet block store', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'blockstore-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps appended blocks across close and reopen', () => {
    const file = join(dir, 'blocks.dat');
    const store = BlockStore.open(file);
    store.append(Uint8Array.from([1, 2, 3]));
    store.append(Uint8Array.from([4]));
    store.close();
    const reopened = BlockStore.open(file);
    expect(reopened.height).to.equal(2);
    expect(Array.from(reopened.get(0) ?? [])).to.deep.equal([1, 2, 3]);
    expect(Array.from(reopened.get(1) ?? [])).to.deep.equal([4]);
    reopened.close();
  });

  it('cuts off a torn record left by a crash mid-write and appends after the last whole block', () => {
    const file = join(dir, 'blocks.dat');
    const store = BlockStore.open(file);
    store.append(Uint8Array.from([9, 9]));
    store.close();
    const complete = statSync(file).size;
    appendFileSync(file, Buffer.from([0, 0, 0, 10, 1, 2])); // a length of 10 with only 2 bytes written
    const reopened = BlockStore.open(file);
    expect(reopened.height).to.equal(1);
    expect(statSync(file).size).to.equal(complete);
    reopened.append(Uint8Array.from([7]));
    reopened.close();
    const again = BlockStore.open(file);
    expect(again.height).to.equal(2);
    expect(Array.from(again.get(1) ?? [])).to.deep.equal([7]);
    again.close();
  });
});
