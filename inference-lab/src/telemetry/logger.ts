/**
 * Structured logs (pino). Lines carry ids (request, transaction, batch sequence) and hashes only:
 * never scan bytes, salts, outputs or anything else derived from patient data. The redaction list is
 * a second line of defence for fields that must never be printed even by mistake.
 */
import pino, { type Logger } from 'pino';

export type { Logger };

/** Field paths pino replaces with `[redacted]` wherever they appear. */
export const REDACTED_PATHS = [
  'salt',
  '*.salt',
  'scan',
  '*.scan',
  'scanBytes',
  '*.scanBytes',
  'maskPng',
  '*.maskPng',
  'scoresJson',
  '*.scoresJson',
  'headers["veriscan-certificate"]',
  'headers["veriscan-signature"]',
];

/** A logger for one lab; `destination` defaults to stdout. */
export function createLogger(
  options: Readonly<{ level: string; labId: string; destination?: pino.DestinationStream }>,
): Logger {
  const settings = {
    level: options.level,
    base: { service: 'inference-lab', lab: options.labId },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  return options.destination === undefined ? pino(settings) : pino(settings, options.destination);
}
