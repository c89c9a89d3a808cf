import { Info, Returns, Transaction } from 'fabric-contract-api';
import { parseModelRef } from '../domain/model';
import {
  INDEX_MARK,
  RequestStatus,
  parseBatchAnchorRecord,
  parseIndexMark,
  parseRequest,
  parseRequestInput,
  parseSpotCheck,
  sameInput,
  type BatchAnchorRecord,
  type InferenceRequest,
  type SpotCheck,
} from '../domain/request';
import { authorize, memberOf, type Actor } from '../rules/authorize';
// A value import, not `import type`: decorator metadata must name the class so that
// fabric-contract-api recognises the first parameter as the context and not as an argument.
import { VeriscanContext } from '../infra/context';
import { fail } from '../infra/errors';
import { EventName, emit } from '../infra/events';
import { canonicalJson, parseJsonText, recordJson, type Json } from '../infra/json';
import { KeyType, sequenceAttr } from '../infra/keys';
import {
  appendsToLog,
  batchRoot,
  checkAnchor,
  checkLogProof,
  checkReceipt,
  checkTrace,
  type PixelTrace,
} from '../rules/protocol-checks';
import { parseObject } from '../infra/reader';
import {
  arrayOf,
  decimalArg,
  formatTime,
  hexDigest,
  memberId as parseMemberId,
  oneOf,
  requestId as parseRequestId,
  text,
  type MemberId,
} from '../infra/scalars';
import { readRecord, scanPage, writeRecord, deleteRecord, type Page } from '../infra/state';
import { txTimeMs } from '../infra/time';
import { assignAndAnnounce, chooseLab, eligibleLabs, requestJson } from '../services/assignment';
import {
  checkCompletable,
  complete,
  completionEvent,
  readReceipt,
  receiptJson,
} from '../services/completion';
import { readModel, resolveApprovedModel } from '../services/models';
import { recordEntry } from '../services/reputation';
import { canSee, requireRequest, requireVisibleRequest } from '../services/visibility';
import { VeriscanContract } from './veriscan-contract';
import { ContractName, Tx } from '@veriscan/ledger-api/wire';

const MAX_PAGE = 100;

/** A trace must be of the request's model (hash as registered) and of the committed scan. */
function checkTraceAgainst(trace: PixelTrace, request: InferenceRequest, path: string): void {
  if (trace.model.hash !== request.onnxSha256) {
    fail(
      'INVALID_ARGUMENT',
      `${path}.model.hash differs from the registered hash of ${request.modelId}@${request.modelVersion}`,
    );
  }
  if (trace.model.id !== request.modelId || trace.model.version !== request.modelVersion) {
    fail('INVALID_ARGUMENT', `${path}.model must be ${request.modelId}@${request.modelVersion}`);
  }
  if (
    trace.pixels.scanCommitment !== request.scanCommitment ||
    trace.pixels.tileRootCommitment !== request.tileRootCommitment
  ) {
    fail('INVALID_ARGUMENT', `${path}.pixels commitments differ from the request's`);
  }
}

/**
 * Parses the `trace` and `receipt` arguments of SubmitResult and SubmitSpotCheck.
 * @throws INVALID_ARGUMENT when either is malformed, the receipt's `traceHash` is not the trace's hash, or
 * its output commitment is not the trace's.
 */
function checkTracedReceipt(
  trace: string,
  receipt: string,
): {
  readonly checkedTrace: ReturnType<typeof checkTrace>;
  readonly checkedReceipt: ReturnType<typeof checkReceipt>;
} {
  const checkedTrace = checkTrace(parseJsonText(trace, 'trace'), 'trace');
  const checkedReceipt = checkReceipt(parseJsonText(receipt, 'receipt'), 'receipt');
  if (checkedReceipt.traceHash !== checkedTrace.hash)
    fail('INVALID_ARGUMENT', 'receipt.traceHash is not the hash of trace');
  if (checkedReceipt.outputCommitment !== checkedTrace.trace.output.outputCommitment)
    fail('INVALID_ARGUMENT', "receipt.outputCommitment differs from the trace's output.outputCommitment");
  return { checkedTrace, checkedReceipt };
}

/**
 * Inference requests and their results: hospitals request, the scheduler assigns, the assigned
 * lab submits a trace-backed receipt (singly or in Merkle batches), late assignments expire and
 * move on, and a drawn fraction is re-run by a second lab.
 */
@Info({ title: 'Requests', description: 'Inference requests, receipts, batch anchors and spot checks' })
export class RequestsContract extends VeriscanContract {
  constructor() {
    super(ContractName.Requests);
  }

  /**
   * Requests an inference. Callers: an active hospital's clinician. `request` is JSON `{requestId,
   * scanCommitment, tileRootCommitment, modelRef ("id@1.0.0" | "id@approved"), priority (routine |
   * urgent | stat)}`, commitments being salted (never a bare scan hash). The same content again
   * returns the stored request. The model must be approved; a lab is assigned by the configured
   * scheduler (in auction mode the request waits in `pending` until CloseAuction).
   * Errors: FORBIDDEN, INVALID_ARGUMENT, NOT_FOUND (model), CONFLICT (same id, other content),
   * FAILED_PRECONDITION (model not approved, no eligible lab).
   * Event: RequestAssigned `{requestId, hospitalId, labId, modelId, modelVersion, onnxSha256,
   * scanCommitment, tileRootCommitment, priority, deadline, attempt}`, or AuctionOpened in auction mode.
   */
  @Transaction()
  @Returns('string')
  async RequestInference(ctx: VeriscanContext, request: string): Promise<string> {
    const { actor, config } = await authorize(ctx, Tx.RequestInference);
    const hospital = memberOf(actor);
    const input = parseRequestInput(parseJsonText(request, 'request'), 'request');
    const ref = parseModelRef(input.modelRef, 'request.modelRef');

    const existing = await readRecord(ctx, KeyType.request, [input.requestId], parseRequest);
    if (existing !== undefined) {
      if (existing.hospitalId === hospital && sameInput(existing, input))
        return canonicalJson(requestJson(existing));
      fail('CONFLICT', `request ${input.requestId} already exists with different content`);
    }
    const model = await resolveApprovedModel(ctx, ref);
    const nowMs = txTimeMs(ctx);
    const labs = await eligibleLabs(ctx, model, []);
    if (labs.length === 0)
      fail('FAILED_PRECONDITION', `no eligible lab serves ${model.modelId}@${model.version}`);

    const pending: InferenceRequest = {
      ...input,
      hospitalId: hospital,
      modelId: model.modelId,
      modelVersion: model.version,
      onnxSha256: model.onnxSha256,
      status: 'pending',
      assignedLab: null,
      assignedAt: null,
      deadline: null,
      attempt: 0,
      previousLabs: [],
      auctionClosesAt: null,
      createdAt: formatTime(nowMs),
      completedAt: null,
    };
    await writeRecord(ctx, KeyType.requestByHospital, [hospital, input.requestId], INDEX_MARK);

    if (config.schedulerMode === 'auction') {
      const open: InferenceRequest = {
        ...pending,
        auctionClosesAt: formatTime(nowMs + config.auctionWindowMs),
      };
      await writeRecord(ctx, KeyType.request, [input.requestId], requestJson(open));
      emit(ctx, EventName.AuctionOpened, {
        requestId: open.requestId,
        hospitalId: hospital,
        modelId: open.modelId,
        modelVersion: open.modelVersion,
        priority: open.priority,
        closesAt: open.auctionClosesAt,
      });
      return canonicalJson(requestJson(open));
    }
    const labId = await chooseLab(ctx, model, labs, config, nowMs);
    const assigned = await assignAndAnnounce(ctx, pending, labId, config, nowMs, null);
    return canonicalJson(requestJson(assigned));
  }

  /**
   * Submits the result of an assigned request. Callers: the lab the request is assigned to, while it
   * is `assigned`. `trace` is the protocol pixel trace (JSON); `receipt` the protocol receipt whose
   * `traceHash` is that trace's hash. The trace's model hash must equal the registered ONNX hash and
   * its commitments the request's. Mints reputation by latency tier (on time) or burns
   * `lateSubmitBurn` (after the deadline). Resubmitting the same receipt returns the stored one.
   * Errors: FORBIDDEN (not the assigned lab), INVALID_ARGUMENT (trace, receipt, hashes), NOT_FOUND,
   * CONFLICT (completed with another receipt), FAILED_PRECONDITION (not open, model revoked,
   * timestamp before the assignment).
   * Event: ResultCommitted `{requestId, hospitalId, labId, traceHash, receiptHash, outputCommitment,
   * latencyMs, reputation, spotCheck}`; `spotCheck` names the second lab when one is drawn.
   */
  @Transaction()
  @Returns('string')
  async SubmitResult(
    ctx: VeriscanContext,
    requestId: string,
    trace: string,
    receipt: string,
  ): Promise<string> {
    const { actor, config } = await authorize(ctx, Tx.SubmitResult);
    const lab = memberOf(actor);
    const id = parseRequestId(requestId, 'requestId');
    const { checkedTrace, checkedReceipt } = checkTracedReceipt(trace, receipt);

    const request = await requireRequest(ctx, id);
    if (request.assignedLab !== lab) fail('FORBIDDEN', `request ${id} is not assigned to ${lab}`);
    if (request.status === 'completed' || request.status === 'disputed') {
      const stored = await readReceipt(ctx, id);
      if (stored !== undefined && stored.labId === lab && stored.receiptHash === checkedReceipt.hash)
        return canonicalJson(receiptJson(stored));
      fail('CONFLICT', `request ${id} was already completed with another receipt`);
    }
    checkTraceAgainst(checkedTrace.trace, request, 'trace');
    const nowMs = txTimeMs(ctx);
    await checkCompletable(ctx, request, lab, checkedReceipt.receipt, nowMs, 'receipt');
    const completion = await complete(
      ctx,
      {
        request,
        lab,
        traceHash: checkedTrace.hash,
        outputCommitment: checkedReceipt.outputCommitment,
        receiptHash: checkedReceipt.hash,
        batch: null,
      },
      config,
      nowMs,
    );
    emit(ctx, EventName.ResultCommitted, completionEvent(completion));
    return canonicalJson(receiptJson(completion.receipt));
  }

  /**
   * Anchors a batch of receipts and completes their requests. Callers: an active lab's operator, for
   * requests assigned to it. `batch` is JSON `{anchor, logProof, receipts}`: the protocol batch
   * anchor (lab, sequence, Merkle root over the receipts' hashes, count, the lab's log checkpoint),
   * the proof that it appends exactly one batch to the lab's log, and the receipts in leaf order.
   * Sequences start at 0 and have no gaps; the same anchor again returns the stored one. Traces stay
   * off-chain in batch mode (each receipt binds its trace hash).
   * Errors: FORBIDDEN (anchor or a request of another lab), INVALID_ARGUMENT (records, root, count,
   * duplicates, log proof), NOT_FOUND (a request), CONFLICT (sequence taken by another anchor),
   * FAILED_PRECONDITION (previous sequence missing, a request not open).
   * Event: BatchAnchored `{labId, sequence, merkleRoot, count, log, requestIds, spotChecks}`.
   */
  @Transaction()
  @Returns('string')
  async AnchorBatch(ctx: VeriscanContext, batch: string): Promise<string> {
    const { actor, config } = await authorize(ctx, Tx.AnchorBatch);
    const lab = memberOf(actor);
    const parsed = parseObject(parseJsonText(batch, 'batch'), 'batch', (r) => ({
      anchor: r.field('anchor', checkAnchor),
      logProof: r.field('logProof', checkLogProof),
      receipts: r.field('receipts', arrayOf(checkReceipt, 1, config.maxBatchSize)),
    }));
    const { anchor, logProof, receipts } = parsed;
    if (anchor.lab !== lab) fail('FORBIDDEN', `batch.anchor.lab must be the caller ${lab}`);
    if (anchor.count !== receipts.length)
      fail('INVALID_ARGUMENT', 'batch.anchor.count differs from the number of receipts');
    const ids = receipts.map((r) => r.receipt.requestId);
    // Fabric has no read-your-writes: a request listed twice would be completed twice from the same old state.
    if (new Set(ids).size !== ids.length) fail('INVALID_ARGUMENT', 'batch.receipts lists a request twice');
    const root = batchRoot(receipts.map((r) => r.receipt));
    if (anchor.root !== root)
      fail('INVALID_ARGUMENT', 'batch.anchor.root is not the Merkle root of the receipts');

    const existing = await readRecord(
      ctx,
      KeyType.batch,
      [lab, sequenceAttr(anchor.sequence)],
      parseBatchAnchorRecord,
    );
    if (existing !== undefined) {
      if (existing.merkleRoot === root && existing.count === anchor.count)
        return canonicalJson(recordJson(existing));
      fail('CONFLICT', `batch ${anchor.sequence} of ${lab} is already anchored with another root`);
    }
    const previous =
      anchor.sequence === 0
        ? null
        : await readRecord(
            ctx,
            KeyType.batch,
            [lab, sequenceAttr(anchor.sequence - 1)],
            parseBatchAnchorRecord,
          );
    if (anchor.sequence > 0 && previous === undefined) {
      fail('FAILED_PRECONDITION', `batch ${anchor.sequence - 1} of ${lab} is not anchored yet`);
    }
    if (!appendsToLog(previous?.log ?? null, anchor, logProof)) {
      fail('INVALID_ARGUMENT', 'batch.logProof does not show the anchor appended to the lab log');
    }

    const nowMs = txTimeMs(ctx);
    const spotChecks: Json[] = [];
    for (const [index, checked] of receipts.entries()) {
      const path = `batch.receipts[${index}]`;
      const request = await requireRequest(
        ctx,
        parseRequestId(checked.receipt.requestId, `${path}.requestId`),
      );
      await checkCompletable(ctx, request, lab, checked.receipt, nowMs, path);
      const completion = await complete(
        ctx,
        {
          request,
          lab,
          traceHash: checked.traceHash,
          outputCommitment: checked.outputCommitment,
          receiptHash: checked.hash,
          batch: { sequence: anchor.sequence, merkleRoot: root, index },
        },
        config,
        nowMs,
      );
      if (completion.spotCheck !== null)
        spotChecks.push({ requestId: request.requestId, checkerLab: completion.spotCheck.checkerLab });
    }
    const record: BatchAnchorRecord = {
      labId: lab,
      sequence: anchor.sequence,
      merkleRoot: root,
      count: anchor.count,
      log: { size: anchor.log.size, root: hexDigest(anchor.log.root, 'batch.anchor.log.root') },
      requestIds: ids.map((id, i) => parseRequestId(id, `batch.receipts[${i}].requestId`)),
      anchoredAt: formatTime(nowMs),
      txId: ctx.stub.getTxID(),
    };
    await writeRecord(ctx, KeyType.batch, [lab, sequenceAttr(anchor.sequence)], recordJson(record));
    emit(ctx, EventName.BatchAnchored, {
      labId: lab,
      sequence: record.sequence,
      merkleRoot: root,
      count: record.count,
      log: record.log,
      requestIds: record.requestIds,
      spotChecks,
    });
    return canonicalJson(recordJson(record));
  }

  /**
   * Expires an assignment whose deadline has passed: debits the late lab `expiryBurn` and reassigns
   * the request to another eligible lab that has not held it (auction mode reassigns by weight), or
   * marks it `expired` when none is left. Callers: an active hospital's clinician or admin, or an active lab's operator or admin.
   * Errors: FORBIDDEN, INVALID_ARGUMENT, NOT_FOUND, FAILED_PRECONDITION (not assigned, deadline not passed).
   * Event: RequestAssigned (with `previousLab`) or RequestExpired `{requestId, hospitalId, labId}`.
   */
  @Transaction()
  @Returns('string')
  async ExpireRequest(ctx: VeriscanContext, requestId: string): Promise<string> {
    const { config } = await authorize(ctx, Tx.ExpireRequest);
    const id = parseRequestId(requestId, 'requestId');
    const request = await requireRequest(ctx, id);
    const late = request.assignedLab;
    if (request.status !== 'assigned' || late === null || request.deadline === null) {
      return fail('FAILED_PRECONDITION', `request ${id} is ${request.status}`);
    }
    const nowMs = txTimeMs(ctx);
    if (nowMs <= Date.parse(request.deadline))
      fail('FAILED_PRECONDITION', `request ${id} is not past its deadline`);

    await recordEntry(ctx, {
      labId: late,
      kind: 'debit',
      amount: config.expiryBurn,
      reason: 'expire',
      ref: `${id}:${request.attempt}`,
      requestId: id,
    });
    const model = await readModel(ctx, request.modelId, request.modelVersion);
    const servable = model !== undefined && (model.status === 'approved' || model.status === 'deprecated');
    const labs = servable ? await eligibleLabs(ctx, model, [...request.previousLabs, late]) : [];
    if (model === undefined || labs.length === 0) {
      const expired: InferenceRequest = {
        ...request,
        status: 'expired',
        assignedLab: null,
        previousLabs: [...request.previousLabs, late],
      };
      await writeRecord(ctx, KeyType.request, [id], requestJson(expired));
      await deleteRecord(ctx, KeyType.requestByLab, [late, id]);
      emit(ctx, EventName.RequestExpired, { requestId: id, hospitalId: request.hospitalId, labId: late });
      return canonicalJson(requestJson(expired));
    }
    const labId = await chooseLab(ctx, model, labs, config, nowMs);
    const reassigned = await assignAndAnnounce(ctx, request, labId, config, nowMs, late);
    return canonicalJson(requestJson(reassigned));
  }

  /**
   * Submits a spot check: the second lab's re-run of a completed request. Callers: the lab the spot
   * check names, while it is open. Equal output commitments credit both labs `spotCheckReward`; a
   * difference marks the request `disputed` for the regulator to see.
   * Errors: FORBIDDEN (not the checker), INVALID_ARGUMENT, NOT_FOUND, FAILED_PRECONDITION (not open).
   * Event: SpotCheckPassed `{requestId, labId, checkerLab}` or DisputeOpened `{requestId, hospitalId,
   * labId, checkerLab, outputCommitment, checkerOutputCommitment}`.
   */
  @Transaction()
  @Returns('string')
  async SubmitSpotCheck(
    ctx: VeriscanContext,
    requestId: string,
    trace: string,
    receipt: string,
  ): Promise<string> {
    const { actor, config } = await authorize(ctx, Tx.SubmitSpotCheck);
    const lab = memberOf(actor);
    const id = parseRequestId(requestId, 'requestId');
    const { checkedTrace, checkedReceipt } = checkTracedReceipt(trace, receipt);
    if (checkedReceipt.receipt.requestId !== id) fail('INVALID_ARGUMENT', `receipt.requestId must be ${id}`);
    if (checkedReceipt.receipt.lab !== lab) fail('INVALID_ARGUMENT', `receipt.lab must be ${lab}`);

    const spot = await readRecord(ctx, KeyType.spotCheck, [id], parseSpotCheck);
    if (spot === undefined) return fail('NOT_FOUND', `request ${id} has no spot check`);
    if (spot.checkerLab !== lab) fail('FORBIDDEN', `the spot check of ${id} is not assigned to ${lab}`);
    if (spot.status !== 'open') fail('FAILED_PRECONDITION', `the spot check of ${id} is ${spot.status}`);
    const request = await requireRequest(ctx, id);
    checkTraceAgainst(checkedTrace.trace, request, 'trace');

    const nowMs = txTimeMs(ctx);
    const passed = checkedReceipt.outputCommitment === spot.outputCommitment;
    const updated: SpotCheck = {
      ...spot,
      checkerOutputCommitment: checkedReceipt.outputCommitment,
      status: passed ? 'passed' : 'disputed',
      completedAt: formatTime(nowMs),
    };
    await writeRecord(ctx, KeyType.spotCheck, [id], recordJson(updated));
    if (passed) {
      for (const labId of [spot.labId, spot.checkerLab]) {
        await recordEntry(ctx, {
          labId,
          kind: 'credit',
          amount: config.spotCheckReward,
          reason: 'spot',
          ref: id,
          requestId: id,
        });
      }
      emit(ctx, EventName.SpotCheckPassed, { requestId: id, labId: spot.labId, checkerLab: spot.checkerLab });
    } else {
      await writeRecord(ctx, KeyType.request, [id], requestJson({ ...request, status: 'disputed' }));
      emit(ctx, EventName.DisputeOpened, {
        requestId: id,
        hospitalId: request.hospitalId,
        labId: spot.labId,
        checkerLab: spot.checkerLab,
        outputCommitment: spot.outputCommitment,
        checkerOutputCommitment: checkedReceipt.outputCommitment,
      });
    }
    return canonicalJson(recordJson(updated));
  }

  /**
   * Returns a request. Callers: its hospital, a lab it is or was assigned to (or that spot-checks
   * it), the regulator. Errors: FORBIDDEN (role), INVALID_ARGUMENT, NOT_FOUND (missing or not visible).
   */
  @Transaction(false)
  @Returns('string')
  async GetRequest(ctx: VeriscanContext, requestId: string): Promise<string> {
    const { actor } = await authorize(ctx, Tx.GetRequest);
    return canonicalJson(
      requestJson(await requireVisibleRequest(ctx, actor, parseRequestId(requestId, 'requestId'))),
    );
  }

  /**
   * Lists visible requests one page at a time: `{requests, bookmark, fetched}`. `filter` is JSON
   * `{status?, hospitalId?, labId?}` ("{}" for all): a hospital sees its own, a lab those currently
   * assigned to it, the regulator all (optionally by hospital or lab). `pageSize` is 1..100; pass
   * the returned `bookmark` for the next page ("" for the first; "" back means the last page). The
   * status filter applies within a page, so pages may hold fewer than `pageSize` requests.
   * Callers: hospital, lab and regulator members. Errors: FORBIDDEN, INVALID_ARGUMENT.
   */
  @Transaction(false)
  @Returns('string')
  async ListRequests(
    ctx: VeriscanContext,
    filter: string,
    pageSize: string,
    bookmark: string,
  ): Promise<string> {
    const { actor } = await authorize(ctx, Tx.ListRequests);
    const parsed = parseObject(parseJsonText(filter, 'filter'), 'filter', (r) => ({
      status: r.optional('status', oneOf(RequestStatus)),
      hospitalId: r.optional('hospitalId', parseMemberId),
      labId: r.optional('labId', parseMemberId),
    }));
    const size = decimalArg(1, MAX_PAGE)(pageSize, 'pageSize');
    const mark = text({ min: 0, max: 1024 })(bookmark, 'bookmark');
    const page = await listPage(ctx, actor, parsed, size, mark);
    const requests = page.requests.filter((r) => parsed.status === undefined || r.status === parsed.status);
    return canonicalJson({
      requests: requests.map(requestJson),
      bookmark: page.bookmark,
      fetched: page.fetched,
    });
  }

  /**
   * Returns the receipt of a completed request. Callers: as for GetRequest.
   * Errors: FORBIDDEN (role), INVALID_ARGUMENT, NOT_FOUND (no such visible request, or not completed).
   */
  @Transaction(false)
  @Returns('string')
  async GetReceipt(ctx: VeriscanContext, requestId: string): Promise<string> {
    const { actor } = await authorize(ctx, Tx.GetReceipt);
    const request = await requireVisibleRequest(ctx, actor, parseRequestId(requestId, 'requestId'));
    const receipt = await readReceipt(ctx, request.requestId);
    if (receipt === undefined) return fail('NOT_FOUND', `request ${request.requestId} has no receipt`);
    return canonicalJson(receiptJson(receipt));
  }

  /**
   * Returns one anchored batch of a lab (ids and roots only, so public to the consortium).
   * Callers: any user of an active member. Errors: FORBIDDEN, INVALID_ARGUMENT, NOT_FOUND.
   */
  @Transaction(false)
  @Returns('string')
  async GetBatch(ctx: VeriscanContext, labId: string, sequence: string): Promise<string> {
    await authorize(ctx, Tx.GetBatch);
    const lab = parseMemberId(labId, 'labId');
    const seq = decimalArg(0, Number.MAX_SAFE_INTEGER)(sequence, 'sequence');
    const batch = await readRecord(ctx, KeyType.batch, [lab, sequenceAttr(seq)], parseBatchAnchorRecord);
    if (batch === undefined) return fail('NOT_FOUND', `batch ${seq} of ${lab} does not exist`);
    return canonicalJson(recordJson(batch));
  }

  /**
   * Returns the spot check of a request. Callers: as for GetRequest.
   * Errors: FORBIDDEN (role), INVALID_ARGUMENT, NOT_FOUND.
   */
  @Transaction(false)
  @Returns('string')
  async GetSpotCheck(ctx: VeriscanContext, requestId: string): Promise<string> {
    const { actor } = await authorize(ctx, Tx.GetSpotCheck);
    const request = await requireVisibleRequest(ctx, actor, parseRequestId(requestId, 'requestId'));
    const spot = await readRecord(ctx, KeyType.spotCheck, [request.requestId], parseSpotCheck);
    if (spot === undefined) return fail('NOT_FOUND', `request ${request.requestId} has no spot check`);
    return canonicalJson(recordJson(spot));
  }
}

/** Picks the index (or the full scan) a caller may page through, then loads the requests. */
async function listPage(
  ctx: VeriscanContext,
  actor: Actor,
  filter: { readonly hospitalId?: MemberId | undefined; readonly labId?: MemberId | undefined },
  pageSize: number,
  bookmark: string,
): Promise<{
  readonly requests: readonly InferenceRequest[];
  readonly bookmark: string;
  readonly fetched: number;
}> {
  let index: {
    readonly type: typeof KeyType.requestByHospital | typeof KeyType.requestByLab;
    readonly owner: MemberId;
  } | null;
  switch (actor.role) {
    case 'hospital':
      if (filter.hospitalId !== undefined && filter.hospitalId !== actor.memberId)
        fail('FORBIDDEN', 'a hospital lists only its own requests');
      if (filter.labId !== undefined) fail('INVALID_ARGUMENT', 'filter.labId is for labs and the regulator');
      index = { type: KeyType.requestByHospital, owner: actor.memberId };
      break;
    case 'lab':
      if (filter.labId !== undefined && filter.labId !== actor.memberId)
        fail('FORBIDDEN', 'a lab lists only requests assigned to it');
      if (filter.hospitalId !== undefined)
        fail('INVALID_ARGUMENT', 'filter.hospitalId is for hospitals and the regulator');
      index = { type: KeyType.requestByLab, owner: actor.memberId };
      break;
    case 'regulator':
      if (filter.hospitalId !== undefined && filter.labId !== undefined)
        fail('INVALID_ARGUMENT', 'filter by hospitalId or labId, not both');
      index =
        filter.hospitalId !== undefined
          ? { type: KeyType.requestByHospital, owner: filter.hospitalId }
          : filter.labId !== undefined
            ? { type: KeyType.requestByLab, owner: filter.labId }
            : null;
      break;
  }
  if (index === null) {
    const page = await scanPage(ctx, KeyType.request, [], pageSize, bookmark, parseRequest);
    return {
      requests: page.rows.map((row) => row.value),
      bookmark: page.bookmark,
      fetched: page.rows.length,
    };
  }
  const page: Page<null> = await scanPage(ctx, index.type, [index.owner], pageSize, bookmark, parseIndexMark);
  const requests: InferenceRequest[] = [];
  for (const row of page.rows) {
    const id = row.attributes[1];
    if (id === undefined) continue;
    const request = await readRecord(ctx, KeyType.request, [id], parseRequest);
    if (request !== undefined && (await canSee(ctx, actor, request))) requests.push(request);
  }
  return { requests, bookmark: page.bookmark, fetched: page.rows.length };
}
