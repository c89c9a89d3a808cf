import { Info, Returns, Transaction } from 'fabric-contract-api';
import {
  ModelStatus,
  parseModelRef,
  parseModelSpec,
  parseModelVersion,
  sameSpec,
  type ModelVersion,
} from '../domain/model';
import { authorize, memberOf } from '../rules/authorize';
// A value import, not `import type`: decorator metadata must name the class so that
// fabric-contract-api recognises the first parameter as the context and not as an argument.
import { VeriscanContext } from '../infra/context';
import { fail } from '../infra/errors';
import { EventName, emit } from '../infra/events';
import { canonicalJson, parseJsonText, recordJson } from '../infra/json';
import { KeyType } from '../infra/keys';
import { parseObject } from '../infra/reader';
import {
  formatTime,
  modelId as parseModelId,
  oneOf,
  semver,
  type ModelId,
  type Semver,
} from '../infra/scalars';
import { scanRecords, writeRecord } from '../infra/state';
import { txTimeMs } from '../infra/time';
import { votingMembers } from '../services/electorate';
import { readModel, resolveModel } from '../services/models';
import { approvalsNeeded } from '../rules/config';
import { VeriscanContract } from './veriscan-contract';
import { ContractName, Tx } from '@veriscan/ledger-api/wire';

/**
 * The model registry. A lab proposes an immutable id@version with its ONNX file hash; the admins
 * of the active hospitals and labs vote on it (`modelApprovalPerMille`, default a strict majority);
 * only approved versions can be requested. Revocation is a governance proposal (`revoke-model`).
 */
@Info({ title: 'Models', description: 'Model versions, their ONNX hashes and consortium approval' })
export class ModelsContract extends VeriscanContract {
  constructor() {
    super(ContractName.Models);
  }

  /**
   * Proposes a model version. Callers: an active lab's operator or admin. `spec` is JSON `{modelId, version,
   * onnxSha256, input: {width, height, channels, normalisation: {mode, mean?, std?}}, output: {kind:
   * mask|scores, classes}, licence, description}`. Proposing the same content again returns the
   * existing record.
   * Errors: FORBIDDEN, INVALID_ARGUMENT, CONFLICT (same id@version with a different hash or spec).
   * Event: ModelProposed `{modelId, version, onnxSha256, proposedBy}`.
   */
  @Transaction()
  @Returns('string')
  async ProposeModel(ctx: VeriscanContext, spec: string): Promise<string> {
    const { actor } = await authorize(ctx, Tx.ProposeModel);
    const lab = memberOf(actor);
    const parsed = parseModelSpec(parseJsonText(spec, 'spec'), 'spec');
    const existing = await readModel(ctx, parsed.modelId, parsed.version);
    if (existing !== undefined) {
      if (sameSpec(existing, parsed)) return canonicalJson(recordJson(existing));
      fail(
        'CONFLICT',
        `model ${parsed.modelId}@${parsed.version} exists with different content; versions are immutable`,
      );
    }
    const at = formatTime(txTimeMs(ctx));
    const model: ModelVersion = {
      ...parsed,
      status: 'proposed',
      proposedBy: lab,
      approvals: [],
      proposedAt: at,
      updatedAt: at,
    };
    await writeRecord(ctx, KeyType.model, [model.modelId, model.version], recordJson(model));
    emit(ctx, EventName.ModelProposed, {
      modelId: model.modelId,
      version: model.version,
      onnxSha256: model.onnxSha256,
      proposedBy: lab,
    });
    return canonicalJson(recordJson(model));
  }

  /**
   * Records the caller's institution's approval of a proposed version; it becomes `approved` once
   * `approvalsNeeded(n, modelApprovalPerMille)` of the n active hospitals and labs approved.
   * Callers: a hospital's or lab's admin. Errors: FORBIDDEN, INVALID_ARGUMENT, NOT_FOUND,
   * ALREADY_EXISTS (institution already approved), FAILED_PRECONDITION (not in `proposed`).
   * Event on approval: ModelApproved `{modelId, version, onnxSha256, approvals}`.
   */
  @Transaction()
  @Returns('string')
  async ApproveModel(ctx: VeriscanContext, modelId: string, version: string): Promise<string> {
    const { actor, config } = await authorize(ctx, Tx.ApproveModel);
    const model = await requireModel(ctx, parseModelId(modelId, 'modelId'), semver(version, 'version'));
    if (model.approvals.includes(actor.mspId))
      fail('ALREADY_EXISTS', `${actor.mspId} already approved ${model.modelId}@${model.version}`);
    if (model.status !== 'proposed')
      fail('FAILED_PRECONDITION', `model ${model.modelId}@${model.version} is ${model.status}`);
    const approvals = [...model.approvals, actor.mspId].sort();
    const voters = await votingMembers(ctx);
    const approved = approvals.length >= approvalsNeeded(voters.length, config.modelApprovalPerMille);
    const updated: ModelVersion = {
      ...model,
      approvals,
      status: approved ? 'approved' : 'proposed',
      updatedAt: formatTime(txTimeMs(ctx)),
    };
    await writeRecord(ctx, KeyType.model, [model.modelId, model.version], recordJson(updated));
    if (approved) {
      emit(ctx, EventName.ModelApproved, {
        modelId: model.modelId,
        version: model.version,
        onnxSha256: model.onnxSha256,
        approvals,
      });
    }
    return canonicalJson(recordJson(updated));
  }

  /**
   * Retires an approved version: no new requests, open ones may still complete. Callers: the lab
   * that proposed it (its operator or admin); anyone else asks the consortium with a `revoke-model` proposal.
   * Errors: FORBIDDEN, INVALID_ARGUMENT, NOT_FOUND, FAILED_PRECONDITION (not approved).
   * Event: ModelDeprecated `{modelId, version}`.
   */
  @Transaction()
  @Returns('string')
  async DeprecateModel(ctx: VeriscanContext, modelId: string, version: string): Promise<string> {
    const { actor } = await authorize(ctx, Tx.DeprecateModel);
    const model = await requireModel(ctx, parseModelId(modelId, 'modelId'), semver(version, 'version'));
    if (actor.memberId !== model.proposedBy)
      fail('FORBIDDEN', `only ${model.proposedBy} may deprecate ${model.modelId}@${model.version}`);
    if (model.status !== 'approved')
      fail('FAILED_PRECONDITION', `model ${model.modelId}@${model.version} is ${model.status}`);
    const updated: ModelVersion = { ...model, status: 'deprecated', updatedAt: formatTime(txTimeMs(ctx)) };
    await writeRecord(ctx, KeyType.model, [model.modelId, model.version], recordJson(updated));
    emit(ctx, EventName.ModelDeprecated, { modelId: model.modelId, version: model.version });
    return canonicalJson(recordJson(updated));
  }

  /** Returns one version. Callers: any user of an active member. Errors: FORBIDDEN, INVALID_ARGUMENT, NOT_FOUND. */
  @Transaction(false)
  @Returns('string')
  async GetModel(ctx: VeriscanContext, modelId: string, version: string): Promise<string> {
    await authorize(ctx, Tx.GetModel);
    return canonicalJson(
      recordJson(await requireModel(ctx, parseModelId(modelId, 'modelId'), semver(version, 'version'))),
    );
  }

  /**
   * Lists versions as `{models: [...]}` in key order. `filter` is JSON `{modelId?, status?}` ("{}" for all).
   * Callers: any user of an active member. Errors: FORBIDDEN, INVALID_ARGUMENT.
   */
  @Transaction(false)
  @Returns('string')
  async ListModels(ctx: VeriscanContext, filter: string): Promise<string> {
    await authorize(ctx, Tx.ListModels);
    const parsed = parseObject(parseJsonText(filter, 'filter'), 'filter', (r) => ({
      modelId: r.optional('modelId', parseModelId),
      status: r.optional('status', oneOf(ModelStatus)),
    }));
    const rows = await scanRecords(
      ctx,
      KeyType.model,
      parsed.modelId === undefined ? [] : [parsed.modelId],
      parseModelVersion,
    );
    const models = rows
      .map((row) => row.value)
      .filter((m) => parsed.status === undefined || m.status === parsed.status);
    return canonicalJson({ models: models.map(recordJson) });
  }

  /**
   * Resolves `id@1.2.0` (any status) or `id@approved` (newest approved version) to its record.
   * Callers: any user of an active member. Errors: FORBIDDEN, INVALID_ARGUMENT, NOT_FOUND.
   */
  @Transaction(false)
  @Returns('string')
  async ResolveModel(ctx: VeriscanContext, modelRef: string): Promise<string> {
    await authorize(ctx, Tx.ResolveModel);
    return canonicalJson(recordJson(await resolveModel(ctx, parseModelRef(modelRef, 'modelRef'))));
  }
}

async function requireModel(ctx: VeriscanContext, modelId: ModelId, version: Semver): Promise<ModelVersion> {
  const model = await readModel(ctx, modelId, version);
  if (model === undefined) return fail('NOT_FOUND', `model ${modelId}@${version} does not exist`);
  return model;
}
