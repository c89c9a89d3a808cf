import { createHash } from 'node:crypto';
import { Info, Returns, Transaction } from 'fabric-contract-api';
import { authorize } from '../rules/authorize';
import { applyConfigPatch, configJson } from '../rules/config';
// A value import, not `import type`: decorator metadata must name the class so that
// fabric-contract-api recognises the first parameter as the context and not as an argument.
import { VeriscanContext } from '../infra/context';
import { EventName, emit } from '../infra/events';
import { canonicalJson, parseJsonText } from '../infra/json';
import { KeyType } from '../infra/keys';
import { writeRecord } from '../infra/state';
import { VeriscanContract } from './veriscan-contract';
import { ContractName, Tx } from '@veriscan/ledger-api/wire';

/** The on-chain configuration record (approval thresholds, scheduler mode, deadlines, amounts). */
@Info({ title: 'Config', description: 'Consortium configuration with typed defaults' })
export class ConfigContract extends VeriscanContract {
  constructor() {
    super(ContractName.Config);
  }

  /** Returns the configuration in force (the defaults until an admin set one). Callers: any active member or admin. Errors: FORBIDDEN. */
  @Transaction(false)
  @Returns('string')
  async GetConfig(ctx: VeriscanContext): Promise<string> {
    const { config } = await authorize(ctx, Tx.GetConfig);
    return canonicalJson(configJson(config));
  }

  /**
   * Changes configuration fields: `patch` is JSON with any subset of the fields GetConfig returns;
   * the rest keep their current values. Callers: an org admin (HospitalMSP or LabMSP).
   * Errors: FORBIDDEN, INVALID_ARGUMENT (unknown field or value out of range).
   * Event: ConfigChanged `{by, digest}` (SHA-256 of the new canonical record).
   */
  @Transaction()
  @Returns('string')
  async SetConfig(ctx: VeriscanContext, patch: string): Promise<string> {
    const { actor, config } = await authorize(ctx, Tx.SetConfig);
    const next = applyConfigPatch(config, parseJsonText(patch, 'patch'));
    const text = canonicalJson(configJson(next));
    await writeRecord(ctx, KeyType.config, ['current'], configJson(next));
    emit(ctx, EventName.ConfigChanged, {
      by: actor.mspId,
      digest: createHash('sha256').update(text, 'utf8').digest('hex'),
    });
    return text;
  }
}
