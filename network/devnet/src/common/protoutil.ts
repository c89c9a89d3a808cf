/**
 * Parsing and building of Fabric transaction messages (protoutil/ in Fabric). Every message goes
 * through @hyperledger/fabric-protos; only the block-header DER of protoutil/blockutils.go is encoded here.
 */
import { common, msp, peer } from '@hyperledger/fabric-protos';
import { Integer, OctetString, Sequence } from 'asn1js';
import { concatBytes, sha256 } from './bytes';
import { DevnetError } from '../errors';

/** A proposal, taken apart once and kept with the raw bytes every hash and signature is over. */
export interface ParsedProposal {
  readonly signedProposal: peer.SignedProposal;
  readonly proposalBytes: Uint8Array;
  readonly headerBytes: Uint8Array;
  readonly channelHeaderBytes: Uint8Array;
  readonly signatureHeaderBytes: Uint8Array;
  readonly channelHeader: common.ChannelHeader;
  readonly signatureHeader: common.SignatureHeader;
  readonly creator: Uint8Array;
  readonly txId: string;
  readonly channelId: string;
  readonly chaincodeName: string;
  /** `ChaincodeProposalPayload{input}` re-marshalled without the transient map, as in the transaction. */
  readonly proposalPayloadNoTransient: Uint8Array;
  readonly input: peer.ChaincodeInput;
  readonly args: readonly Uint8Array[];
  readonly transientMap: ReadonlyMap<string, Uint8Array>;
  readonly proposalHash: Uint8Array;
}

export class MalformedMessageError extends DevnetError {
  constructor(message: string, options?: Readonly<{ cause?: unknown }>) {
    super('MALFORMED_MESSAGE', message, options);
  }
}

function must<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new MalformedMessageError(`${what} is missing`);
  return value;
}

/** tx_id = hex(SHA-256(nonce ‖ creator)) (fabric-gateway transactioncontext, protoutil.ComputeTxID). */
export function computeTxId(nonce: Uint8Array, creator: Uint8Array): string {
  return sha256(nonce, creator).toString('hex');
}

/** Parses a SignedProposal into its parts. @throws MalformedMessageError */
export function parseSignedProposal(signedProposal: peer.SignedProposal): ParsedProposal {
  try {
    const proposalBytes = signedProposal.getProposalBytes_asU8();
    const proposal = peer.Proposal.deserializeBinary(proposalBytes);
    const headerBytes = proposal.getHeader_asU8();
    const header = common.Header.deserializeBinary(headerBytes);
    const channelHeaderBytes = header.getChannelHeader_asU8();
    const signatureHeaderBytes = header.getSignatureHeader_asU8();
    const channelHeader = common.ChannelHeader.deserializeBinary(channelHeaderBytes);
    const signatureHeader = common.SignatureHeader.deserializeBinary(signatureHeaderBytes);
    const extension = peer.ChaincodeHeaderExtension.deserializeBinary(channelHeader.getExtension_asU8());
    const chaincodeName = extension.getChaincodeId()?.getName() ?? '';
    const payload = peer.ChaincodeProposalPayload.deserializeBinary(proposal.getPayload_asU8());
    const invocation = peer.ChaincodeInvocationSpec.deserializeBinary(payload.getInput_asU8());
    const input = must(must(invocation.getChaincodeSpec(), 'chaincode spec').getInput(), 'chaincode input');
    const transientMap = new Map<string, Uint8Array>();
    payload.getTransientmapMap().forEach((value: Uint8Array | string, key: string) => {
      transientMap.set(key, typeof value === 'string' ? Buffer.from(value, 'base64') : value);
    });
    const stripped = new peer.ChaincodeProposalPayload();
    stripped.setInput(payload.getInput_asU8());
    const proposalPayloadNoTransient = stripped.serializeBinary();
    return {
      signedProposal,
      proposalBytes,
      headerBytes,
      channelHeaderBytes,
      signatureHeaderBytes,
      channelHeader,
      signatureHeader,
      creator: signatureHeader.getCreator_asU8(),
      txId: channelHeader.getTxId(),
      channelId: channelHeader.getChannelId(),
      chaincodeName,
      proposalPayloadNoTransient,
      input,
      args: input.getArgsList_asU8(),
      transientMap,
      proposalHash: sha256(channelHeaderBytes, signatureHeaderBytes, proposalPayloadNoTransient),
    };
  } catch (err) {
    if (err instanceof MalformedMessageError) throw err;
    throw new MalformedMessageError(`malformed proposal: ${String(err)}`);
  }
}

/** MSP id of a serialized identity, or '' if it does not parse. */
export function mspIdOf(serializedIdentity: Uint8Array): string {
  try {
    return msp.SerializedIdentity.deserializeBinary(serializedIdentity).getMspid();
  } catch {
    return '';
  }
}

/** SHA-256 over DER SEQUENCE{INTEGER number, OCTET STRING previous_hash, OCTET STRING data_hash}. */
export function blockHeaderHash(header: common.BlockHeader): Buffer {
  return sha256(new Uint8Array(blockHeaderDer(header)));
}

export function blockHeaderDer(header: common.BlockHeader): ArrayBuffer {
  const der = new Sequence({
    value: [
      Integer.fromBigInt(BigInt(header.getNumber())),
      new OctetString({ valueHex: header.getPreviousHash_asU8() }),
      new OctetString({ valueHex: header.getDataHash_asU8() }),
    ],
  });
  return der.toBER(false);
}

/** data_hash = SHA-256 of the concatenated envelopes (protoutil.ComputeBlockDataHash). */
export function blockDataHash(data: readonly Uint8Array[]): Buffer {
  return sha256(concatBytes(...data));
}

/** One endorser transaction taken apart for validation (core/common/validation/msgvalidation.go). */
export interface ParsedTransaction {
  readonly envelope: common.Envelope;
  readonly payloadBytes: Uint8Array;
  readonly channelHeader: common.ChannelHeader;
  readonly channelHeaderBytes: Uint8Array;
  readonly signatureHeaderBytes: Uint8Array;
  readonly signatureHeader: common.SignatureHeader;
  readonly creator: Uint8Array;
  readonly txId: string;
  readonly type: number;
  readonly actionPayload?: peer.ChaincodeActionPayload;
  readonly proposalResponsePayloadBytes?: Uint8Array;
  readonly proposalResponsePayload?: peer.ProposalResponsePayload;
  readonly chaincodeAction?: peer.ChaincodeAction;
  readonly endorsements: readonly peer.Endorsement[];
}

/** An envelope's headers only: what the orderer needs to admit a transaction. */
export interface EnvelopeHeader {
  readonly payloadBytes: Uint8Array;
  readonly channelHeader: common.ChannelHeader;
  readonly creator: Uint8Array;
  readonly type: number;
}

/** Parses just the payload header of an envelope. @throws MalformedMessageError */
export function parseEnvelopeHeader(envelope: common.Envelope): EnvelopeHeader {
  try {
    const payloadBytes = envelope.getPayload_asU8();
    const header = must(common.Payload.deserializeBinary(payloadBytes).getHeader(), 'payload header');
    const channelHeader = common.ChannelHeader.deserializeBinary(header.getChannelHeader_asU8());
    const creator = common.SignatureHeader.deserializeBinary(
      header.getSignatureHeader_asU8(),
    ).getCreator_asU8();
    return { payloadBytes, channelHeader, creator, type: channelHeader.getType() };
  } catch (err) {
    if (err instanceof MalformedMessageError) throw err;
    throw new MalformedMessageError(`malformed envelope: ${String(err)}`);
  }
}

/** Parses an envelope's headers and, for endorser transactions, its single action. @throws MalformedMessageError */
export function parseEnvelope(envelopeBytes: Uint8Array): ParsedTransaction {
  try {
    const envelope = common.Envelope.deserializeBinary(envelopeBytes);
    const payloadBytes = envelope.getPayload_asU8();
    const payload = common.Payload.deserializeBinary(payloadBytes);
    const header = must(payload.getHeader(), 'payload header');
    const channelHeaderBytes = header.getChannelHeader_asU8();
    const signatureHeaderBytes = header.getSignatureHeader_asU8();
    const channelHeader = common.ChannelHeader.deserializeBinary(channelHeaderBytes);
    const signatureHeader = common.SignatureHeader.deserializeBinary(signatureHeaderBytes);
    const base = {
      envelope,
      payloadBytes,
      channelHeader,
      channelHeaderBytes,
      signatureHeaderBytes,
      signatureHeader,
      creator: signatureHeader.getCreator_asU8(),
      txId: channelHeader.getTxId(),
      type: channelHeader.getType(),
      endorsements: [] as peer.Endorsement[],
    };
    if (channelHeader.getType() !== common.HeaderType.ENDORSER_TRANSACTION) return base;
    const tx = peer.Transaction.deserializeBinary(payload.getData_asU8());
    const actions = tx.getActionsList();
    if (actions.length !== 1) return base;
    const action = must(actions[0], 'transaction action');
    const actionPayload = peer.ChaincodeActionPayload.deserializeBinary(action.getPayload_asU8());
    const endorsed = must(actionPayload.getAction(), 'endorsed action');
    const prpBytes = endorsed.getProposalResponsePayload_asU8();
    const prp = peer.ProposalResponsePayload.deserializeBinary(prpBytes);
    const chaincodeAction = peer.ChaincodeAction.deserializeBinary(prp.getExtension_asU8());
    return {
      ...base,
      actionPayload,
      proposalResponsePayloadBytes: prpBytes,
      proposalResponsePayload: prp,
      chaincodeAction,
      endorsements: endorsed.getEndorsementsList(),
    };
  } catch (err) {
    if (err instanceof MalformedMessageError) throw err;
    throw new MalformedMessageError(`malformed envelope: ${String(err)}`);
  }
}
