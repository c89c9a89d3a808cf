/**
 * The peer's Gateway service (internal/pkg/gateway: api.go, endorsement.go, submit.go,
 * commit/finder.go, chaincodeevents.go): Evaluate, Endorse, Submit, CommitStatus and
 * ChaincodeEvents with Fabric's message shapes and error reporting.
 */
import * as grpc from '@grpc/grpc-js';
import { common, gateway, peer } from '@hyperledger/fabric-protos';
import { bytesEqual } from '../common/bytes';
import { MalformedMessageError, parseSignedProposal, type ParsedProposal } from '../common/protoutil';
import type { IdentityVerifier, PolicyFactory } from '../common/trust';
import { LIFECYCLE_NAMESPACE } from '../chaincode/lifecycle';
import { QSCC } from '../chaincode/qscc';
import type { Ledger, CommittedEvent } from '../ledger/ledger';
import { definitionOf, LIFECYCLE_POLICY } from '../ledger/lifecycle-state';
import type { BroadcastClient } from '../orderer/broadcast-client';
import { PolicyError } from '../policy';
import { GatewayRpcError, responseStatus, type PeerErrorDetail } from './errors';
import type { EndorsingPeer } from './peer-directory';

/** gw/config/options.go: endorsement and broadcast timeouts. */
const ENDORSE_TIMEOUT_MS = 10_000;
const BROADCAST_TIMEOUT_MS = 10_000;

/** internal/pkg/gateway/registry.go `endorsementPlan`: the prefix of every discovery failure. */
const NO_PLAN = 'no combination of peers can be derived which satisfy the endorsement policy';

const STATUS_NAMES = Object.fromEntries(Object.entries(common.Status).map(([k, v]) => [v, k])) as Record<
  number,
  string
>;

/** What the gateway reads from its peer's ledger. */
export type GatewayLedger = Pick<
  Ledger,
  'state' | 'height' | 'waitForTx' | 'txLocation' | 'eventsOf' | 'onBlock'
>;

export interface GatewayOptions {
  readonly channelId: string;
  readonly mspId: string;
  readonly ledger: GatewayLedger;
  readonly identities: IdentityVerifier;
  readonly policies: PolicyFactory;
  /** Every peer of the channel, the local one included. */
  readonly peers: readonly EndorsingPeer[];
  readonly orderer: Pick<BroadcastClient, 'send'>;
}

type UnaryCall<Req> = grpc.ServerUnaryCall<Req, unknown>;

function rpcError(err: unknown): grpc.ServiceError {
  if (err instanceof GatewayRpcError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new GatewayRpcError(grpc.status.UNKNOWN, message);
}

function unary<Req, Res>(handler: (call: UnaryCall<Req>) => Promise<Res>): grpc.handleUnaryCall<Req, Res> {
  return (call, callback) => {
    handler(call).then(
      (res) => {
        callback(null, res);
      },
      (err: unknown) => {
        callback(rpcError(err));
      },
    );
  };
}

function parseProposal(sp: peer.SignedProposal | undefined): ParsedProposal {
  if (sp === undefined)
    throw new GatewayRpcError(grpc.status.INVALID_ARGUMENT, 'a signed proposal is required');
  try {
    return parseSignedProposal(sp);
  } catch (err) {
    if (err instanceof MalformedMessageError)
      throw new GatewayRpcError(grpc.status.INVALID_ARGUMENT, err.message);
    throw err;
  }
}

function detailOf(p: EndorsingPeer, message: string): PeerErrorDetail {
  return { address: p.address, mspId: p.mspId, message };
}

export class GatewayService {
  readonly #o: GatewayOptions;

  constructor(options: Readonly<GatewayOptions>) {
    this.#o = options;
  }

  /** The handlers to register with `server.addService(gateway.GatewayService, ...)`. */
  handlers(): gateway.IGatewayServer {
    return {
      evaluate: unary((call) => this.#evaluate(call.request)),
      endorse: unary((call) => this.#endorse(call.request)),
      submit: unary((call) => this.#submit(call.request)),
      commitStatus: unary((call) => this.#commitStatus(call)),
      chaincodeEvents: (call) => {
        this.#chaincodeEvents(call);
      },
    };
  }

  #peersOf(mspId: string): EndorsingPeer[] {
    return this.#o.peers.filter((p) => p.mspId === mspId);
  }

  #deadline(ms: number): Date {
    return new Date(Date.now() + ms);
  }

  /** True when `chaincode` is defined on the gateway's channel or is a system chaincode every peer has. */
  #isDefined(channelId: string, chaincode: string): boolean {
    if (channelId !== this.#o.channelId) return false;
    return (
      chaincode === LIFECYCLE_NAMESPACE ||
      chaincode === QSCC ||
      definitionOf(this.#o.ledger.state, chaincode) !== undefined
    );
  }

  async #evaluate(req: gateway.EvaluateRequest): Promise<gateway.EvaluateResponse> {
    const proposal = parseProposal(req.getProposedTransaction());
    const { channelId, chaincodeName } = proposal;
    // Fabric's gateway resolves the channel's peers, then the chaincode's, before it sends anything
    // (internal/pkg/gateway/evaluate.go: connectChannelPeers, registry.evaluator).
    if (channelId !== this.#o.channelId) {
      throw new GatewayRpcError(
        grpc.status.UNAVAILABLE,
        `failed to get config for channel [${channelId}]: could not get last config for channel ${channelId}`,
      );
    }
    const targets = req.getTargetOrganizationsList();
    const candidates =
      targets.length > 0 ? targets.flatMap((org) => this.#peersOf(org)) : this.#peersOf(this.#o.mspId);
    if (candidates.length === 0 || !this.#isDefined(channelId, chaincodeName)) {
      throw new GatewayRpcError(
        grpc.status.FAILED_PRECONDITION,
        `no peers available to evaluate chaincode ${chaincodeName} in channel ${channelId}`,
      );
    }
    const details: PeerErrorDetail[] = [];
    let last = { code: grpc.status.UNAVAILABLE, message: '' };
    for (const target of candidates) {
      const outcome = await target.process(proposal.signedProposal, this.#deadline(ENDORSE_TIMEOUT_MS));
      const status = responseStatus(outcome.response, {
        transportError: outcome.transportError,
        preProcessError: outcome.error,
      });
      if (status.code === grpc.status.OK) {
        const result = outcome.response.getResponse();
        const res = new gateway.EvaluateResponse();
        if (result !== undefined) res.setResult(result);
        return res;
      }
      details.push(detailOf(target, status.message));
      last = status;
      // Only unreachable peers or peer-side failures are worth another peer (gw/api.go Evaluate).
      if (status.code !== grpc.status.UNAVAILABLE && status.code !== grpc.status.ABORTED) break;
    }
    throw new GatewayRpcError(
      last.code,
      `evaluate call to endorser returned error: ${last.message}`,
      details,
    );
  }

  /**
   * The orgs whose peers must endorse, the gateway's own org first when it is one of them; or, when
   * no peers can satisfy the chaincode's policy, discovery's reason (Fabric learns that only after the
   * first endorsement, internal/pkg/gateway/endorse.go `planFromFirstEndorser`).
   */
  #endorsingOrgs(
    proposal: ParsedProposal,
    requested: readonly string[],
  ): { readonly orgs: string[] } | { readonly unsatisfiable: string } {
    let orgs: string[];
    if (requested.length > 0) {
      orgs = [...requested];
    } else {
      const { channelId, chaincodeName } = proposal;
      const source = !this.#isDefined(channelId, chaincodeName)
        ? undefined
        : chaincodeName === LIFECYCLE_NAMESPACE
          ? LIFECYCLE_POLICY
          : definitionOf(this.#o.ledger.state, chaincodeName)?.endorsementPolicy;
      if (source === undefined) {
        // Fabric's discovery knows no policy for it (discovery/endorsement/endorsement.go; the gateway
        // wraps that in internal/pkg/gateway/registry.go endorsementPlan).
        throw new GatewayRpcError(
          grpc.status.FAILED_PRECONDITION,
          `${NO_PLAN}: No metadata was found for chaincode ${chaincodeName} in channel ${channelId}`,
        );
      }
      try {
        // Like Fabric's gateway, prefer a layout holding its own org: its peer endorses first anyway.
        orgs = [
          ...this.#o.policies
            .parse(source)
            .requiredOrgs(this.#o.mspId, (org) => this.#peersOf(org).length > 0),
        ];
      } catch (err) {
        if (err instanceof PolicyError && err.code === 'POLICY_UNSATISFIABLE')
          return { unsatisfiable: err.message };
        throw err;
      }
    }
    const own = orgs.indexOf(this.#o.mspId);
    if (own > 0) orgs.unshift(...orgs.splice(own, 1));
    return { orgs };
  }

  async #endorse(req: gateway.EndorseRequest): Promise<gateway.EndorseResponse> {
    const proposal = parseProposal(req.getProposedTransaction());
    const plan = this.#endorsingOrgs(proposal, req.getEndorsingOrganizationsList());
    const orgs = 'orgs' in plan ? plan.orgs : [];
    const deadline = this.#deadline(ENDORSE_TIMEOUT_MS);
    const missing = orgs.filter((org) => this.#peersOf(org).length === 0);
    if (missing.length > 0) {
      // internal/pkg/gateway/registry.go planFromFirstEndorser / endorsementPlanForOrgs.
      throw new GatewayRpcError(
        grpc.status.UNAVAILABLE,
        `failed to find any endorsing peers for org(s): ${missing.join(', ')}`,
      );
    }
    const endorsePeers = orgs.flatMap((org) => this.#peersOf(org).slice(0, 1));
    // With no orgs requested, Fabric's gateway always endorses on its own peer first (to learn the
    // chaincode's interest), even when its org is not in the layout it then picks (gw/api.go Endorse).
    const requested = req.getEndorsingOrganizationsList().length > 0;
    const local = this.#peersOf(this.#o.mspId)[0];
    const extraLocal = !requested && !orgs.includes(this.#o.mspId) ? local : undefined;
    const localFirst = extraLocal !== undefined;
    const [first, ...rest] = extraLocal !== undefined ? [extraLocal, ...endorsePeers] : endorsePeers;
    if (first === undefined) throw new GatewayRpcError(grpc.status.UNAVAILABLE, 'no endorsing peers');
    const firstOutcome = await first.process(proposal.signedProposal, deadline);
    const firstStatus = responseStatus(firstOutcome.response, {
      transportError: firstOutcome.transportError,
      preProcessError: firstOutcome.error,
    });
    if (firstStatus.code !== grpc.status.OK) {
      throw new GatewayRpcError(
        grpc.status.ABORTED,
        'failed to endorse transaction, see attached details for more info',
        [detailOf(first, firstStatus.message)],
      );
    }
    if ('unsatisfiable' in plan)
      throw new GatewayRpcError(grpc.status.FAILED_PRECONDITION, `${NO_PLAN}: ${plan.unsatisfiable}`);
    const payload = firstOutcome.response.getPayload_asU8();
    // The local endorsement counts only when its org is part of the plan.
    const responses = localFirst ? [] : [firstOutcome.response];
    const others = await Promise.all(
      rest.map(async (p) => ({ p, outcome: await p.process(proposal.signedProposal, deadline) })),
    );
    const details: PeerErrorDetail[] = [];
    for (const { p, outcome } of others) {
      const status = responseStatus(outcome.response, {
        transportError: outcome.transportError,
        preProcessError: outcome.error,
      });
      if (status.code !== grpc.status.OK) {
        details.push(detailOf(p, status.message));
      } else if (!bytesEqual(outcome.response.getPayload_asU8(), payload)) {
        details.push(detailOf(p, 'ProposalResponsePayloads do not match'));
      } else {
        responses.push(outcome.response);
      }
    }
    if (details.length > 0) {
      throw new GatewayRpcError(
        grpc.status.ABORTED,
        'failed to collect enough transaction endorsements, see attached details for more info',
        details,
      );
    }
    const res = new gateway.EndorseResponse();
    res.setPreparedTransaction(prepareTransaction(proposal, payload, responses));
    return res;
  }

  async #submit(req: gateway.SubmitRequest): Promise<gateway.SubmitResponse> {
    const envelope = req.getPreparedTransaction();
    if (envelope === undefined)
      throw new GatewayRpcError(grpc.status.INVALID_ARGUMENT, 'a prepared transaction is required');
    if (envelope.getSignature_asU8().length === 0) {
      throw new GatewayRpcError(grpc.status.INVALID_ARGUMENT, 'prepared transaction must be signed');
    }
    let outcome;
    try {
      outcome = await withTimeout(this.#o.orderer.send(envelope), BROADCAST_TIMEOUT_MS);
    } catch (err) {
      throw new GatewayRpcError(
        grpc.status.UNAVAILABLE,
        `failed to send transaction to orderer: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
    if (outcome.status !== common.Status.SUCCESS) {
      throw new GatewayRpcError(
        grpc.status.ABORTED,
        `received unsuccessful response from orderer: status=${STATUS_NAMES[outcome.status] ?? String(outcome.status)}, info=${outcome.info}`,
      );
    }
    return new gateway.SubmitResponse();
  }

  #checkSigned(requestBytes: Uint8Array, identity: Uint8Array, signature: Uint8Array): void {
    let ok = false;
    try {
      this.#o.identities.deserialize(identity);
      ok = this.#o.identities.verify({ data: requestBytes, identity, signature });
    } catch {
      ok = false;
    }
    if (!ok)
      throw new GatewayRpcError(
        grpc.status.PERMISSION_DENIED,
        'failed to evaluate policy: signature set did not satisfy policy',
      );
  }

  async #commitStatus(
    call: UnaryCall<gateway.SignedCommitStatusRequest>,
  ): Promise<gateway.CommitStatusResponse> {
    const requestBytes = call.request.getRequest_asU8();
    const request = gateway.CommitStatusRequest.deserializeBinary(requestBytes);
    this.#checkSigned(requestBytes, request.getIdentity_asU8(), call.request.getSignature_asU8());
    if (request.getChannelId() !== this.#o.channelId) {
      throw new GatewayRpcError(grpc.status.NOT_FOUND, `channel '${request.getChannelId()}' not found`);
    }
    const abort = new AbortController();
    call.on('cancelled', () => {
      abort.abort();
    });
    let location;
    try {
      location = await this.#o.ledger.waitForTx(request.getTransactionId(), abort.signal);
    } catch {
      throw new GatewayRpcError(grpc.status.CANCELLED, 'commit status request cancelled');
    }
    const res = new gateway.CommitStatusResponse();
    res.setResult(location.code);
    res.setBlockNumber(location.blockNum);
    return res;
  }

  #chaincodeEvents(
    call: grpc.ServerWritableStream<gateway.SignedChaincodeEventsRequest, gateway.ChaincodeEventsResponse>,
  ): void {
    try {
      const requestBytes = call.request.getRequest_asU8();
      const request = gateway.ChaincodeEventsRequest.deserializeBinary(requestBytes);
      this.#checkSigned(requestBytes, request.getIdentity_asU8(), call.request.getSignature_asU8());
      if (request.getChannelId() !== this.#o.channelId) {
        throw new GatewayRpcError(grpc.status.NOT_FOUND, `channel '${request.getChannelId()}' not found`);
      }
      const ledger = this.#o.ledger;
      const chaincodeId = request.getChaincodeId();
      const afterTxId = request.getAfterTransactionId();
      const position = request.getStartPosition();
      let start: number;
      const afterLocation = afterTxId === '' ? undefined : ledger.txLocation(afterTxId);
      if (afterLocation !== undefined) {
        start = afterLocation.blockNum;
      } else if (position?.hasSpecified() === true) {
        start = position.getSpecified()?.getNumber() ?? 0;
      } else if (position?.hasOldest() === true) {
        throw new GatewayRpcError(grpc.status.INVALID_ARGUMENT, 'invalid start position type: oldest');
      } else {
        start = ledger.height;
      }
      // Events up to and including after_transaction_id's transaction are skipped, from any
      // chaincode; if that transaction never appears, nothing is sent (gw/chaincodeevents.go).
      let awaitingAfterTx = afterTxId !== '';
      let skipThrough: { blockNum: number; txNum: number } | undefined;
      let next = start;
      const emit = (blockNum: number, events: readonly CommittedEvent[]): void => {
        if (awaitingAfterTx) {
          const loc = ledger.txLocation(afterTxId);
          if (loc === undefined || loc.blockNum > blockNum) return;
          awaitingAfterTx = false;
          skipThrough = loc;
        }
        const matching = events
          .filter(
            (e) =>
              skipThrough === undefined || e.blockNum !== skipThrough.blockNum || e.txNum > skipThrough.txNum,
          )
          .filter((e) => e.event.getChaincodeId() === chaincodeId)
          .map((e) => e.event);
        if (matching.length === 0) return;
        const res = new gateway.ChaincodeEventsResponse();
        res.setBlockNumber(blockNum);
        res.setEventsList(matching);
        call.write(res);
      };
      const catchUp = (): void => {
        while (next < ledger.height && !call.cancelled) {
          emit(next, ledger.eventsOf(next));
          next++;
        }
      };
      const unsubscribe = ledger.onBlock(() => {
        catchUp();
      });
      call.on('cancelled', unsubscribe);
      call.on('close', unsubscribe);
      catchUp();
    } catch (err) {
      call.destroy(rpcError(err));
    }
  }
}

function prepareTransaction(
  proposal: ParsedProposal,
  payload: Uint8Array,
  responses: readonly peer.ProposalResponse[],
): common.Envelope {
  const seen = new Set<string>();
  const endorsements: peer.Endorsement[] = [];
  for (const r of responses) {
    const e = r.getEndorsement();
    if (e === undefined) continue;
    const key = Buffer.from(e.getEndorser_asU8()).toString('base64');
    if (seen.has(key)) continue;
    seen.add(key);
    endorsements.push(e);
  }
  const endorsed = new peer.ChaincodeEndorsedAction();
  endorsed.setProposalResponsePayload(payload);
  endorsed.setEndorsementsList(endorsements);
  const actionPayload = new peer.ChaincodeActionPayload();
  actionPayload.setChaincodeProposalPayload(proposal.proposalPayloadNoTransient);
  actionPayload.setAction(endorsed);
  const action = new peer.TransactionAction();
  action.setHeader(proposal.signatureHeaderBytes);
  action.setPayload(actionPayload.serializeBinary());
  const tx = new peer.Transaction();
  tx.setActionsList([action]);
  const txPayload = new common.Payload();
  txPayload.setHeader(common.Header.deserializeBinary(proposal.headerBytes));
  txPayload.setData(tx.serializeBinary());
  const envelope = new common.Envelope();
  envelope.setPayload(txPayload.serializeBinary());
  return envelope;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`timed out after ${ms} ms`));
    }, ms);
    promise.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}
