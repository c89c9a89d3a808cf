/**
 * The endorser (core/endorser/endorser.go, msgvalidation.go): checks a signed proposal, simulates
 * it on the chaincode, and signs the ProposalResponsePayload with the peer's identity.
 * `ProposalOutcome.error` set = a pre-processing failure, which Fabric returns together with a
 * response (the gateway then reports FAILED_PRECONDITION locally, UNAVAILABLE across gRPC).
 */
import { common, peer } from '@hyperledger/fabric-protos';
import { concatBytes } from '../common/bytes';
import {
  computeTxId,
  MalformedMessageError,
  mspIdOf,
  parseSignedProposal,
  type ParsedProposal,
} from '../common/protoutil';
import type { IdentityVerifier, SignedData, Signer, VerifiedIdentity } from '../common/trust';
import type { ChaincodeRegistry } from '../chaincode/registry';
import { invokeLifecycle } from '../chaincode/lifecycle-scc';
import { QSCC, invokeQscc } from '../chaincode/qscc';
import { LIFECYCLE_NAMESPACE, sequenceKey } from '../chaincode/lifecycle';
import { TxSimulator } from '../chaincode/simulator';
import { marshalRwSet } from '../ledger/rwset';
import { definitionOf } from '../ledger/lifecycle-state';
import type { Ledger } from '../ledger/ledger';
import { DevnetError } from '../errors';

export interface ProposalOutcome {
  readonly response: peer.ProposalResponse;
  /** Set when the proposal failed validation or ACL before simulation. */
  readonly error?: string;
}

export interface EndorserOptions {
  readonly channelId: string;
  readonly ledger: Ledger;
  readonly identities: IdentityVerifier;
  readonly signer: Signer;
  readonly chaincodes: ChaincodeRegistry;
  /**
   * The `peer/Propose` ACL for application chaincodes: undefined to endorse, else Fabric's refusal
   * text (absent: no ACL, as in unit tests without a channel configuration).
   */
  readonly proposeAcl?: (signed: SignedData) => string | undefined;
}

function errorResponse(status: number, message: string): peer.ProposalResponse {
  const res = new peer.Response();
  res.setStatus(status);
  res.setMessage(message);
  const pr = new peer.ProposalResponse();
  pr.setResponse(res);
  return pr;
}

/** A proposal refused before simulation (core/endorser `preProcess`); its message is Fabric's. */
class PreProcessError extends DevnetError {
  constructor(message: string) {
    super('MALFORMED_MESSAGE', message);
  }
}

export class Endorser {
  readonly #o: EndorserOptions;

  constructor(options: Readonly<EndorserOptions>) {
    this.#o = options;
  }

  get mspId(): string {
    return this.#o.signer.mspId;
  }

  async processProposal(signedProposal: peer.SignedProposal): Promise<ProposalOutcome> {
    let parsed: ParsedProposal;
    let creator: VerifiedIdentity;
    try {
      parsed = parseSignedProposal(signedProposal);
      creator = this.#preProcess(parsed);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      return { response: errorResponse(500, message), error: message };
    }
    try {
      return { response: await this.#simulateAndEndorse(parsed, creator) };
    } catch (err) {
      return { response: errorResponse(500, err instanceof Error ? err.message : String(err)) };
    }
  }

  #preProcess(p: ParsedProposal): VerifiedIdentity {
    const ch = p.channelHeader;
    if (ch.getType() !== common.HeaderType.ENDORSER_TRANSACTION)
      throw new PreProcessError(`invalid header type ${ch.getType()}`);
    if (ch.getEpoch() !== 0)
      throw new PreProcessError(`invalid epoch in ChannelHeader. Expected 0, got [${ch.getEpoch()}]`);
    if (p.signatureHeader.getNonce_asU8().length === 0)
      throw new MalformedMessageError('invalid nonce specified in the header');
    if (p.channelId !== this.#o.channelId) throw new PreProcessError(`channel '${p.channelId}' not found`);
    const expected = computeTxId(p.signatureHeader.getNonce_asU8(), p.creator);
    if (p.txId !== expected)
      throw new PreProcessError(`incorrectly formed txid [${p.txId}], expected [${expected}]`);
    let creator: VerifiedIdentity;
    try {
      creator = this.#o.identities.deserialize(p.creator);
    } catch {
      throw new PreProcessError(
        `access denied: channel [${p.channelId}] creator org unknown, creator is malformed`,
      );
    }
    const signed = {
      data: p.proposalBytes,
      identity: p.creator,
      signature: p.signedProposal.getSignature_asU8(),
    };
    if (!this.#o.identities.verify(signed)) {
      throw new PreProcessError(
        `access denied: channel [${p.channelId}] creator org [${mspIdOf(p.creator)}]`,
      );
    }
    if (this.#o.ledger.txLocation(p.txId) !== undefined) {
      throw new PreProcessError(
        `duplicate transaction found [${p.txId}]. Creator [${Buffer.from(p.creator).toString('hex')}]`,
      );
    }
    // ACLs for system chaincodes are checked elsewhere (endorser.go preProcess).
    if (p.chaincodeName !== LIFECYCLE_NAMESPACE && p.chaincodeName !== QSCC) {
      const denied = this.#o.proposeAcl?.(signed);
      if (denied !== undefined) throw new PreProcessError(denied);
    }
    return creator;
  }

  async #simulateAndEndorse(p: ParsedProposal, creator: VerifiedIdentity): Promise<peer.ProposalResponse> {
    const name = p.chaincodeName;
    const sim = new TxSimulator(this.#o.ledger.state, p.txId);
    let version: string;
    let response: peer.Response;
    let event: peer.ChaincodeEvent | undefined;
    if (name === LIFECYCLE_NAMESPACE) {
      version = '';
      response = invokeLifecycle(p.args, creator, sim);
    } else if (name === QSCC) {
      version = '';
      response = invokeQscc(p.args, p.channelId, this.#o.ledger);
    } else {
      const def = definitionOf(this.#o.ledger.state, name);
      if (def === undefined) {
        return errorResponse(
          500,
          `make sure the chaincode ${name} has been successfully defined on channel ${p.channelId} and try again: chaincode ${name} not found`,
        );
      }
      version = def.version;
      sim.recordRead(LIFECYCLE_NAMESPACE, sequenceKey(name));
      let connection;
      try {
        connection = await this.#o.chaincodes.connection(name);
      } catch (err) {
        return errorResponse(
          500,
          `error in simulation: failed to execute transaction ${p.txId}: ${err instanceof Error ? err.message : String(err)}`,
        );
      }
      try {
        const result = await connection.execute({
          channelId: p.channelId,
          txId: p.txId,
          namespace: name,
          signedProposal: p.signedProposal,
          input: p.input,
          simulator: sim,
        });
        response = result.response;
        event = result.event;
      } catch (err) {
        return errorResponse(
          500,
          `error in simulation: failed to execute transaction ${p.txId}: ${err instanceof Error ? err.message : String(err)}`,
        );
      }
    }
    const status = response.getStatus();
    const action = new peer.ChaincodeAction();
    // A failed simulation carries neither its read-write set nor its event (endorser.go simulateProposal).
    if (status < 400) action.setResults(marshalRwSet(sim.rwset()));
    if (event !== undefined && status < 400) action.setEvents(event.serializeBinary());
    action.setResponse(response);
    const ccId = new peer.ChaincodeID();
    ccId.setName(name);
    ccId.setVersion(version);
    action.setChaincodeId(ccId);
    const prp = new peer.ProposalResponsePayload();
    prp.setProposalHash(p.proposalHash);
    prp.setExtension$(action.serializeBinary());
    const prpBytes = prp.serializeBinary();

    const out = new peer.ProposalResponse();
    out.setVersion(1);
    out.setResponse(response);
    if (status >= 400 && status < 500) return out;
    out.setPayload(prpBytes);
    if (status >= 500) return out;
    const endorsement = new peer.Endorsement();
    endorsement.setEndorser(this.#o.signer.identity);
    endorsement.setSignature(this.#o.signer.sign(concatBytes(prpBytes, this.#o.signer.identity)));
    out.setEndorsement(endorsement);
    return out;
  }
}
