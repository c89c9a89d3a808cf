/** A hospital's request rows as the API shows them (schemas in http/schemas.ts). */
import type { RequestRecord } from '@veriscan/ledger-api';
import type { z } from 'zod';
import type { ScanDetailSchema, ScanStatus, ScanSummarySchema } from '../http/schemas';
import type { AccessEntry, ScanRow } from '../store/scan-store';
import type { StoredResult } from './result-collector';

type Summary = z.infer<typeof ScanSummarySchema>;
type Detail = z.infer<typeof ScanDetailSchema>;
type Status = z.infer<typeof ScanStatus>;

/** The status a user sees: local state, refined by the ledger's while the request is out. */
export function statusOf(row: ScanRow, ledger: RequestRecord | undefined): Status {
  if (row.state !== 'submitted') return row.state;
  if (ledger === undefined) return 'pending';
  if (ledger.status === 'pending' || ledger.status === 'assigned') return ledger.status;
  if (ledger.status === 'expired') return 'expired';
  return 'completing';
}

export function summaryOf(row: ScanRow, ledger?: RequestRecord): Summary {
  return {
    requestId: row.requestId,
    status: statusOf(row, ledger),
    modelRef: row.modelRef,
    priority: row.priority as Summary['priority'],
    mediaType: row.mediaType,
    width: row.width,
    height: row.height,
    bitDepth: row.bitDepth,
    assignedLab: ledger?.assignedLab ?? row.assignedLab,
    createdAt: new Date(row.createdAt).toISOString(),
    completedAt: row.completedAt === null ? null : new Date(row.completedAt).toISOString(),
    error: row.state === 'completed' ? null : row.lastError,
  };
}

export function storedResultOf(row: ScanRow): StoredResult | undefined {
  return row.resultJson === null ? undefined : (JSON.parse(row.resultJson) as StoredResult);
}

export function resultOf(row: ScanRow, base: string): NonNullable<Detail['result']> | undefined {
  const stored = storedResultOf(row);
  if (stored === undefined || row.maskSha256 === null) return undefined;
  const scores = stored.scores as {
    model: { id: string; version: string };
    scores: { name: string; e4: number; value: number }[];
  };
  return {
    requestId: row.requestId,
    labId: stored.labId,
    model: scores.model,
    scores: scores.scores,
    classes: [...stored.classes],
    mask: {
      href: `${base}/api/v1/scans/${row.requestId}/result/mask.png`,
      sha256: row.maskSha256,
      mediaType: 'image/png',
    },
    checks: [...stored.checks],
  };
}

export function detailOf(
  row: ScanRow,
  ledger: RequestRecord | undefined,
  patientRef: string | null,
  access: readonly AccessEntry[],
  base: string,
): Detail {
  const stored = storedResultOf(row);
  const result = resultOf(row, base);
  return {
    status: statusOf(row, ledger),
    request: {
      ...summaryOf(row, ledger),
      scanCommitment: row.scanCommitment,
      tileRootCommitment: row.tileRootCommitment,
      patientRef,
      ledger: ledger === undefined ? null : { ...ledger },
    },
    ...(stored === undefined
      ? {}
      : {
          receipt: {
            labId: stored.labId,
            receipt: stored.receipt as Record<string, unknown>,
            receiptHash: stored.receiptHash,
            traceHash: stored.traceHash,
            txId: stored.txId,
            proof: {
              kind: stored.batch === null ? ('transaction' as const) : ('batch' as const),
              txId: stored.txId,
              batch: stored.batch ?? null,
            },
          },
        }),
    ...(result === undefined ? {} : { result }),
    accessLog: access.map((a) => ({
      at: new Date(a.at).toISOString(),
      memberId: a.memberId,
      mspId: a.mspId,
      job: a.job,
      purpose: a.purpose,
      outcome: a.outcome,
    })),
  };
}
