/**
 * The OpenAPI 3.1 document of a gateway, generated from the zod schemas the handlers use (zod-openapi),
 * never written by hand: `/openapi.json` serves it and the contract test validates answers against it.
 */
import { createDocument } from 'zod-openapi';
import { z } from 'zod';
import type { GatewayRole } from '../config';
import { Priority } from '../hospital/intake';
import {
  AcceptedSchema,
  AuditPageSchema,
  AuditRequestSchema,
  BlockSchema,
  HealthSchema,
  ListSchema,
  ProblemSchema,
  ResultSchema,
  ScanDetailSchema,
  ScanPageSchema,
  VerificationSchema,
} from './schemas';

const json = (schema: z.ZodType, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});
const problemOf = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: ProblemSchema } },
});
const COMMON_ERRORS = {
  '401': problemOf('No or invalid API token'),
  '404': problemOf("Unknown here (another hospital's request is unknown too)"),
  '503': problemOf('The ledger or a peer institution is unavailable'),
};
const security = [{ bearer: [] }];
const idParam = z.string().meta({ description: 'Request id' });

const commonPaths = {
  '/healthz': {
    get: {
      summary: 'Liveness and readiness',
      responses: { '200': json(HealthSchema, 'Ready'), '503': json(HealthSchema, 'Not ready') },
    },
  },
  '/metrics': {
    get: {
      summary: 'Prometheus metrics',
      responses: {
        '200': { description: 'Prometheus text format', content: { 'text/plain': { schema: z.string() } } },
      },
    },
  },
};

const hospitalPaths = {
  '/api/v1/scans': {
    post: {
      summary: 'Upload a scan for inference',
      security,
      requestParams: {
        header: z.object({
          'idempotency-key': z.string().optional().meta({
            description:
              'Client-chosen key: a retried upload with the same key answers with the first request.',
          }),
        }),
      },
      requestBody: {
        content: {
          'multipart/form-data': {
            schema: z.object({
              file: z.string().meta({
                format: 'binary',
                description: 'PNG (8/16-bit grey), JPEG, or DICOM Part 10 (uncompressed)',
              }),
              model: z.string().meta({ example: 'brain-tissue@approved' }),
              priority: Priority.optional(),
              patientRef: z.string().optional(),
            }),
          },
        },
      },
      responses: {
        '202': json(AcceptedSchema, 'Stored and queued for the ledger'),
        '400': problemOf('Malformed form'),
        '409': problemOf('Idempotency-Key reused for another upload'),
        '413': problemOf('Upload or declared image too large'),
        '415': problemOf('Unsupported or mismatched media type, or compressed DICOM transfer syntax'),
        '422': problemOf('Not a decodable image, or refused by de-identification'),
        ...COMMON_ERRORS,
      },
    },
    get: {
      summary: "This hospital's requests, newest first",
      security,
      requestParams: {
        query: z.object({
          status: z.enum(['accepted', 'submitted', 'completed', 'failed', 'expired']).optional(),
          model: z.string().optional(),
          limit: z.number().int().min(1).max(100).optional(),
          after: z.string().optional(),
        }),
      },
      responses: {
        '200': json(ScanPageSchema, 'One page'),
        '400': problemOf('Bad filter'),
        ...COMMON_ERRORS,
      },
    },
  },
  '/api/v1/scans/{id}': {
    get: {
      summary: 'Status, request, receipt with its proof, result and access log',
      security,
      requestParams: { path: z.object({ id: idParam }) },
      responses: { '200': json(ScanDetailSchema, 'The request'), ...COMMON_ERRORS },
    },
  },
  '/api/v1/scans/{id}/result': {
    get: {
      summary: 'The checked result: scores, class areas, mask link, checks',
      security,
      requestParams: { path: z.object({ id: idParam }) },
      responses: {
        '200': json(ResultSchema, 'The result'),
        '409': problemOf('Not completed yet'),
        ...COMMON_ERRORS,
      },
    },
  },
  '/api/v1/scans/{id}/result/mask.png': {
    get: {
      summary: 'The segmentation mask (8-bit grey, one class index per pixel)',
      security,
      requestParams: { path: z.object({ id: idParam }) },
      responses: {
        '200': {
          description: 'PNG',
          content: { 'image/png': { schema: z.string().meta({ format: 'binary' }) } },
        },
        ...COMMON_ERRORS,
      },
    },
  },
  '/blobs/v1/scans/{id}': {
    get: {
      summary:
        'Scan and salt for the assigned or spot-check lab, or an auditing regulator (signed request, docs/lab-fetch.md)',
      requestParams: { path: z.object({ id: idParam }) },
      responses: {
        '200': {
          description: 'Scan envelope',
          content: { 'application/vnd.veriscan.scan+json': { schema: z.record(z.string(), z.unknown()) } },
        },
        '401': problemOf('Signature refused'),
        '403': problemOf('Not entitled to this scan'),
        '404': problemOf('Unknown request'),
      },
    },
  },
};

const regulatorPaths = {
  '/api/v1/audit/requests': {
    get: {
      summary: 'Requests on the ledger (regulator peer), filtered and paged',
      security,
      requestParams: {
        query: z.object({
          status: z.enum(['pending', 'assigned', 'completed', 'expired', 'disputed']).optional(),
          hospital: z.string().optional(),
          lab: z.string().optional(),
          limit: z.number().int().min(1).max(100).optional(),
          bookmark: z.string().optional(),
        }),
      },
      responses: {
        '200': json(AuditPageSchema, 'One page'),
        '400': problemOf('Bad filter'),
        ...COMMON_ERRORS,
      },
    },
  },
  '/api/v1/audit/requests/{id}': {
    get: {
      summary: 'A request, its receipt and spot check',
      security,
      requestParams: { path: z.object({ id: idParam }) },
      responses: { '200': json(AuditRequestSchema, 'The request'), ...COMMON_ERRORS },
    },
  },
  '/api/v1/audit/requests/{id}/verify': {
    post: {
      summary: "Re-run the inference from the hospital's scan and check trace, receipt, anchor and block",
      security,
      requestParams: { path: z.object({ id: idParam }) },
      responses: {
        '200': json(VerificationSchema, 'Every check, by name'),
        '409': problemOf('Not completed'),
        ...COMMON_ERRORS,
      },
    },
  },
  '/api/v1/audit/requests/{id}/bundle': {
    get: {
      summary: 'Offline audit bundle (not implemented yet: issue 14)',
      security,
      requestParams: { path: z.object({ id: idParam }) },
      responses: { '501': problemOf('Not implemented'), ...COMMON_ERRORS },
    },
  },
  '/api/v1/audit/models': {
    get: {
      summary: 'Models with their approvals',
      security,
      responses: { '200': json(ListSchema, 'Models'), ...COMMON_ERRORS },
    },
  },
  '/api/v1/audit/labs': {
    get: {
      summary: 'Labs with their reputation',
      security,
      responses: { '200': json(ListSchema, 'Labs'), ...COMMON_ERRORS },
    },
  },
  '/api/v1/audit/blocks': {
    get: {
      summary: 'Newest blocks',
      security,
      requestParams: {
        query: z.object({ before: z.string().optional(), limit: z.number().int().optional() }),
      },
      responses: {
        '200': json(
          z.object({ height: z.string(), blocks: z.array(BlockSchema) }).meta({ id: 'BlockPage' }),
          'Blocks',
        ),
        ...COMMON_ERRORS,
      },
    },
  },
  '/api/v1/audit/blocks/{number}': {
    get: {
      summary: 'One block',
      security,
      requestParams: {
        path: z.object({ number: z.string().meta({ description: 'Block number (decimal)' }) }),
      },
      responses: { '200': json(BlockSchema, 'The block'), ...COMMON_ERRORS },
    },
  },
};

/** The document for a gateway of `role`. */
export function openApiDocument(role: GatewayRole, institution: string, version: string): unknown {
  return createDocument({
    openapi: '3.1.0',
    info: {
      title:
        role === 'hospital'
          ? `Veriscan hospital gateway (${institution})`
          : `Veriscan regulator gateway (${institution})`,
      version,
      description:
        role === 'hospital'
          ? 'Upload scans, follow requests, read checked results. Errors are RFC 9457 problem details.'
          : "Read-only audit of the ledger through the regulator's own peer. Every write is refused with 405.",
    },
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    paths: { ...commonPaths, ...(role === 'hospital' ? hospitalPaths : regulatorPaths) },
  });
}
