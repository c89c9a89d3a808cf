import { expect } from 'chai';
import { FabricKitError, goDurationString } from '@veriscan/fabric-kit';

describe("batch timeouts written as Go's time.Duration.String()", () => {
  it('writes whole milliseconds the way configtxgen writes the parsed BatchTimeout back', () => {
    const cases: [number, string][] = [
      [0, '0s'],
      [100, '100ms'],
      [999, '999ms'],
      [1000, '1s'],
      [1500, '1.5s'],
      [2050, '2.05s'],
      [60_000, '1m0s'],
      [90_500, '1m30.5s'],
      [3_600_000, '1h0m0s'],
      [3_723_004, '1h2m3.004s'],
    ];
    for (const [ms, text] of cases) expect(goDurationString(ms), `${ms} ms`).to.equal(text);
  });

  it('refuses a negative or fractional number of milliseconds', () => {
    for (const ms of [-1, 1.5, Number.NaN])
      expect(() => goDurationString(ms))
        .to.throw(FabricKitError)
        .with.property('code', 'MALFORMED_CONFIG');
  });
});
