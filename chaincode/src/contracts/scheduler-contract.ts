import { Info, Returns, Transaction } from 'fabric-contract-api';
import { parseModelRef } from '../domain/model';
import { parseBid, parseCapacity, pickBestBid, type Bid, type Capacity } from '../domain/scheduling';
import { authorize, memberOf } from '../rules/authorize';
// A value import, not `import type`: decorator metadata must name the class so that
// fabric-contract-api recognises the first parameter as the context and not as an argument.
import { VeriscanContext } from '../infra/context';
import { fail } from '../infra/errors';
import { canonicalJson, recordJson } from '../infra/json';
import { KeyType } from '../infra/keys';
import { decimalArg, formatTime, requestId as parseRequestId } from '../infra/scalars';
import { deleteRecord, readRecord, scanRecords, writeRecord } from '../infra/state';
import { txTimeMs } from '../infra/time';
import { assignAndAnnounce, chooseLab, eligibleLabs, requestJson } from '../services/assignment';
import { resolveApprovedModel, resolveModel } from '../services/models';
import { requireRequest } from '../services/visibility';
import { VeriscanContract } from './veriscan-contract';
import { ContractName, Tx } from '@veriscan/ledger-api/wire';

/**
 * Which labs serve which model versions, and the auction mode's bids. The weighted and round-robin
 * choices themselves happen inside RequestInference and ExpireRequest (services/assignment.ts).
 */
@Info({ title: 'Scheduler', description: 'Lab capacity declarations and request auctions' })
export class SchedulerContract extends VeriscanContract {
  constructor() {
    super(ContractName.Scheduler);
  }

  /**
   * Declares that the calling lab serves an approved model version (`modelRef` "id@1.0.0" or
   * "id@approved") with up to `maxConcurrent` requests at once; "0" withdraws. Only declared,
   * active labs are eligible for assignment. `maxConcurrent` is advisory: counting a lab's open
   * requests on-chain would need a hot counter or a phantom-prone range read, so the lab's own
   * queue enforces it. Callers: an active lab's operator.
   * Errors: FORBIDDEN, INVALID_ARGUMENT, NOT_FOUND (model), FAILED_PRECONDITION (model not approved).
   */
  @Transaction()
  @Returns('string')
  async DeclareCapacity(ctx: VeriscanContext, modelRef: string, maxConcurrent: string): Promise<string> {
    const { actor } = await authorize(ctx, Tx.DeclareCapacity);
    const lab = memberOf(actor);
    const ref = parseModelRef(modelRef, 'modelRef');
    const max = decimalArg(0, 10_000)(maxConcurrent, 'maxConcurrent');
    const model = await resolveApprovedModel(ctx, ref);
    const key = [model.modelId, model.version, lab];
    if (max === 0) {
      await deleteRecord(ctx, KeyType.capacity, key);
      return canonicalJson({
        labId: lab,
        modelId: model.modelId,
        modelVersion: model.version,
        maxConcurrent: 0,
      });
    }
    const capacity: Capacity = {
      labId: lab,
      modelId: model.modelId,
      modelVersion: model.version,
      maxConcurrent: max,
      declaredAt: formatTime(txTimeMs(ctx)),
    };
    await writeRecord(ctx, KeyType.capacity, key, recordJson(capacity));
    return canonicalJson(recordJson(capacity));
  }

  /**
   * Bids for a request in auction mode while its window is open: promised `latencyMs` (at most the
   * priority's deadline) and `price` (integer credits). A new bid replaces the lab's previous one.
   * Callers: the operator of an active lab that declared capacity for the request's model version.
   * Errors: FORBIDDEN (no capacity declared), INVALID_ARGUMENT, NOT_FOUND, FAILED_PRECONDITION
   * (not in auction, window closed).
   */
  @Transaction()
  @Returns('string')
  async PlaceBid(ctx: VeriscanContext, requestId: string, latencyMs: string, price: string): Promise<string> {
    const { actor, config } = await authorize(ctx, Tx.PlaceBid);
    const lab = memberOf(actor);
    const id = parseRequestId(requestId, 'requestId');
    const latency = decimalArg(1, Number.MAX_SAFE_INTEGER)(latencyMs, 'latencyMs');
    const bidPrice = decimalArg(0, 1_000_000_000)(price, 'price');
    const request = await requireRequest(ctx, id);
    if (request.status !== 'pending' || request.auctionClosesAt === null)
      fail('FAILED_PRECONDITION', `request ${id} is not in auction`);
    const nowMs = txTimeMs(ctx);
    if (nowMs >= Date.parse(request.auctionClosesAt))
      fail('FAILED_PRECONDITION', `the auction for ${id} has closed`);
    if (latency > config.deadlineMs[request.priority]) {
      fail(
        'INVALID_ARGUMENT',
        `latencyMs exceeds the ${request.priority} deadline of ${config.deadlineMs[request.priority]} ms`,
      );
    }
    const capacity = await readRecord(
      ctx,
      KeyType.capacity,
      [request.modelId, request.modelVersion, lab],
      parseCapacity,
    );
    if (capacity === undefined)
      fail('FORBIDDEN', `${lab} has not declared capacity for ${request.modelId}@${request.modelVersion}`);
    const bid: Bid = { labId: lab, latencyMs: latency, price: bidPrice, placedAt: formatTime(nowMs) };
    await writeRecord(ctx, KeyType.bid, [id, lab], recordJson(bid));
    return canonicalJson(recordJson(bid));
  }

  /**
   * Ends an auction once its window has passed and assigns the best bid from a still-eligible lab
   * (lowest price, then lowest latency, then lab id); with no such bid, falls back to a weighted
   * choice among eligible labs. Callers: an active hospital's clinician or admin, or an active lab's operator or admin.
   * Errors: FORBIDDEN, INVALID_ARGUMENT, NOT_FOUND, FAILED_PRECONDITION (not in auction, window
   * still open, no eligible lab). Event: RequestAssigned.
   */
  @Transaction()
  @Returns('string')
  async CloseAuction(ctx: VeriscanContext, requestId: string): Promise<string> {
    const { config } = await authorize(ctx, Tx.CloseAuction);
    const id = parseRequestId(requestId, 'requestId');
    const request = await requireRequest(ctx, id);
    if (request.status !== 'pending' || request.auctionClosesAt === null)
      fail('FAILED_PRECONDITION', `request ${id} is not in auction`);
    const nowMs = txTimeMs(ctx);
    if (nowMs < Date.parse(request.auctionClosesAt))
      fail('FAILED_PRECONDITION', `the auction for ${id} is open until ${request.auctionClosesAt}`);
    const model = { modelId: request.modelId, version: request.modelVersion };
    const labs = await eligibleLabs(ctx, model, []);
    const bids = (await scanRecords(ctx, KeyType.bid, [id], parseBid))
      .map((row) => row.value)
      .filter((bid) => labs.includes(bid.labId));
    const best = pickBestBid(bids);
    const labId =
      best !== undefined
        ? best.labId
        : await chooseLab(ctx, model, labs, { ...config, schedulerMode: 'weighted' }, nowMs);
    const assigned = await assignAndAnnounce(ctx, request, labId, config, nowMs, null);
    return canonicalJson(requestJson(assigned));
  }

  /**
   * Lists the capacity declarations for a model version (`modelRef` "id@1.0.0" or "id@approved") as
   * `{capacity: [...]}`. Callers: any user of an active member. Errors: FORBIDDEN, INVALID_ARGUMENT, NOT_FOUND.
   */
  @Transaction(false)
  @Returns('string')
  async ListCapacity(ctx: VeriscanContext, modelRef: string): Promise<string> {
    await authorize(ctx, Tx.ListCapacity);
    const model = await resolveModel(ctx, parseModelRef(modelRef, 'modelRef'));
    const rows = await scanRecords(ctx, KeyType.capacity, [model.modelId, model.version], parseCapacity);
    return canonicalJson({ capacity: rows.map((row) => recordJson(row.value)) });
  }
}
