import { expect } from 'chai';
import { compareUtf8 } from '../../../../network/devnet/src/common/bytes';
import { StateDb } from '../../../../network/devnet/src/ledger/state-db';

const v = (blockNum: number, txNum = 0) => ({ blockNum, txNum });
const ts = { seconds: 1, nanos: 0 };
const bytes = (s: string) => Buffer.from(s);

describe('devnet state database', () => {
  it('orders keys by UTF-8 bytes, not by UTF-16 code units', () => {
    // U+FFFF is EF BF BF in UTF-8, U+10000 is F0 90 80 80: UTF-8 puts U+FFFF first; JS '<' does not.
    expect(['\uffff', '\u{10000}'].sort()).to.deep.equal(['\u{10000}', '\uffff']);
    expect(compareUtf8('\uffff', '\u{10000}')).to.be.lessThan(0);
    expect(compareUtf8('a', 'ab')).to.be.lessThan(0);
    expect(compareUtf8('b', 'ab')).to.be.greaterThan(0);
    expect(compareUtf8('same', 'same')).to.equal(0);
  });

  it('returns a range [start, end) in UTF-8 order, with an empty end meaning the end of the namespace', () => {
    const db = new StateDb();
    for (const key of ['c', '\u{10000}', 'a', '\uffff', 'b'])
      db.apply('cc', key, bytes(key), v(1), { txId: 't', timestamp: ts });
    expect([...db.range('cc', 'a', 'c')].map(([k]) => k)).to.deep.equal(['a', 'b']);
    expect([...db.range('cc', 'b', '')].map(([k]) => k)).to.deep.equal(['b', 'c', '\uffff', '\u{10000}']);
    expect([...db.range('other', '', '')]).to.deep.equal([]);
  });

  it('deletes keys and keeps their history newest first', () => {
    const db = new StateDb();
    db.apply('cc', 'k', bytes('1'), v(1), { txId: 't1', timestamp: ts });
    db.apply('cc', 'k', bytes('2'), v(2), { txId: 't2', timestamp: ts });
    db.apply('cc', 'k', null, v(3), { txId: 't3', timestamp: ts });
    expect(db.get('cc', 'k')).to.equal(undefined);
    expect([...db.range('cc', '', '')]).to.have.length(0);
    expect(db.history('cc', 'k').map((m) => [m.txId, m.isDelete])).to.deep.equal([
      ['t3', true],
      ['t2', false],
      ['t1', false],
    ]);
  });

  it('records the version of the transaction that last wrote a key', () => {
    const db = new StateDb();
    db.apply('cc', 'k', bytes('1'), v(4, 2), { txId: 't', timestamp: ts });
    expect(db.get('cc', 'k')?.version).to.deep.equal({ blockNum: 4, txNum: 2 });
  });
});
