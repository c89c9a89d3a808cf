import { expect } from 'chai';
import { FakeStub, type WorldState } from './support/fake-stub';

function stubOver(state: WorldState): FakeStub {
  return new FakeStub({ state, txId: 't1', timeMs: Date.parse('2025-01-01T00:00:00.000Z') });
}

const bytes = (text: string) => Buffer.from(text, 'utf8');

describe('The in-memory chaincode stub', () => {
  it('has no read-your-writes: a getState after putState in one transaction returns the committed value', async () => {
    const stub = stubOver(new Map([['k', bytes('old')]]));
    await stub.putState('k', bytes('new'));
    expect(Buffer.from(await stub.getState('k')).toString()).to.equal('old');
  });

  it('treats putState with an empty value as a delete', async () => {
    const stub = stubOver(new Map([['k', bytes('v')]]));
    await stub.putState('k', new Uint8Array(0));
    expect(stub.writes.get('k')).to.equal(null);
  });

  it('orders partial-composite-key scans by UTF-8 bytes, not UTF-16 code units', async () => {
    const stub = stubOver(new Map());
    // UTF-16 puts U+1F600 (surrogate 0xD83D) before U+FF21; UTF-8 (EF BC A1 < F0 9F 98 80) puts it after, as LevelDB does.
    const keys = ['\u{1F600}', '\uFF21', 'z'].map((a) => stub.createCompositeKey('t', [a]));
    const state: WorldState = new Map(keys.map((k) => [k, bytes('1')]));
    const scan = stubOver(state);
    const iterator = await scan.getStateByPartialCompositeKey('t', []);
    const seen: string[] = [];
    for (let next = await iterator.next(); next.value !== undefined; next = await iterator.next())
      seen.push(scan.splitCompositeKey(next.value.key).attributes[0] ?? '');
    expect(seen).to.deep.equal(['z', '\uFF21', '\u{1F600}']);
  });

  it('pages with bookmarks and refuses writes after a paginated query', async () => {
    const stub = stubOver(new Map());
    const state: WorldState = new Map(
      ['a', 'b', 'c'].map((a) => [stub.createCompositeKey('t', [a]), bytes('1')]),
    );
    const scan = stubOver(state);
    const first = await scan.getStateByPartialCompositeKeyWithPagination('t', [], 2, '');
    expect(first.metadata).to.deep.equal({
      fetchedRecordsCount: 2,
      bookmark: stub.createCompositeKey('t', ['c']),
    });
    const second = await scan.getStateByPartialCompositeKeyWithPagination(
      't',
      [],
      2,
      first.metadata?.bookmark,
    );
    expect(second.metadata).to.deep.equal({ fetchedRecordsCount: 1, bookmark: '' });
    expect(() => scan.putState('x', bytes('1'))).to.throw(/paginated/);
  });

  it("leaves out the metadata of an empty page, as the shim does with the peer's empty metadata bytes", async () => {
    const scan = stubOver(new Map());
    const empty = await scan.getStateByPartialCompositeKeyWithPagination('t', [], 2, '');
    expect(empty.metadata).to.equal(undefined);
  });

  it('keeps only the last event of a transaction', () => {
    const stub = stubOver(new Map());
    stub.setEvent('A', bytes('1'));
    stub.setEvent('B', bytes('2'));
    expect(stub.event?.name).to.equal('B');
  });
});
