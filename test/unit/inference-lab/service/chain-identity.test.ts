/** A lab's event checkpoint is kept only on the chain it was recorded on. */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { bindCheckpointToChain } from '../../../../inference-lab/src/fabric/chain-identity';

describe('event checkpoint bound to its chain', () => {
  it('keeps a checkpoint of the same chain, drops one of another chain or without a record', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'veriscan-checkpoint-')), 'events.checkpoint');
    writeFileSync(file, '{"blockNumber":"812"}');
    // A checkpoint written before chains were recorded cannot be trusted.
    expect(bindCheckpointToChain(file, 'aa')).to.equal(true);
    expect(existsSync(file)).to.equal(false);
    expect(readFileSync(`${file}.chain`, 'utf8').trim()).to.equal('aa');
    writeFileSync(file, '{"blockNumber":"5"}');
    expect(bindCheckpointToChain(file, 'aa')).to.equal(false);
    expect(readFileSync(file, 'utf8')).to.equal('{"blockNumber":"5"}');
    // The network was reset: another genesis.
    expect(bindCheckpointToChain(file, 'bb')).to.equal(true);
    expect(existsSync(file)).to.equal(false);
    expect(bindCheckpointToChain(file, 'bb')).to.equal(false);
  });
});
