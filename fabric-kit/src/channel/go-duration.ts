/**
 * Go's `time.Duration.String()` for whole milliseconds: configtxgen parses `BatchTimeout` into a
 * duration and writes it back with `String()`, so `1000ms` in configtx.yaml becomes `1s` in block 0.
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
