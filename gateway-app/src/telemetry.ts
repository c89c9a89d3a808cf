/**
 * Logs (pino) and metrics (prom-client) of a gateway. Log lines carry request ids and outcomes only: never
 * a patient reference, a salt, scan bytes, a token or a signed-request header.
 */
import pino, { type Logger } from 'pino';
import { Counter, Histogram, Registry, collectDefaultMetrics, Gauge } from 'prom-client';

export type { Logger };

export const REDACTED_PATHS = [
  'salt',
  '*.salt',
  'patientRef',
  '*.patientRef',
  'scan',
  '*.scan',
  'token',
  '*.token',
  'headers.authorization',
  'headers["veriscan-certificate"]',
  'headers["veriscan-signature"]',
];

export function createLogger(
  options: Readonly<{ level: string; institution: string; destination?: pino.DestinationStream }>,
): Logger {
  const settings = {
    level: options.level,
    base: { service: 'gateway', institution: options.institution },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  return options.destination === undefined ? pino(settings) : pino(settings, options.destination);
}

export interface GatewayMetrics {
  readonly registry: Registry;
  readonly http: Histogram<'method' | 'route' | 'status'>;
  readonly uploads: Counter<'outcome'>;
  readonly refusals: Counter<'reason'>;
  readonly completion: Histogram;
  readonly scans: Gauge<'state'>;
}

export function createMetrics(institution: string, scanCounts: () => Record<string, number>): GatewayMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ institution });
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    http: new Histogram({
      name: 'veriscan_gateway_http_seconds',
      help: 'HTTP request duration by route and status',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    uploads: new Counter({
      name: 'veriscan_gateway_uploads_total',
      help: 'Scan uploads by outcome (accepted, replayed, or the refusal code)',
      labelNames: ['outcome'],
      registers: [registry],
    }),
    refusals: new Counter({
      name: 'veriscan_gateway_refusals_total',
      help: 'Refused authentications and fetches by reason',
      labelNames: ['reason'],
      registers: [registry],
    }),
    completion: new Histogram({
      name: 'veriscan_gateway_upload_to_completed_seconds',
      help: 'From upload accepted to result checked and stored',
      buckets: [0.25, 0.5, 1, 2, 4, 8, 16, 32, 64, 128],
      registers: [registry],
    }),
    scans: new Gauge({
      name: 'veriscan_gateway_scans',
      help: 'Requests held by state',
      labelNames: ['state'],
      registers: [registry],
      collect() {
        for (const [state, n] of Object.entries(scanCounts())) this.set({ state }, n);
      },
    }),
  };
}
