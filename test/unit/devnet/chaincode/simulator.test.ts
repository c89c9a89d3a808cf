import { expect } from 'chai';
import { TxSimulator } from '../../../../network/devnet/src/chaincode/simulator';
import { marshalRwSet, unmarshalRwSet } from '../../../../network/devnet/src/ledger/rwset';
import { StateDb } from '../../../../network/devnet/src/ledger/state-db';

const ts = { seconds: 1, nanos: 0 };

function stateWith(keys: readonly string[]): StateDb {
  const db = new StateDb();
  keys.forEach((k, i) => {
    db.apply('cc', k, Buffer.from(k), { blockNum: 1, txNum: i }, { txId: 't', timestamp: ts });
  });
  return db;
}

describe('devnet transaction simulator', () => {
  it('has no read-your-writes: a read after a write returns the committed value', () => {
    const sim = new TxSimulator(stateWith(['k']));
    sim.putState('cc', 'k', Buffer.from('new'));
    expect(Buffer.from(sim.getState('cc', 'k')).toString()).to.equal('k');
  });

  it('records an empty put as a delete in the read-write set', () => {
    const sim = new TxSimulator(stateWith([]));
    sim.putState('cc', 'gone', new Uint8Array());
    const rw = unmarshalRwSet(marshalRwSet(sim.rwset()));
    expect(rw.get('cc')?.writes.get('gone')).to.equal(null);
  });

  it('records each key read once, with the version first seen, and absent keys without a version', () => {
    const sim = new TxSimulator(stateWith(['a']));
    sim.getState('cc', 'a');
    sim.getState('cc', 'a');
    sim.getState('cc', 'missing');
    const rw = unmarshalRwSet(marshalRwSet(sim.rwset()));
    expect([...(rw.get('cc')?.reads.entries() ?? [])]).to.deep.equal([
      ['a', { blockNum: 1, txNum: 0 }],
      ['missing', undefined],
    ]);
  });

  it('records a range read as the peer batches it: 100 rows plus the one prefetched', () => {
    const keys = Array.from({ length: 250 }, (_, i) => `k${String(i).padStart(3, '0')}`);
    const sim = new TxSimulator(stateWith(keys));
    const { iterator } = sim.range('cc', '', '');
    const first = iterator.nextBatch();
    expect(first.rows).to.have.length(100);
    expect(first.hasMore).to.equal(true);
    let rq = unmarshalRwSet(marshalRwSet(sim.rwset())).get('cc')?.rangeQueries[0];
    expect(rq?.reads).to.have.length(101);
    expect(rq?.itrExhausted).to.equal(false);
    expect(rq?.endKey).to.equal('k100');
    iterator.nextBatch();
    iterator.nextBatch();
    rq = unmarshalRwSet(marshalRwSet(sim.rwset())).get('cc')?.rangeQueries[0];
    expect(rq?.reads).to.have.length(250);
    expect(rq?.itrExhausted).to.equal(true);
    expect(rq?.endKey).to.equal('');
  });

  it('pages a range with a bookmark and reports where the next page starts', () => {
    const sim = new TxSimulator(stateWith(['a', 'b', 'c', 'd']));
    const page1 = sim.range('cc', 'a', 'z', { pageSize: 2, bookmark: '' });
    expect(page1.iterator.nextBatch().rows.map((r) => r.key)).to.deep.equal(['a', 'b']);
    expect(page1.bookmark).to.equal('c');
    const page2 = new TxSimulator(stateWith(['a', 'b', 'c', 'd'])).range('cc', 'a', 'z', {
      pageSize: 2,
      bookmark: page1.bookmark,
    });
    expect(page2.iterator.nextBatch().rows.map((r) => r.key)).to.deep.equal(['c', 'd']);
    expect(page2.bookmark).to.equal('');
  });

  it("refuses a write after a paginated query and a paginated query after a write, in Fabric's words", () => {
    const afterQuery = new TxSimulator(stateWith(['a']), 'tx1');
    afterQuery.range('cc', '', '', { pageSize: 1, bookmark: '' });
    expect(() => {
      afterQuery.putState('cc', 'a', Buffer.from('x'));
    }).to.throw(
      'txid [tx1]: unsuppored transaction. Transaction has already performed a paginated query. Writes are not allowed',
    );
    expect(() => {
      afterQuery.deleteState('cc', 'a');
    }).to.throw('Writes are not allowed');
    const afterWrite = new TxSimulator(stateWith(['a']), 'tx2');
    afterWrite.putState('cc', 'a', Buffer.from('x'));
    expect(() => afterWrite.range('cc', '', '', { pageSize: 1, bookmark: '' })).to.throw(
      'txid [tx2]: unsuppored transaction. Paginated queries are supported only in a read-only transaction',
    );
  });
});
