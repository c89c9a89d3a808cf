/**
 * The lab's typed view of the `veriscan` chaincode: each method is one transaction, parses its answer,
 * and throws only {@link LedgerError}. Transient failures (MVCC conflicts, unavailability, timeouts)
 * are retried here with backoff; chaincode refusals are not, because the same call would be refused
 * again.
 */
import type { Contract } from '@hyperledger/fabric-gateway';
import type {
  AnchorLogProof,
  BatchAnchor,
  MemberId,
  PixelTrace,
  Receipt,
  RequestId,
} from '@veriscan/protocol';
import { LedgerError, LedgerFailureKind, toLedgerError } from './errors';
import {
  jsonObject,
  parseLedgerBatch,
  parseLedgerMember,
  parseLedgerModel,
  parseLedgerReceipt,
  parseLedgerRequest,
  parseRequestPage,
  type LedgerBatch,
  type LedgerMember,
  type LedgerModel,
  type LedgerReceipt,
  type LedgerRequest,
} from './records';
import { DEFAULT_RETRY_POLICY, withRetry, type RetryEnvironment, type RetryPolicy } from './retry';

/** A committed write: the parsed answer and the transaction that carried it. */
export interface Committed<T> {
  readonly value: T;
  readonly transactionId: string;
}

/** Told about every retried call (for logs and metrics). */
export type RetryListener = (error: LedgerError, attempt: number, delayMs: number) => void;

/** The `AnchorBatch` argument: protocol anchor, its log proof, the receipts in leaf order. */
export interface AnchorBatchInput {
  readonly anchor: BatchAnchor;
  readonly logProof: AnchorLogProof;
  readonly receipts: readonly Receipt[];
}

const PAGE_SIZE = 100;

/** The ledger as the lab uses it. */
export class LabLedger {
  readonly #contract: Contract;
  readonly #policy: RetryPolicy;
  readonly #environment: RetryEnvironment | undefined;
  readonly #onRetry: RetryListener | undefined;

  constructor(
    options: Readonly<{
      contract: Contract;
      policy?: RetryPolicy;
      environment?: RetryEnvironment;
      onRetry?: RetryListener;
    }>,
  ) {
    this.#contract = options.contract;
    this.#policy = options.policy ?? DEFAULT_RETRY_POLICY;
    this.#environment = options.environment;
    this.#onRetry = options.onRetry;
  }

  async #call<T>(transaction: string, task: () => Promise<T>): Promise<T> {
    return withRetry(
      async () => {
        try {
          return await task();
        } catch (error) {
          throw toLedgerError(error, transaction);
        }
      },
      {
        policy: this.#policy,
        shouldRetry: (error) => error instanceof LedgerError && error.transient,
        ...(this.#environment === undefined ? {} : { environment: this.#environment }),
        onRetry: (error, attempt, delayMs) => {
          if (error instanceof LedgerError) this.#onRetry?.(error, attempt, delayMs);
        },
      },
    );
  }

  async #evaluate<T>(
    transaction: string,
    args: readonly string[],
    parse: (bytes: Uint8Array) => T,
  ): Promise<T> {
    return this.#call(transaction, async () => {
      const bytes = await this.#contract.evaluateTransaction(transaction, ...args);
      return parseOrThrow(transaction, () => parse(bytes));
    });
  }

  async #submit<T>(
    transaction: string,
    args: readonly string[],
    parse: (bytes: Uint8Array) => T,
  ): Promise<Committed<T>> {
    return this.#call(transaction, async () => {
      const submitted = await this.#contract.submitAsync(transaction, { arguments: [...args] });
      const transactionId = submitted.getTransactionId();
      const status = await submitted.getStatus();
      if (!status.successful) {
        const conflict = status.code === 11 || status.code === 12;
        throw new LedgerError({
          kind: conflict ? LedgerFailureKind.mvccConflict : LedgerFailureKind.invalidated,
          transaction,
          transactionId,
          message: `transaction ${transactionId} invalidated with validation code ${status.code}`,
        });
      }
      const value = parseOrThrow(transaction, () => parse(submitted.getResult()));
      return { value, transactionId };
    });
  }

  /**
   * Reads one request (the lab sees those assigned to it now or before).
   * @throws LedgerError (chaincode NOT_FOUND when it does not exist or is not visible).
   */
  async getRequest(requestId: RequestId): Promise<LedgerRequest> {
    return this.#evaluate('Requests:GetRequest', [requestId], (b) =>
      parseLedgerRequest(jsonObject(b, 'request')),
    );
  }

  /**
   * Every request currently assigned to this lab with status `assigned` (all pages).
   * @throws LedgerError
   */
  async listAssigned(): Promise<LedgerRequest[]> {
    const out: LedgerRequest[] = [];
    let bookmark = '';
    for (let page = 0; page < 10_000; page++) {
      const result = await this.#evaluate(
        'Requests:ListRequests',
        [JSON.stringify({ status: 'assigned' }), String(PAGE_SIZE), bookmark],
        parseRequestPage,
      );
      out.push(...result.requests);
      if (result.bookmark === '' || result.bookmark === bookmark) break;
      bookmark = result.bookmark;
    }
    return out;
  }

  /**
   * Submits one result. Idempotent on the chaincode side: the same receipt again returns the stored one.
   * @throws LedgerError (chaincode FORBIDDEN, INVALID_ARGUMENT, NOT_FOUND, CONFLICT, FAILED_PRECONDITION)
   */
  async submitResult(
    requestId: RequestId,
    trace: PixelTrace,
    receipt: Receipt,
  ): Promise<Committed<LedgerReceipt>> {
    return this.#submit(
      'Requests:SubmitResult',
      [requestId, JSON.stringify(trace), JSON.stringify(receipt)],
      (b) => parseLedgerReceipt(jsonObject(b, 'receipt')),
    );
  }

  /**
   * Anchors a batch of receipts. The same anchor again returns the stored batch.
   * @throws LedgerError (chaincode FORBIDDEN, INVALID_ARGUMENT, NOT_FOUND, CONFLICT, FAILED_PRECONDITION)
   */
  async anchorBatch(input: AnchorBatchInput): Promise<Committed<LedgerBatch>> {
    return this.#submit('Requests:AnchorBatch', [JSON.stringify(input)], (b) =>
      parseLedgerBatch(jsonObject(b, 'batch')),
    );
  }

  /**
   * One anchored batch of a lab, or undefined when that sequence is not anchored.
   * @throws LedgerError for anything but NOT_FOUND
   */
  async getBatch(labId: MemberId, sequence: number): Promise<LedgerBatch | undefined> {
    try {
      return await this.#evaluate('Requests:GetBatch', [labId, String(sequence)], (b) =>
        parseLedgerBatch(jsonObject(b, 'batch')),
      );
    } catch (error) {
      if (error instanceof LedgerError && error.chaincodeCode === 'NOT_FOUND') return undefined;
      throw error;
    }
  }

  /** A model version by reference (`id@1.0.0` or `id@approved`). @throws LedgerError */
  async resolveModel(modelRef: string): Promise<LedgerModel> {
    return this.#evaluate('Models:ResolveModel', [modelRef], (b) => parseLedgerModel(jsonObject(b, 'model')));
  }

  /** A model version record. @throws LedgerError */
  async getModel(modelId: string, version: string): Promise<LedgerModel> {
    return this.#evaluate('Models:GetModel', [modelId, version], (b) =>
      parseLedgerModel(jsonObject(b, 'model')),
    );
  }

  /** A member record (a hospital's blob endpoint). @throws LedgerError */
  async getMember(memberId: string): Promise<LedgerMember> {
    return this.#evaluate('Membership:GetMember', [memberId], (b) =>
      parseLedgerMember(jsonObject(b, 'member')),
    );
  }
}

function parseOrThrow<T>(transaction: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    throw new LedgerError({
      kind: LedgerFailureKind.other,
      transaction,
      message: `unexpected answer: ${error instanceof Error ? error.message : String(error)}`,
      cause: error,
    });
  }
}
