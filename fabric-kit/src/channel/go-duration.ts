/**
 * Go's `time.Duration.String()` for whole milliseconds: configtxgen parses `BatchTimeout` into a
 * duration and writes it back with `String()`, so `1000ms` in configtx.yaml becomes `1s` in block 0.
 * And Go's `time.ParseDuration`, with which orderers read it back from a channel configuration.
 */
import { FabricKitError } from '../errors';

/**
 * `100ms`, `1.5s`, `2m0s`, `1h0m0s`, `0s`, as Go writes them.
 * @throws FabricKitError `MALFORMED_CONFIG` for a negative or fractional number of milliseconds.
 */
export function goDurationString(ms: number): string {
  if (!Number.isSafeInteger(ms) || ms < 0)
    throw new FabricKitError('MALFORMED_CONFIG', `a duration must be whole milliseconds ≥ 0, not ${ms}`);
  if (ms === 0) return '0s';
  if (ms < 1000) return `${ms}ms`;
  const hours = Math.floor(ms / 3_600_000);
  const minutes = Math.floor((ms % 3_600_000) / 60_000);
  const millis = ms % 60_000;
  const whole = Math.floor(millis / 1000);
  const fraction = String(millis % 1000)
    .padStart(3, '0')
    .replace(/0+$/, '');
  const seconds = `${whole}${fraction === '' ? '' : `.${fraction}`}s`;
  if (hours > 0) return `${hours}h${minutes}m${seconds}`;
  if (minutes > 0) return `${minutes}m${seconds}`;
  return seconds;
}

/** Nanoseconds per unit, as Go's time package spells them. */
const UNIT_NS: Readonly<Record<string, number>> = {
  ns: 1,
  us: 1e3,
  '\u00b5s': 1e3,
  '\u03bcs': 1e3,
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9,
};

/**
 * Go's `time.ParseDuration` (`1.5s`, `100ms`, `1h30m`, `-2s`, `0`), in milliseconds: how a channel
 * configuration's `BatchTimeout` is read back. Precision is that of a double, ample for batch timeouts.
 * @throws FabricKitError `MALFORMED_CONFIG` with Go's message (`time: invalid duration "x"`, `time:
 *   missing unit in duration "1"`, `time: unknown unit "x" in duration "1x"`).
 */
export function parseGoDuration(text: string): number {
  const quoted = JSON.stringify(text);
  const invalid = (message: string): FabricKitError =>
    new FabricKitError('MALFORMED_CONFIG', `time: ${message}`);
  let rest = text;
  let sign = 1;
  if (rest.startsWith('-') || rest.startsWith('+')) {
    sign = rest.startsWith('-') ? -1 : 1;
    rest = rest.slice(1);
  }
  if (rest === '0') return 0;
  if (rest === '') throw invalid(`invalid duration ${quoted}`);
  let ns = 0;
  while (rest !== '') {
    const number = /^([0-9]*)(\.[0-9]*)?/.exec(rest)?.[0] ?? '';
    if (number === '' || number === '.') throw invalid(`invalid duration ${quoted}`);
    rest = rest.slice(number.length);
    const unit = /^[^0-9.]*/.exec(rest)?.[0] ?? '';
    if (unit === '') throw invalid(`missing unit in duration ${quoted}`);
    const scale = UNIT_NS[unit];
    if (scale === undefined) throw invalid(`unknown unit ${JSON.stringify(unit)} in duration ${quoted}`);
    rest = rest.slice(unit.length);
    ns += Number(number) * scale;
  }
  return (sign * ns) / 1e6;
}
