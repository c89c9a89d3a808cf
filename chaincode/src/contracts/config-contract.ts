import { Info, Returns, Transaction } from 'fabric-contract-api';
import { authorize } from '../rules/authorize';
import { configJson } from '../rules/config';
// A value import, not `import type`: decorator metadata must name the class so that
// fabric-contract-api recognises the first parameter as the context and not as an argument.
import { VeriscanContext } from '../infra/context';
import { canonicalJson } from '../infra/json';
import { VeriscanContract } from './veriscan-contract';
import { ContractName, Tx } from '@veriscan/ledger-api/wire';

/**
 * The on-chain configuration record (approval thresholds, scheduler mode, deadlines, amounts). It
 * changes only through an approved `config` proposal (Governance contract), never by one admin.
 */
@Info({ title: 'Config', description: 'Consortium configuration with typed defaults' })
export class ConfigContract extends VeriscanContract {
  constructor() {
    super(ContractName.Config);
  }

  /** Returns the configuration in force (the defaults until a `config` proposal passed). Callers: any user of an active member. Errors: FORBIDDEN. */
  @Transaction(false)
  @Returns('string')
  async GetConfig(ctx: VeriscanContext): Promise<string> {
    const { config } = await authorize(ctx, Tx.GetConfig);
    return canonicalJson(configJson(config));
  }
}
