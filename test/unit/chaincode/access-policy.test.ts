import { expect } from 'chai';
import * as built from '@veriscan/chaincode';
import { POLICY, type TxName } from '../../../chaincode/src/rules/policy';
import type { VeriscanContext } from '../../../chaincode/src/infra/context';
import { cc, id, readyLedger, requestAs } from './support/fixtures';
import { Tx } from '@veriscan/ledger-api';

const CONTRACTS: Readonly<Record<string, object>> = {
  Config: cc.config,
  Membership: cc.membership,
  Models: cc.models,
  Requests: cc.requests,
  Scheduler: cc.scheduler,
  Reputation: cc.reputation,
  Governance: cc.governance,
};

/** The transaction functions a contract class defines (what fabric-contract-api exposes). */
function transactionsOf(contract: object): string[] {
  const proto: unknown = Object.getPrototypeOf(contract);
  if (typeof proto !== 'object' || proto === null) return [];
  return Object.getOwnPropertyNames(proto).filter(
    (name) => name !== 'constructor' && !name.startsWith('_') && name !== 'createContext',
  );
}

/** Calls `Contract:Fn` with placeholder arguments; authorization runs before any argument is parsed. */
function invoke(tx: TxName, ctx: VeriscanContext, args: readonly string[]): Promise<unknown> {
  const [contractName = '', fn = ''] = tx.split(':');
  const contract = CONTRACTS[contractName];
  const method: unknown = contract === undefined ? undefined : Reflect.get(contract, fn);
  if (typeof method !== 'function') throw new Error(`${tx} is not a method`);
  return Promise.resolve(Reflect.apply(method, contract, [ctx, ...args]) as unknown);
}

async function errorOf(promise: Promise<unknown>): Promise<string | null> {
  try {
    await promise;
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

const entries = Object.entries(POLICY) as [TxName, (typeof POLICY)[TxName]][]; // Object.entries loses the key type of a const table

describe('Access policy', () => {
  it('lists exactly the transactions the contracts define, so none escapes authorization', () => {
    const defined = Object.entries(CONTRACTS).flatMap(([name, contract]) =>
      transactionsOf(contract).map((fn) => `${name}:${fn}`),
    );
    // The genesis authorizes with its own rule (no member exists before it), tested in membership-contract.test.ts.
    expect([...defined].filter((tx) => tx !== Tx.Bootstrap).sort()).to.deep.equal(Object.keys(POLICY).sort());
  });

  it('declares every transaction argument to fabric-contract-api without the context parameter (built chaincode)', () => {
    // fabric-contract-api drops the first parameter only if its decorator metadata is the context
    // class itself; otherwise every call fails with "Expected N parameters, but N-1 have been supplied".
    // The metadata exists only in tsc output (esbuild, which runs these tests, does not emit it).
    const getMetadata: unknown = Reflect.get(Reflect, 'getMetadata');
    if (typeof getMetadata !== 'function') throw new Error('reflect-metadata is not loaded');
    for (const contract of built.contracts.map((C) => new C())) {
      const name = contract.getName();
      const declared: unknown = Reflect.apply(getMetadata, Reflect, [
        'fabric:transactions',
        Object.getPrototypeOf(contract),
      ]);
      if (!Array.isArray(declared)) throw new Error(`${name} has no transaction metadata`);
      for (const tx of declared as unknown[]) {
        const txName = String(Reflect.get(tx as object, 'name'));
        const parameters: unknown = Reflect.get(tx as object, 'parameters');
        const method: unknown = Reflect.get(contract, txName);
        const arity = typeof method === 'function' ? method.length : -1;
        expect(Array.isArray(parameters) ? parameters.length : 0, `${name}:${txName}`).to.equal(arity - 1);
      }
    }
  });

  for (const [tx, policy] of entries.filter(([, p]) => p.write)) {
    it(`refuses ${tx} from the regulator with FORBIDDEN and writes nothing`, async () => {
      const ledger = await readyLedger();
      await requestAs(ledger, 'req-1');
      const before = ledger.snapshot();
      for (const caller of [id.regulator, id.regulatorAdmin]) {
        const message = await errorOf(
          ledger.submit(caller, (ctx) => invoke(tx, ctx, ['req-1', '{}', '1', ''])),
        );
        expect(message, tx).to.match(/^FORBIDDEN: /);
      }
      expect(ledger.snapshot()).to.deep.equal(before);
      expect(policy.grant).to.not.have.property('regulator');
    });
  }

  for (const [tx] of entries.filter(([, p]) => !p.write)) {
    it(`lets the regulator call ${tx}`, async () => {
      const ledger = await readyLedger();
      await requestAs(ledger, 'req-1');
      const message = await errorOf(
        ledger.evaluate(id.regulator, (ctx) => invoke(tx, ctx, ['lab-1', '0', '1', ''].slice(0, 4))),
      );
      expect(message ?? '', tx).to.not.match(/^FORBIDDEN: /);
    });
  }
});
