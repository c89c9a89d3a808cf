/**
 * The typed facade over a fabric-gateway `Contract` for the `veriscan` chaincode: one method per
 * transaction, evaluate or submit decided here from {@link WRITE_TXS}, every answer parsed into its
 * record type, and every failure a {@link LedgerError}. Retries are bounded and, by default, only
 * for MVCC_READ_CONFLICT / PHANTOM_READ_CONFLICT at validation (another transaction won a race);
 * a service with a durable outbox may widen that to every transient failure.
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
import { LedgerError, LedgerErrorCode } from './errors';
import { toLedgerError, validationCodeName, validationCodeToLedgerCode } from './gateway-errors';
import { ANSWER_PARSERS, type TxAnswer } from './records';
import { withRetry, type RetryEnvironment, type RetryPolicy } from './retry';
import { Tx, WRITE_TXS, type TxName } from './transactions';

/** A committed write: the parsed answer and the transaction that carried it. */
export interface Committed<T> {
  readonly value: T;
  readonly transactionId: string;
  /** The block that holds it: a read through another peer sees it once that peer committed this block. */
  readonly blockNumber: bigint;
}

/** Told about every retried call (for logs and metrics). */
export type RetryListener = (error: LedgerError, attempt: number, delayMs: number) => void;

/** What the facade retries by default: 3 attempts, for MVCC and phantom-read conflicts only. */
export const MVCC_RETRY_POLICY: RetryPolicy = { attempts: 3, baseDelayMs: 100, maxDelayMs: 1000 };

/** The default retry decision: only a lost validation race. */
export function isMvccConflict(error: LedgerError): boolean {
  return error.code === LedgerErrorCode.MVCC_CONFLICT;
}

/** The `AnchorBatch` argument: protocol anchor, its log proof, the receipts in leaf order. */
export interface AnchorBatchInput {
  readonly anchor: BatchAnchor;
  readonly logProof: AnchorLogProof;
  readonly receipts: readonly Receipt[];
}

/** `RequestInference`'s argument: commitments and a model reference, never patient data. */
export interface RequestInferenceInput {
  readonly requestId: string;
  readonly scanCommitment: string;
  readonly tileRootCommitment: string;
  readonly modelRef: string;
  readonly priority: string;
}

/** `ListRequests`'s filter. */
export interface RequestFilter {
  readonly status?: string;
  readonly hospitalId?: string;
  readonly labId?: string;
}

/** A proposal as `Governance:Propose` takes it: `{kind, ...}` (see {@link ProposalBody}). */
export type ProposalInput = Readonly<{ kind: string } & Record<string, unknown>>;

/** A founding member in `Membership:Bootstrap`'s list: an institution and its own org's MSP id. */
export interface GenesisMember {
  readonly memberId: string;
  readonly mspId: string;
  readonly role: string;
  readonly endpoint?: string;
}

export interface VeriscanLedgerOptions {
  readonly contract: Contract;
  /** Attempts and backoff (default {@link MVCC_RETRY_POLICY}). */
  readonly policy?: RetryPolicy;
  /** Which failures to retry (default {@link isMvccConflict}); chaincode refusals never are. */
  readonly shouldRetry?: (error: LedgerError) => boolean;
  readonly environment?: RetryEnvironment;
  readonly onRetry?: RetryListener;
}

const MAX_PAGES = 10_000;

/** The `veriscan` chaincode as typed calls. Every method throws only {@link LedgerError}. */
export class VeriscanLedger {
  readonly #contract: Contract;
  readonly #policy: RetryPolicy;
  readonly #shouldRetry: (error: LedgerError) => boolean;
  readonly #environment: RetryEnvironment | undefined;
  readonly #onRetry: RetryListener | undefined;

  constructor(options: VeriscanLedgerOptions) {
    this.#contract = options.contract;
    this.#policy = options.policy ?? MVCC_RETRY_POLICY;
    this.#shouldRetry = options.shouldRetry ?? isMvccConflict;
    this.#environment = options.environment;
    this.#onRetry = options.onRetry;
  }

  /**
   * Evaluates a read on the gateway's peer and parses the answer.
   * @throws LedgerError; INVALID_ARGUMENT locally when `tx` writes.
   */
  async evaluate<N extends TxName>(tx: N, args: readonly string[] = []): Promise<TxAnswer<N>> {
    if (WRITE_TXS.has(tx))
      throw new LedgerError(LedgerErrorCode.INVALID_ARGUMENT, 'writes are submitted', { transaction: tx });
    return this.#call(tx, async () => {
      const bytes = await this.#contract.evaluateTransaction(tx, ...args);
      return parseAnswer(tx, bytes);
    });
  }

  /**
   * Submits a write, waits for its commit and parses the answer.
   * @throws LedgerError; INVALID_ARGUMENT locally when `tx` only reads.
   */
  async submit<N extends TxName>(tx: N, args: readonly string[] = []): Promise<Committed<TxAnswer<N>>> {
    if (!WRITE_TXS.has(tx))
      throw new LedgerError(LedgerErrorCode.INVALID_ARGUMENT, 'reads are evaluated', { transaction: tx });
    return this.#call(tx, async () => {
      const submitted = await this.#contract.submitAsync(tx, { arguments: [...args] });
      const transactionId = submitted.getTransactionId();
      const status = await submitted.getStatus();
      if (!status.successful) {
        throw new LedgerError(
          validationCodeToLedgerCode(status.code),
          `transaction ${transactionId} invalidated with validation code ${validationCodeName(status.code)}`,
          { transaction: tx, transactionId },
        );
      }
      return {
        value: parseAnswer(tx, submitted.getResult()),
        transactionId,
        blockNumber: status.blockNumber,
      };
    });
  }

  async #call<T>(tx: TxName, task: () => Promise<T>): Promise<T> {
    return withRetry(
      async () => {
        try {
          return await task();
        } catch (error) {
          throw toLedgerError(error, tx);
        }
      },
      {
        policy: this.#policy,
        shouldRetry: (error) =>
          error instanceof LedgerError && !error.fromChaincode && this.#shouldRetry(error),
        ...(this.#environment === undefined ? {} : { environment: this.#environment }),
        onRetry: (error, attempt, delayMs) => {
          if (error instanceof LedgerError) this.#onRetry?.(error, attempt, delayMs);
        },
      },
    );
  }

  // --- System (network probes) ---

  /** `System:Ping`: any caller; the chaincode answers with the transaction id. */
  ping(): Promise<TxAnswer<typeof Tx.Ping>> {
    return this.evaluate(Tx.Ping);
  }

  /** `System:Whoami`: the caller's MSP id, role and member id as the chaincode reads them. */
  whoami(): Promise<TxAnswer<typeof Tx.Whoami>> {
    return this.evaluate(Tx.Whoami);
  }

  /** `System:PutProbe`. @throws LedgerError (FORBIDDEN for the regulator, INVALID_ARGUMENT). */
  putProbe(name: string, value: string): Promise<Committed<TxAnswer<typeof Tx.PutProbe>>> {
    return this.submit(Tx.PutProbe, [name, value]);
  }

  /** `System:IncrementProbe`. */
  incrementProbe(name: string): Promise<Committed<TxAnswer<typeof Tx.IncrementProbe>>> {
    return this.submit(Tx.IncrementProbe, [name]);
  }

  /** `System:WriteThenReadProbe`. */
  writeThenReadProbe(
    name: string,
    value: string,
  ): Promise<Committed<TxAnswer<typeof Tx.WriteThenReadProbe>>> {
    return this.submit(Tx.WriteThenReadProbe, [name, value]);
  }

  /** `System:CountProbes`. */
  countProbes(prefix: string, into: string): Promise<Committed<TxAnswer<typeof Tx.CountProbes>>> {
    return this.submit(Tx.CountProbes, [prefix, into]);
  }

  /** `System:PagedQueryThenWriteProbe`: refused by Fabric (a write after a paginated query). */
  pagedQueryThenWriteProbe(name: string): Promise<Committed<TxAnswer<typeof Tx.PagedQueryThenWriteProbe>>> {
    return this.submit(Tx.PagedQueryThenWriteProbe, [name]);
  }

  /** `System:WriteThenPagedQueryProbe`: refused by Fabric (a paginated query after a write). */
  writeThenPagedQueryProbe(name: string): Promise<Committed<TxAnswer<typeof Tx.WriteThenPagedQueryProbe>>> {
    return this.submit(Tx.WriteThenPagedQueryProbe, [name]);
  }

  /** `System:GetProbe`. */
  getProbe(name: string): Promise<TxAnswer<typeof Tx.GetProbe>> {
    return this.evaluate(Tx.GetProbe, [name]);
  }

  // --- Config ---

  /** `Config:GetConfig`: the configuration in force. */
  getConfig(): Promise<TxAnswer<typeof Tx.GetConfig>> {
    return this.evaluate(Tx.GetConfig);
  }

  // --- Membership ---

  /**
   * `Membership:Bootstrap`: a founding hospital's or lab's admin confirms the genesis list; the members
   * are written once every founder confirmed the same list. @throws LedgerError (FORBIDDEN, CONFLICT).
   */
  bootstrap(members: readonly GenesisMember[]): Promise<Committed<TxAnswer<typeof Tx.Bootstrap>>> {
    return this.submit(Tx.Bootstrap, [JSON.stringify({ members })]);
  }

  /** `Membership:SetMemberEndpoint`. @throws LedgerError (FORBIDDEN, INVALID_ARGUMENT, NOT_FOUND). */
  setMemberEndpoint(
    memberId: string,
    endpoint: string,
  ): Promise<Committed<TxAnswer<typeof Tx.SetMemberEndpoint>>> {
    return this.submit(Tx.SetMemberEndpoint, [memberId, endpoint]);
  }

  /** `Membership:GetMember`. @throws LedgerError (NOT_FOUND). */
  getMember(memberId: string): Promise<TxAnswer<typeof Tx.GetMember>> {
    return this.evaluate(Tx.GetMember, [memberId]);
  }

  /** `Membership:ListMembers`. */
  listMembers(): Promise<TxAnswer<typeof Tx.ListMembers>> {
    return this.evaluate(Tx.ListMembers);
  }

  // --- Models ---

  /** `Models:ProposeModel` (lab). @throws LedgerError (FORBIDDEN, INVALID_ARGUMENT, ALREADY_EXISTS). */
  proposeModel(
    spec: Readonly<Record<string, unknown>>,
  ): Promise<Committed<TxAnswer<typeof Tx.ProposeModel>>> {
    return this.submit(Tx.ProposeModel, [JSON.stringify(spec)]);
  }

  /** `Models:ApproveModel` (a hospital's or lab's admin): one institution's vote for a proposed version. */
  approveModel(modelId: string, version: string): Promise<Committed<TxAnswer<typeof Tx.ApproveModel>>> {
    return this.submit(Tx.ApproveModel, [modelId, version]);
  }

  /** `Models:DeprecateModel`. */
  deprecateModel(modelId: string, version: string): Promise<Committed<TxAnswer<typeof Tx.DeprecateModel>>> {
    return this.submit(Tx.DeprecateModel, [modelId, version]);
  }

  /** `Models:GetModel`. @throws LedgerError (NOT_FOUND). */
  getModel(modelId: string, version: string): Promise<TxAnswer<typeof Tx.GetModel>> {
    return this.evaluate(Tx.GetModel, [modelId, version]);
  }

  /** `Models:ListModels` with an optional `{modelId?, status?}` filter. */
  listModels(
    filter: Readonly<{ modelId?: string; status?: string }> = {},
  ): Promise<TxAnswer<typeof Tx.ListModels>> {
    return this.evaluate(Tx.ListModels, [JSON.stringify(filter)]);
  }

  /** `Models:ResolveModel` (`id@1.0.0` or `id@approved`). @throws LedgerError (NOT_FOUND). */
  resolveModel(modelRef: string): Promise<TxAnswer<typeof Tx.ResolveModel>> {
    return this.evaluate(Tx.ResolveModel, [modelRef]);
  }

  // --- Requests ---

  /** `Requests:RequestInference` (hospital). @throws LedgerError (FORBIDDEN, INVALID_ARGUMENT, FAILED_PRECONDITION, ALREADY_EXISTS). */
  requestInference(request: RequestInferenceInput): Promise<Committed<TxAnswer<typeof Tx.RequestInference>>> {
    return this.submit(Tx.RequestInference, [JSON.stringify(request)]);
  }

  /**
   * `Requests:SubmitResult` (the assigned lab). Idempotent: the same receipt again returns the stored one.
   * @throws LedgerError (FORBIDDEN, INVALID_ARGUMENT, NOT_FOUND, CONFLICT, FAILED_PRECONDITION)
   */
  submitResult(
    requestId: RequestId,
    trace: PixelTrace,
    receipt: Receipt,
  ): Promise<Committed<TxAnswer<typeof Tx.SubmitResult>>> {
    return this.submit(Tx.SubmitResult, [requestId, JSON.stringify(trace), JSON.stringify(receipt)]);
  }

  /**
   * `Requests:AnchorBatch` (lab). The same anchor again returns the stored batch.
   * @throws LedgerError (FORBIDDEN, INVALID_ARGUMENT, NOT_FOUND, CONFLICT, FAILED_PRECONDITION)
   */
  anchorBatch(input: AnchorBatchInput): Promise<Committed<TxAnswer<typeof Tx.AnchorBatch>>> {
    return this.submit(Tx.AnchorBatch, [JSON.stringify(input)]);
  }

  /** `Requests:ExpireRequest`: frees an overdue request for reassignment. */
  expireRequest(requestId: string): Promise<Committed<TxAnswer<typeof Tx.ExpireRequest>>> {
    return this.submit(Tx.ExpireRequest, [requestId]);
  }

  /** `Requests:SubmitSpotCheck` (the checker lab). */
  submitSpotCheck(
    requestId: RequestId,
    trace: PixelTrace,
    receipt: Receipt,
  ): Promise<Committed<TxAnswer<typeof Tx.SubmitSpotCheck>>> {
    return this.submit(Tx.SubmitSpotCheck, [requestId, JSON.stringify(trace), JSON.stringify(receipt)]);
  }

  /** `Requests:GetRequest`. @throws LedgerError (NOT_FOUND when it does not exist or is not visible). */
  getRequest(requestId: string): Promise<TxAnswer<typeof Tx.GetRequest>> {
    return this.evaluate(Tx.GetRequest, [requestId]);
  }

  /** `Requests:ListRequests`: one page (`bookmark` "" for the first). */
  listRequests(
    filter: RequestFilter,
    pageSize: number,
    bookmark = '',
  ): Promise<TxAnswer<typeof Tx.ListRequests>> {
    return this.evaluate(Tx.ListRequests, [JSON.stringify(filter), String(pageSize), bookmark]);
  }

  /** Every visible request matching `filter`, all pages. */
  async listAllRequests(
    filter: RequestFilter,
    pageSize = 100,
  ): Promise<TxAnswer<typeof Tx.ListRequests>['requests'][number][]> {
    const out: TxAnswer<typeof Tx.ListRequests>['requests'][number][] = [];
    let bookmark = '';
    for (let page = 0; page < MAX_PAGES; page++) {
      const result = await this.listRequests(filter, pageSize, bookmark);
      out.push(...result.requests);
      if (result.bookmark === '' || result.bookmark === bookmark) break;
      bookmark = result.bookmark;
    }
    return out;
  }

  /** `Requests:GetReceipt`. @throws LedgerError (NOT_FOUND until completed). */
  getReceipt(requestId: string): Promise<TxAnswer<typeof Tx.GetReceipt>> {
    return this.evaluate(Tx.GetReceipt, [requestId]);
  }

  /** `Requests:GetBatch`. @throws LedgerError (NOT_FOUND when that sequence is not anchored). */
  getBatch(labId: MemberId | string, sequence: number): Promise<TxAnswer<typeof Tx.GetBatch>> {
    return this.evaluate(Tx.GetBatch, [labId, String(sequence)]);
  }

  /** `Requests:GetBatch`, or undefined when that sequence is not anchored. @throws LedgerError for anything but NOT_FOUND */
  async findBatch(
    labId: MemberId | string,
    sequence: number,
  ): Promise<TxAnswer<typeof Tx.GetBatch> | undefined> {
    try {
      return await this.getBatch(labId, sequence);
    } catch (error) {
      if (error instanceof LedgerError && error.code === LedgerErrorCode.NOT_FOUND) return undefined;
      throw error;
    }
  }

  /** `Requests:GetSpotCheck`. @throws LedgerError (NOT_FOUND). */
  getSpotCheck(requestId: string): Promise<TxAnswer<typeof Tx.GetSpotCheck>> {
    return this.evaluate(Tx.GetSpotCheck, [requestId]);
  }

  // --- Scheduler ---

  /** `Scheduler:DeclareCapacity` (lab). */
  declareCapacity(
    modelRef: string,
    maxConcurrent: number,
  ): Promise<Committed<TxAnswer<typeof Tx.DeclareCapacity>>> {
    return this.submit(Tx.DeclareCapacity, [modelRef, String(maxConcurrent)]);
  }

  /** `Scheduler:PlaceBid` (lab, auction mode). */
  placeBid(
    requestId: string,
    latencyMs: number,
    price: number,
  ): Promise<Committed<TxAnswer<typeof Tx.PlaceBid>>> {
    return this.submit(Tx.PlaceBid, [requestId, String(latencyMs), String(price)]);
  }

  /** `Scheduler:CloseAuction`. */
  closeAuction(requestId: string): Promise<Committed<TxAnswer<typeof Tx.CloseAuction>>> {
    return this.submit(Tx.CloseAuction, [requestId]);
  }

  /** `Scheduler:ListCapacity` for a model reference. */
  listCapacity(modelRef: string): Promise<TxAnswer<typeof Tx.ListCapacity>> {
    return this.evaluate(Tx.ListCapacity, [modelRef]);
  }

  // --- Reputation ---

  /** `Reputation:RedeemPriority` (lab): spends the named credit entries. */
  redeemPriority(
    amount: number,
    entryIds: readonly string[],
  ): Promise<Committed<TxAnswer<typeof Tx.RedeemPriority>>> {
    return this.submit(Tx.RedeemPriority, [String(amount), JSON.stringify(entryIds)]);
  }

  /** `Reputation:CompactReputation`: folds a lab's entries into a snapshot. */
  compactReputation(labId: string): Promise<Committed<TxAnswer<typeof Tx.CompactReputation>>> {
    return this.submit(Tx.CompactReputation, [labId]);
  }

  /** `Reputation:GetReputation`. */
  getReputation(labId: string): Promise<TxAnswer<typeof Tx.GetReputation>> {
    return this.evaluate(Tx.GetReputation, [labId]);
  }

  // --- Governance ---

  /**
   * `Governance:Propose` (a hospital's or lab's admin): opens a proposal with the caller's approval.
   * @throws LedgerError (FORBIDDEN, INVALID_ARGUMENT, NOT_FOUND, FAILED_PRECONDITION, ALREADY_EXISTS)
   */
  propose(body: ProposalInput): Promise<Committed<TxAnswer<typeof Tx.Propose>>> {
    return this.submit(Tx.Propose, [JSON.stringify(body)]);
  }

  /**
   * `Governance:Vote`: approves or rejects an open proposal as the caller's institution.
   * @throws LedgerError (FORBIDDEN, NOT_FOUND, ALREADY_EXISTS, FAILED_PRECONDITION)
   */
  vote(proposalId: string, approve: boolean): Promise<Committed<TxAnswer<typeof Tx.Vote>>> {
    return this.submit(Tx.Vote, [proposalId, approve ? 'approve' : 'reject']);
  }

  /** `Governance:GetProposal`. @throws LedgerError (NOT_FOUND). */
  getProposal(proposalId: string): Promise<TxAnswer<typeof Tx.GetProposal>> {
    return this.evaluate(Tx.GetProposal, [proposalId]);
  }

  /** `Governance:ListProposals`, optionally only those with `status`. */
  listProposals(filter: Readonly<{ status?: string }> = {}): Promise<TxAnswer<typeof Tx.ListProposals>> {
    return this.evaluate(Tx.ListProposals, [JSON.stringify(filter)]);
  }
}

/** Parses `tx`'s answer with its parser from {@link ANSWER_PARSERS}; failures become UNEXPECTED_ANSWER. */
function parseAnswer<N extends TxName>(tx: N, bytes: Uint8Array): TxAnswer<N> {
  // TypeScript cannot correlate an indexed generic lookup with TxAnswer<N>; the table's type (one
  // parser per Tx, checked where ANSWER_PARSERS is declared) is what makes this narrowing sound.
  const parse = ANSWER_PARSERS[tx] as (bytes: Uint8Array) => TxAnswer<N>;
  try {
    return parse(bytes);
  } catch (error) {
    if (error instanceof LedgerError)
      throw new LedgerError(error.code, error.message, { transaction: tx, cause: error });
    throw new LedgerError(LedgerErrorCode.UNEXPECTED_ANSWER, `unexpected answer: ${String(error)}`, {
      transaction: tx,
      cause: error,
    });
  }
}
