import { expect } from 'chai';
import { FabricKitError, goDurationString, parseGoDuration } from '@veriscan/fabric-kit';

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

describe("batch timeouts read back as Go's time.ParseDuration reads them", () => {
  it('reads what Go writes, units, fractions, signs and the bare 0', () => {
    const cases: [string, number][] = [
      ['0', 0],
      ['0s', 0],
      ['100ms', 100],
      ['1.5s', 1500],
      ['1m30.5s', 90_500],
      ['1h2m3.004s', 3_723_004],
      ['2000us', 2],
      ['1000000ns', 1],
      ['-2s', -2000],
      ['.5s', 500],
    ];
    for (const [text, ms] of cases) expect(parseGoDuration(text), text).to.equal(ms);
  });

  it("refuses what Go refuses, with Go's messages", () => {
    const cases: [string, string][] = [
      ['', 'time: invalid duration ""'],
      ['abc', 'time: invalid duration "abc"'],
      ['1', 'time: missing unit in duration "1"'],
      ['1x', 'time: unknown unit "x" in duration "1x"'],
      ['.s', 'time: invalid duration ".s"'],
    ];
    for (const [text, message] of cases)
      expect(() => parseGoDuration(text), text).to.throw(FabricKitError, message);
  });
});
