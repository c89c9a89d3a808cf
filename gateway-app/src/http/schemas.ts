/**
 * The request and response schemas of both gateways (zod): the one description the handlers answer
 * with, the contract test validates against, and `/openapi.json` is generated from.
 */
import { z } from 'zod';

export const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    code: z.string().optional().meta({ description: 'Machine-readable reason, e.g. SCAN_TOO_LARGE.' }),
  })
  .meta({ id: 'Problem', description: 'RFC 9457 problem details.' });

export const ScanStatus = z
  .enum(['accepted', 'pending', 'assigned', 'completing', 'completed', 'failed', 'expired'])
  .meta({
    id: 'ScanStatus',
    description:
      'accepted: stored, not yet on the ledger; pending/assigned: on the ledger, waiting for or at a lab; ' +
      'completing: the ledger holds the receipt, the gateway is fetching and checking the result; ' +
      'completed: result checked against the receipt; failed: refused by the ledger; expired: past its deadline.',
  });

const Sha256 = z.string().regex(/^[0-9a-f]{64}$/);
const Iso = z.string().meta({ description: 'ISO 8601 UTC time.' });

export const ScanSummarySchema = z
  .object({
    requestId: z.string(),
    status: ScanStatus,
    modelRef: z.string(),
    priority: z.enum(['routine', 'urgent', 'stat']),
    mediaType: z.string(),
    width: z.number().int(),
    height: z.number().int(),
    bitDepth: z.number().int(),
    assignedLab: z.string().nullable(),
    createdAt: Iso,
    completedAt: Iso.nullable(),
    error: z.string().nullable(),
  })
  .meta({ id: 'ScanSummary' });

export const AcceptedSchema = ScanSummarySchema.extend({
  replayed: z
    .boolean()
    .meta({ description: 'True when an earlier upload with the same Idempotency-Key answered.' }),
  links: z.object({ self: z.string(), result: z.string() }),
}).meta({ id: 'Accepted' });

export const ScanPageSchema = z
  .object({ scans: z.array(ScanSummarySchema), next: z.string().nullable() })
  .meta({ id: 'ScanPage' });

export const CheckSchema = z
  .object({ name: z.string(), ok: z.boolean(), detail: z.string() })
  .meta({ id: 'Check' });

export const AccessEntrySchema = z
  .object({
    at: Iso,
    memberId: z.string(),
    mspId: z.string(),
    job: z.string(),
    purpose: z.string(),
    outcome: z.string(),
  })
  .meta({ id: 'AccessEntry' });

export const ReceiptViewSchema = z
  .object({
    labId: z.string(),
    receipt: z.record(z.string(), z.unknown()),
    receiptHash: Sha256,
    traceHash: Sha256,
    txId: z.string().nullable(),
    proof: z
      .object({
        kind: z.enum(['transaction', 'batch']),
        txId: z.string().nullable(),
        batch: z.unknown().nullable(),
      })
      .meta({
        description:
          'transaction: the receipt is in the ledger transaction txId; batch: RFC 6962 proof into an anchored batch.',
      }),
  })
  .meta({ id: 'ReceiptView' });

export const ClassAreaSchema = z
  .object({ name: z.string(), pixels: z.number().int(), fraction: z.number() })
  .meta({ id: 'ClassArea', description: "Pixels of one class in the model's output frame." });

export const ResultSchema = z
  .object({
    requestId: z.string(),
    labId: z.string(),
    model: z.object({ id: z.string(), version: z.string() }),
    scores: z.array(z.object({ name: z.string(), e4: z.number().int(), value: z.number() })),
    classes: z.array(ClassAreaSchema),
    mask: z.object({ href: z.string(), sha256: Sha256, mediaType: z.literal('image/png') }),
    checks: z.array(CheckSchema),
  })
  .meta({ id: 'Result' });

export const ScanDetailSchema = z
  .object({
    status: ScanStatus,
    request: ScanSummarySchema.extend({
      scanCommitment: Sha256,
      tileRootCommitment: Sha256,
      patientRef: z
        .string()
        .nullable()
        .meta({ description: 'Shown to this hospital only; never leaves its gateway.' }),
      ledger: z.record(z.string(), z.unknown()).nullable(),
    }),
    receipt: ReceiptViewSchema.optional(),
    result: ResultSchema.optional(),
    accessLog: z.array(AccessEntrySchema),
  })
  .meta({ id: 'ScanDetail' });

export const HealthSchema = z
  .object({ status: z.enum(['ok', 'unavailable']), institution: z.string(), role: z.string() })
  .catchall(z.unknown())
  .meta({ id: 'Health' });

// Regulator
export const AuditRequestSchema = z
  .object({
    request: z.record(z.string(), z.unknown()),
    receipt: z.record(z.string(), z.unknown()).nullable(),
    spotCheck: z.record(z.string(), z.unknown()).nullable(),
  })
  .meta({ id: 'AuditRequest' });

export const AuditPageSchema = z
  .object({ requests: z.array(z.record(z.string(), z.unknown())), next: z.string().nullable() })
  .meta({ id: 'AuditPage' });

export const VerificationSchema = z
  .object({ requestId: z.string(), verified: z.boolean(), checks: z.array(CheckSchema) })
  .meta({ id: 'Verification' });

export const ListSchema = z
  .object({ items: z.array(z.record(z.string(), z.unknown())) })
  .meta({ id: 'List' });

export const BlockSchema = z
  .object({
    number: z.string(),
    dataHash: z.string(),
    previousHash: z.string(),
    transactions: z.array(z.object({ txId: z.string(), type: z.string(), validation: z.string() })),
  })
  .meta({ id: 'Block' });
