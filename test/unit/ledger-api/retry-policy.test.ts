import { expect } from 'chai';
import { status } from '@grpc/grpc-js';
import { CommitError, GatewayError } from '@hyperledger/fabric-gateway';
import {
  LedgerError,
  LedgerErrorCode,
  Tx,
  backoffCeiling,
  toLedgerError,
  withRetry,
  type RetryEnvironment,
} from '../../../ledger-api/src';

function gatewayError(code: status, detail = ''): GatewayError {
  const cause = Object.assign(new Error('grpc'), { code, details: 'grpc', metadata: undefined as never });
  return new GatewayError({
    code,
    details: detail === '' ? [] : [{ address: 'peer0', mspId: 'Lab1MSP', message: detail }],
    cause,
    message: `status ${code}`,
  });
}

/** Records the delays asked for instead of sleeping. */
function recordingEnv(): RetryEnvironment & { delays: number[] } {
  const delays: number[] = [];
  return {
    delays,
    sleep: (ms) => {
      delays.push(ms);
      return Promise.resolve();
    },
    random: () => 0.999,
  };
}

describe('ledger-api retry policy and error classification', () => {
  it('classifies MVCC and phantom conflicts, unavailability and timeouts as transient', () => {
    expect(toLedgerError(new CommitError({ code: 11, transactionId: 't1' }), 'X').code).to.equal(
      LedgerErrorCode.MVCC_CONFLICT,
    );
    expect(toLedgerError(new CommitError({ code: 12, transactionId: 't1' }), 'X').transient).to.equal(true);
    expect(toLedgerError(gatewayError(status.UNAVAILABLE), 'X').code).to.equal(LedgerErrorCode.UNAVAILABLE);
    expect(toLedgerError(gatewayError(status.DEADLINE_EXCEEDED), 'X').code).to.equal(
      LedgerErrorCode.DEADLINE_EXCEEDED,
    );
  });

  it('classifies a chaincode refusal by its code and never as transient', () => {
    const error = toLedgerError(
      gatewayError(status.ABORTED, 'chaincode response 500, FAILED_PRECONDITION: request req-1 is expired'),
      Tx.SubmitResult,
    );
    expect(error).to.include({
      code: LedgerErrorCode.FAILED_PRECONDITION,
      fromChaincode: true,
      transient: false,
    });
    expect(error.message).to.equal('Requests:SubmitResult: FAILED_PRECONDITION: request req-1 is expired');
    expect(toLedgerError(new CommitError({ code: 10, transactionId: 't' }), 'X').transient).to.equal(false);
  });

  it('retries transient failures with exponential, capped backoff until one succeeds', async () => {
    const env = recordingEnv();
    let calls = 0;
    const value = await withRetry(
      () => {
        calls++;
        if (calls < 5)
          return Promise.reject(new LedgerError(LedgerErrorCode.UNAVAILABLE, 'down', { transaction: 'X' }));
        return Promise.resolve('ok');
      },
      {
        policy: { attempts: 6, baseDelayMs: 100, maxDelayMs: 500 },
        shouldRetry: (e) => e instanceof LedgerError && e.transient,
        environment: env,
      },
    );
    expect(value).to.equal('ok');
    expect(calls).to.equal(5);
    expect(env.delays).to.deep.equal([99, 199, 399, 499]);
    expect(
      [1, 2, 3, 4, 5].map((r) => backoffCeiling({ attempts: 9, baseDelayMs: 100, maxDelayMs: 500 }, r)),
    ).to.deep.equal([100, 200, 400, 500, 500]);
  });

  it('does not retry a chaincode refusal', async () => {
    const env = recordingEnv();
    let calls = 0;
    const refusal = new LedgerError(LedgerErrorCode.CONFLICT, 'CONFLICT: other receipt', {
      transaction: 'X',
    });
    try {
      await withRetry(
        () => {
          calls++;
          return Promise.reject(refusal);
        },
        {
          policy: { attempts: 5, baseDelayMs: 1, maxDelayMs: 1 },
          shouldRetry: (e) => e instanceof LedgerError && e.transient,
          environment: env,
        },
      );
      expect.fail('expected a rejection');
    } catch (error) {
      expect(error).to.equal(refusal);
    }
    expect(calls).to.equal(1);
    expect(env.delays).to.deep.equal([]);
  });

  it('gives up after the configured attempts and rethrows the last error', async () => {
    const env = recordingEnv();
    let calls = 0;
    try {
      await withRetry(
        () => {
          calls++;
          return Promise.reject(
            new LedgerError(LedgerErrorCode.DEADLINE_EXCEEDED, `t${calls}`, { transaction: 'X' }),
          );
        },
        { policy: { attempts: 3, baseDelayMs: 1, maxDelayMs: 1 }, shouldRetry: () => true, environment: env },
      );
      expect.fail('expected a rejection');
    } catch (error) {
      expect(error instanceof LedgerError && error.message).to.equal('X: t3');
    }
    expect(calls).to.equal(3);
  });
});
