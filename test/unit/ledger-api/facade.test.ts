import { expect } from 'chai';
import { status } from '@grpc/grpc-js';
import { GatewayError, StatusCode, type Contract } from '@hyperledger/fabric-gateway';
import {
  LedgerError,
  LedgerErrorCode,
  Tx,
  VeriscanLedger,
  type RetryEnvironment,
} from '../../../ledger-api/src';

const utf8 = new TextEncoder();

interface Call {
  readonly kind: 'evaluate' | 'submit';
  readonly name: string;
  readonly args: readonly string[];
}

/** A fabric-gateway Contract double: answers from a script, records every call. */
function fakeContract(script: {
  evaluate?: (name: string, args: readonly string[]) => Uint8Array;
  submit?: (attempt: number) => { code: number; result: Uint8Array } | Error;
}): { contract: Contract; calls: Call[] } {
  const calls: Call[] = [];
  let submits = 0;
  const contract = {
    evaluateTransaction: (name: string, ...args: string[]) => {
      calls.push({ kind: 'evaluate', name, args });
      return Promise.resolve((script.evaluate ?? (() => new Uint8Array()))(name, args));
    },
    submitAsync: (name: string, options: { arguments: string[] }) => {
      calls.push({ kind: 'submit', name, args: options.arguments });
      const outcome = (script.submit ?? (() => ({ code: StatusCode.VALID, result: new Uint8Array() })))(
        ++submits,
      );
      if (outcome instanceof Error) return Promise.reject(outcome);
      return Promise.resolve({
        getTransactionId: () => `tx${submits}`,
        getResult: () => outcome.result,
        getStatus: () =>
          Promise.resolve({
            code: outcome.code,
            successful: outcome.code === StatusCode.VALID,
            blockNumber: 1n,
            transactionId: `tx${submits}`,
          }),
      });
    },
  };
  // The facade uses only these two methods of the Contract interface.
  return { contract: contract as unknown as Contract, calls };
}

const noSleep: RetryEnvironment = { sleep: () => Promise.resolve(), random: () => 0 };

function refusal(text: string): GatewayError {
  const cause = Object.assign(new Error('grpc'), {
    code: status.ABORTED,
    details: 'x',
    metadata: undefined as never,
  });
  return new GatewayError({
    code: status.ABORTED,
    details: [{ address: 'peer0', mspId: 'Org1', message: `chaincode response 500, ${text}` }],
    cause,
    message: '10 ABORTED: failed to endorse transaction',
  });
}

describe('VeriscanLedger facade', () => {
  it('evaluates a read with its arguments and parses the answer', async () => {
    const { contract, calls } = fakeContract({
      evaluate: () => utf8.encode(JSON.stringify({ pong: true, txId: 'abc' })),
    });
    const answer = await new VeriscanLedger({ contract }).ping();
    expect(answer).to.deep.equal({ pong: true, txId: 'abc' });
    expect(calls).to.deep.equal([{ kind: 'evaluate', name: Tx.Ping, args: [] }]);
  });

  it('submits a write, waits for its commit and returns the transaction id and block', async () => {
    const { contract, calls } = fakeContract({});
    const committed = await new VeriscanLedger({ contract }).putProbe('k', 'v');
    expect(committed).to.deep.equal({ value: undefined, transactionId: 'tx1', blockNumber: 1n });
    expect(calls).to.deep.equal([{ kind: 'submit', name: Tx.PutProbe, args: ['k', 'v'] }]);
  });

  it('retries a commit lost to an MVCC conflict, within the policy, and then succeeds', async () => {
    const { contract, calls } = fakeContract({
      submit: (attempt) => ({
        code: attempt < 3 ? StatusCode.MVCC_READ_CONFLICT : StatusCode.VALID,
        result: new Uint8Array(),
      }),
    });
    const retried: string[] = [];
    const ledger = new VeriscanLedger({
      contract,
      environment: noSleep,
      onRetry: (error) => retried.push(error.code),
    });
    expect((await ledger.putProbe('k', 'v')).transactionId).to.equal('tx3');
    expect(calls).to.have.length(3);
    expect(retried).to.deep.equal([LedgerErrorCode.MVCC_CONFLICT, LedgerErrorCode.MVCC_CONFLICT]);
  });

  it('gives up on MVCC conflicts after the attempts and does not retry other invalidations', async () => {
    const conflicted = fakeContract({
      submit: () => ({ code: StatusCode.PHANTOM_READ_CONFLICT, result: new Uint8Array() }),
    });
    const error: unknown = await new VeriscanLedger({ contract: conflicted.contract, environment: noSleep })
      .putProbe('k', 'v')
      .catch((e: unknown) => e);
    expect(error).to.be.instanceOf(LedgerError).and.include({ code: LedgerErrorCode.MVCC_CONFLICT });
    expect(conflicted.calls).to.have.length(3);

    const invalid = fakeContract({
      submit: () => ({ code: StatusCode.ENDORSEMENT_POLICY_FAILURE, result: new Uint8Array() }),
    });
    const policy: unknown = await new VeriscanLedger({ contract: invalid.contract, environment: noSleep })
      .putProbe('k', 'v')
      .catch((e: unknown) => e);
    expect(policy).to.be.instanceOf(LedgerError).and.include({ code: LedgerErrorCode.INVALIDATED });
    expect(invalid.calls).to.have.length(1);
  });

  it('reports a chaincode refusal by its code, once, even when told to retry everything', async () => {
    const { contract, calls } = fakeContract({
      submit: () => refusal('FORBIDDEN: role lab may not call this'),
    });
    const ledger = new VeriscanLedger({ contract, environment: noSleep, shouldRetry: () => true });
    const error: unknown = await ledger.vote('x', true).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(LedgerError);
    if (!(error instanceof LedgerError)) return;
    expect(error.code).to.equal(LedgerErrorCode.FORBIDDEN);
    expect(error.fromChaincode).to.equal(true);
    expect(error.transaction).to.equal(Tx.Vote);
    expect(error.message).to.equal(`${Tx.Vote}: FORBIDDEN: role lab may not call this`);
    expect(calls).to.have.length(1);
  });

  it('turns an answer that does not parse into UNEXPECTED_ANSWER naming the transaction', async () => {
    const { contract } = fakeContract({ evaluate: () => utf8.encode('{"pong":"yes"}') });
    const error: unknown = await new VeriscanLedger({ contract }).ping().catch((e: unknown) => e);
    expect(error).to.be.instanceOf(LedgerError).and.include({
      code: LedgerErrorCode.UNEXPECTED_ANSWER,
      transaction: Tx.Ping,
    });
  });

  it('refuses locally to evaluate a write or submit a read', async () => {
    const { contract, calls } = fakeContract({});
    const ledger = new VeriscanLedger({ contract });
    const write: unknown = await ledger.evaluate(Tx.PutProbe, ['k', 'v']).catch((e: unknown) => e);
    const read: unknown = await ledger.submit(Tx.GetProbe, ['k']).catch((e: unknown) => e);
    expect(write).to.be.instanceOf(LedgerError).and.include({ code: LedgerErrorCode.INVALID_ARGUMENT });
    expect(read).to.be.instanceOf(LedgerError).and.include({ code: LedgerErrorCode.INVALID_ARGUMENT });
    expect(calls).to.deep.equal([]);
  });
});
