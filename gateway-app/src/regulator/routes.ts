/**
 * The regulator's read-only audit API (`/api/v1/audit/…`, bearer-token users). Every read goes to the
 * regulator's own peer; nothing here submits a transaction. Writes are refused with 405 by app.ts.
 */
import { Router, type Request, type Response } from 'express';
import { LedgerError, LedgerErrorCode, type VeriscanLedger } from '@veriscan/ledger-api';
import { z } from 'zod';
import { GatewayError, GatewayErrorCode } from '../errors';
import { problem, sendProblem } from '../http/problem';
import { viewOfBlock, type BlockReader } from './blocks';
import type { AuditVerifier } from './verify';

export interface RegulatorRoutesDeps {
  readonly ledger: VeriscanLedger;
  readonly blocks: BlockReader;
  readonly verifier: AuditVerifier;
}

const RequestQuery = z
  .object({
    status: z.enum(['pending', 'assigned', 'completed', 'expired', 'disputed']).optional(),
    hospital: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{0,63}$/)
      .optional(),
    lab: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{0,63}$/)
      .optional(),
    limit: z.coerce.number().int().min(1).max(100).default(20),
    bookmark: z.string().max(512).optional(),
  })
  .strict();

const BlockQuery = z
  .object({
    before: z.coerce.bigint().min(1n).optional(),
    limit: z.coerce.number().int().min(1).max(50).default(10),
  })
  .strict();

function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new GatewayError(
    GatewayErrorCode.BAD_REQUEST,
    `${issue?.path.join('.') ?? 'query'}: ${issue?.message ?? 'invalid'}`,
  );
}

async function orNull<T>(read: Promise<T>): Promise<T | null> {
  try {
    return await read;
  } catch (error) {
    if (error instanceof LedgerError && error.code === LedgerErrorCode.NOT_FOUND) return null;
    throw error;
  }
}

export function regulatorRoutes(deps: RegulatorRoutesDeps): Router {
  const router = Router();
  const { ledger } = deps;

  router.get('/audit/requests', async (req: Request, res: Response) => {
    const q = parse(RequestQuery, req.query);
    const page = await ledger.listRequests(
      {
        ...(q.status === undefined ? {} : { status: q.status }),
        ...(q.hospital === undefined ? {} : { hospitalId: q.hospital }),
        ...(q.lab === undefined ? {} : { labId: q.lab }),
      },
      q.limit,
      q.bookmark ?? '',
    );
    res.json({
      requests: page.requests.map((r) => ({ ...r })),
      next: page.bookmark === '' ? null : page.bookmark,
    });
  });

  router.get('/audit/requests/:id', async (req: Request, res: Response) => {
    const id = String(req.params.id);
    const request = await ledger.getRequest(id);
    const [receipt, spotCheck] = await Promise.all([
      orNull(ledger.getReceipt(id)),
      orNull(ledger.getSpotCheck(id)),
    ]);
    res.json({
      request: { ...request },
      receipt: receipt === null ? null : { ...receipt },
      spotCheck: spotCheck === null ? null : { ...spotCheck },
    });
  });

  router.post('/audit/requests/:id/verify', async (req: Request, res: Response) => {
    res.json(await deps.verifier.verify(String(req.params.id)));
  });

  router.get('/audit/requests/:id/bundle', (_req: Request, res: Response) => {
    sendProblem(
      res,
      problem(501, 'offline audit bundles come with the verifiability work (issue 14)', 'NOT_IMPLEMENTED'),
    );
  });

  router.get('/audit/models', async (_req: Request, res: Response) => {
    const models = await ledger.listModels();
    res.json({ items: models.models.map((m) => ({ ...m })) });
  });

  router.get('/audit/labs', async (_req: Request, res: Response) => {
    const members = await ledger.listMembers();
    const labs = members.members.filter((m) => m.role === 'lab');
    const items = await Promise.all(
      labs.map(async (m) => ({
        member: { ...m },
        reputation: await orNull(ledger.getReputation(m.memberId)),
      })),
    );
    res.json({ items });
  });

  router.get('/audit/blocks', async (req: Request, res: Response) => {
    const q = parse(BlockQuery, req.query);
    const height = await deps.blocks.height();
    const top = q.before === undefined || q.before > height ? height : q.before;
    const numbers: bigint[] = [];
    for (let n = top - 1n; n >= 0n && numbers.length < q.limit; n -= 1n) numbers.push(n);
    const blocks = await Promise.all(
      numbers.map(async (n) => viewOfBlock(await deps.blocks.blockByNumber(n))),
    );
    res.json({ height: height.toString(), blocks });
  });

  router.get('/audit/blocks/:number', async (req: Request, res: Response) => {
    const raw = String(req.params.number);
    if (!/^[0-9]{1,19}$/.test(raw))
      throw new GatewayError(GatewayErrorCode.BAD_REQUEST, 'block number must be a decimal');
    res.json(viewOfBlock(await deps.blocks.blockByNumber(BigInt(raw))));
  });

  return router;
}
