import { expect } from 'chai';
import {
  cc,
  id,
  labIdentity,
  readyLedger,
  requestAs,
  requestArg,
  resultFor,
  setConfig,
} from './support/fixtures';
import type { TestLedger } from './support/test-ledger';

/** A scripted day: requests, results, an expiry, a spot check and a compaction. */
async function scriptedRun(): Promise<TestLedger> {
  const ledger = await readyLedger();
  await setConfig(ledger, { spotCheckPerMille: 500 });
  for (let i = 0; i < 12; i += 1) {
    const rid = `d-${i}`;
    const lab = await requestAs(ledger, rid);
    ledger.advance(1000 * (i + 1));
    if (i % 4 === 3) continue;
    const { trace, receipt } = resultFor(rid, lab);
    await ledger.submit(labIdentity(lab), (ctx) => cc.requests.SubmitResult(ctx, rid, trace, receipt));
  }
  ledger.advance(3_600_000);
  await ledger.submit(id.hospitalA, (ctx) => cc.requests.ExpireRequest(ctx, 'd-3'));
  await ledger.submit(id.hospitalB, (ctx) => cc.reputation.CompactReputation(ctx, 'lab-2'));
  return ledger;
}

describe('Determinism', () => {
  it('produces byte-identical world state and events from the same transactions', async () => {
    const a = await scriptedRun();
    const b = await scriptedRun();
    expect(a.state.size).to.be.greaterThan(50);
    expect(a.snapshot()).to.deep.equal(b.snapshot());
    expect(a.events).to.deep.equal(b.events);
  });

  it('writes the same bytes for the same transaction on two endorsers', async () => {
    const a = await readyLedger();
    const b = await readyLedger();
    const run = (ledger: TestLedger) =>
      ledger.submit(id.hospitalA, (ctx) => cc.requests.RequestInference(ctx, requestArg('same')), {
        txId: 'f'.repeat(64),
      });
    const [ra, rb] = [await run(a), await run(b)];
    expect([...ra.writes]).to.deep.equal([...rb.writes]);
    expect(ra.result).to.equal(rb.result);
  });

  it('stores every value as canonical JSON (sorted keys, no whitespace)', async () => {
    const ledger = await scriptedRun();
    for (const [key, value] of ledger.snapshot()) {
      const canonical = JSON.stringify(sortKeys(JSON.parse(value) as unknown));
      expect(value, key).to.equal(canonical);
    }
  });
});

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value)
        .sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))
        .map(([k, v]) => [k, sortKeys(v)]),
    );
  }
  return value;
}
