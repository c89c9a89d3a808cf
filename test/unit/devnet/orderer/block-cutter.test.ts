import { expect } from 'chai';
import { BlockCutter } from '../../../../network/devnet/src/orderer/block-cutter';

const msg = (size: number) => new Uint8Array(size);

describe('devnet block cutter', () => {
  it('cuts a block as soon as MaxMessageCount messages are pending', () => {
    const batches: number[] = [];
    const cutter = new BlockCutter(
      { batchTimeoutMs: 10_000, maxMessageCount: 3, preferredMaxBytes: 1000 },
      (b) => batches.push(b.length),
    );
    for (let i = 0; i < 7; i++) cutter.ordered(msg(1));
    cutter.stop();
    expect(batches).to.deep.equal([3, 3]);
  });

  it('cuts before a message that would overflow PreferredMaxBytes and gives an oversized message its own block', () => {
    const batches: number[][] = [];
    const cutter = new BlockCutter(
      { batchTimeoutMs: 10_000, maxMessageCount: 100, preferredMaxBytes: 10 },
      (b) => batches.push(b.map((m) => m.length)),
    );
    cutter.ordered(msg(6));
    cutter.ordered(msg(6));
    cutter.ordered(msg(50));
    cutter.stop();
    expect(batches).to.deep.equal([[6], [6], [50]]);
  });

  it('cuts pending messages when the batch timeout runs out', async () => {
    const batches: number[] = [];
    const done = new Promise<void>((resolve) => {
      const cutter = new BlockCutter(
        { batchTimeoutMs: 20, maxMessageCount: 100, preferredMaxBytes: 1000 },
        (b) => {
          batches.push(b.length);
          resolve();
        },
      );
      cutter.ordered(msg(1));
      cutter.ordered(msg(1));
    });
    await done;
    expect(batches).to.deep.equal([2]);
  });
});
