import { expect } from 'chai';
import { ChaincodeErrorCode, EventName, Tx, WRITE_TXS, type TxName } from '@veriscan/ledger-api/wire';
import { contracts, ErrorCode, EventName as ChaincodeEventName } from '../../../chaincode/src/index';
import { POLICY, writeFlagsAgree } from '../../../chaincode/src/rules/policy';

/** `Contract:Function` for every transaction function the chaincode's contract classes define. */
function chaincodeTransactions(): string[] {
  return contracts.flatMap((Contract) => {
    const instance = new Contract();
    return Object.getOwnPropertyNames(Contract.prototype)
      .filter((fn) => fn !== 'constructor' && !fn.startsWith('_') && fn !== 'createContext')
      .map((fn) => `${instance.getName()}:${fn}`);
  });
}

describe('chaincode wire API (names from @veriscan/ledger-api)', () => {
  it('defines exactly the transactions ledger-api names, no more and no fewer', () => {
    expect(chaincodeTransactions().sort()).to.deep.equal(Object.values(Tx).sort());
  });

  it('polices every transaction but the System probes and the genesis, with write flags that agree with WRITE_TXS', () => {
    const policed = Object.values(Tx).filter((tx) => !tx.startsWith('System:') && tx !== Tx.Bootstrap);
    expect(Object.keys(POLICY).sort()).to.deep.equal([...policed].sort());
    expect(writeFlagsAgree()).to.equal(true);
    for (const tx of Object.keys(POLICY) as TxName[]) {
      expect(POLICY[tx as keyof typeof POLICY].write, tx).to.equal(WRITE_TXS.has(tx));
    }
  });

  it('fails and emits with the codes and event names clients parse', () => {
    expect(ErrorCode).to.equal(ChaincodeErrorCode);
    expect(ChaincodeEventName).to.equal(EventName);
  });
});
