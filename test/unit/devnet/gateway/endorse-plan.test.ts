import * as grpc from '@grpc/grpc-js';
import { common, gateway, msp, peer } from '@hyperledger/fabric-protos';
import { expect } from 'chai';

import {
  CHANNEL_ID,
  ENDORSEMENT_POLICY,
  ENDORSING_MSPS,
  PEER_ORGS,
  READ_ONLY_MSPS,
} from '@veriscan/fabric-kit';
import {
  definitionKey,
  encodeDefinition,
  LIFECYCLE_NAMESPACE,
  sequenceKey,
} from '../../../../network/devnet/src/chaincode/lifecycle';
import type { ProposalOutcome } from '../../../../network/devnet/src/endorser/endorser';
import { GatewayService, type GatewayLedger } from '../../../../network/devnet/src/gateway/gateway-service';
import type { EndorsingPeer } from '../../../../network/devnet/src/gateway/peer-directory';
import { StateDb } from '../../../../network/devnet/src/ledger/state-db';
import { createPolicyFactory } from '../../../../network/devnet/src/node/trust';

/** A peer of org `mspId` that endorses every proposal with the same payload and records the calls. */
function fakePeer(mspId: string, calls: string[]): EndorsingPeer {
  const endorser = new msp.SerializedIdentity();
  endorser.setMspid(mspId);
  return {
    mspId,
    address: `${mspId}:7051`,
    process: (): Promise<ProposalOutcome> => {
      calls.push(mspId);
      const response = new peer.ProposalResponse();
      const result = new peer.Response();
      result.setStatus(200);
      response.setResponse(result);
      response.setPayload(Buffer.from('the same payload everywhere'));
      const endorsement = new peer.Endorsement();
      endorsement.setEndorser(endorser.serializeBinary());
      endorsement.setSignature(Buffer.from(`signed by ${mspId}`));
      response.setEndorsement(endorsement);
      return Promise.resolve({ response });
    },
  };
}

function signedProposal(chaincode: string): peer.SignedProposal {
  const chaincodeId = new peer.ChaincodeID();
  chaincodeId.setName(chaincode);
  const extension = new peer.ChaincodeHeaderExtension();
  extension.setChaincodeId(chaincodeId);
  const channelHeader = new common.ChannelHeader();
  channelHeader.setType(common.HeaderType.ENDORSER_TRANSACTION);
  channelHeader.setChannelId(CHANNEL_ID);
  channelHeader.setTxId('tx1');
  channelHeader.setExtension$(extension.serializeBinary());
  const header = new common.Header();
  header.setChannelHeader(channelHeader.serializeBinary());
  header.setSignatureHeader(new common.SignatureHeader().serializeBinary());
  const input = new peer.ChaincodeInput();
  input.setArgsList([Buffer.from('Write')]);
  const spec = new peer.ChaincodeSpec();
  spec.setChaincodeId(chaincodeId);
  spec.setInput(input);
  const invocation = new peer.ChaincodeInvocationSpec();
  invocation.setChaincodeSpec(spec);
  const payload = new peer.ChaincodeProposalPayload();
  payload.setInput(invocation.serializeBinary());
  const proposal = new peer.Proposal();
  proposal.setHeader(header.serializeBinary());
  proposal.setPayload(payload.serializeBinary());
  const signed = new peer.SignedProposal();
  signed.setProposalBytes(proposal.serializeBinary());
  return signed;
}

/** MSP ids of the endorsements in a prepared transaction, in order. */
function endorsersOf(response: gateway.EndorseResponse): string[] {
  const envelope = response.getPreparedTransaction();
  if (envelope === undefined) throw new Error('no prepared transaction');
  const tx = peer.Transaction.deserializeBinary(
    common.Payload.deserializeBinary(envelope.getPayload_asU8()).getData_asU8(),
  );
  const action = tx.getActionsList()[0];
  if (action === undefined) throw new Error('no action');
  const endorsed = peer.ChaincodeActionPayload.deserializeBinary(action.getPayload_asU8()).getAction();
  return (endorsed?.getEndorsementsList() ?? []).map((e) =>
    msp.SerializedIdentity.deserializeBinary(e.getEndorser_asU8()).getMspid(),
  );
}

describe('the gateway plans endorsers from the chaincode policy', () => {
  const state = new StateDb();
  const ledger: GatewayLedger = {
    state,
    height: 1,
    waitForTx: () => Promise.reject(new Error('not used')),
    txLocation: () => undefined,
    eventsOf: () => [],
    onBlock: () => () => undefined,
  };
  const noDeserializer = {
    deserialize: (): never => {
      throw new Error('not used');
    },
  };

  function defineChaincode(name: string, endorsementPolicy: string): void {
    const ts = { seconds: 1, nanos: 0 };
    state.apply(
      LIFECYCLE_NAMESPACE,
      sequenceKey(name),
      Buffer.from('1'),
      { blockNum: 1, txNum: 0 },
      { txId: 'd', timestamp: ts },
    );
    state.apply(
      LIFECYCLE_NAMESPACE,
      definitionKey(name),
      encodeDefinition({ name, version: '1', sequence: 1, endorsementPolicy }),
      { blockNum: 1, txNum: 0 },
      { txId: 'd', timestamp: ts },
    );
  }

  /** Endorses `chaincode` through the gateway of org `own`; the orgs called, in order, and the endorsers kept. */
  async function endorseAt(
    own: string,
    chaincode: string,
    called: string[] = [],
  ): Promise<{ readonly called: readonly string[]; readonly endorsers: readonly string[] }> {
    const service = new GatewayService({
      channelId: CHANNEL_ID,
      mspId: own,
      ledger,
      identities: { deserialize: noDeserializer.deserialize, verify: () => false },
      policies: createPolicyFactory(noDeserializer),
      peers: PEER_ORGS.map((o) => fakePeer(o.mspId, called)),
      orderer: { send: () => Promise.reject(new Error('not used')) },
    });
    const request = new gateway.EndorseRequest();
    request.setProposedTransaction(signedProposal(chaincode));
    const response = await new Promise<gateway.EndorseResponse>((resolve, reject) => {
      const call = { request } as unknown as grpc.ServerUnaryCall<
        gateway.EndorseRequest,
        gateway.EndorseResponse
      >;
      service.handlers().endorse(call, (err, res) => {
        // The gateway reports failures as GatewayRpcError, an Error carrying the gRPC status.
        if (err instanceof Error) reject(err);
        else if (err === null && res !== undefined && res !== null) resolve(res);
        else reject(new Error(`endorse failed without an error object: ${JSON.stringify(err)}`));
      });
    });
    return { called, endorsers: endorsersOf(response) };
  }

  it("endorses on the gateway's own endorsing org and two more under MAJORITY, never on the regulator", async () => {
    defineChaincode('majority', ENDORSEMENT_POLICY);
    for (const [own, chaincode] of ENDORSING_MSPS.flatMap((o) => [
      [o, LIFECYCLE_NAMESPACE],
      [o, 'majority'],
    ])) {
      if (own === undefined || chaincode === undefined) throw new Error('unreachable');
      const { called, endorsers } = await endorseAt(own, chaincode);
      expect(called[0]).to.equal(own);
      expect(called).to.have.length(Math.floor(PEER_ORGS.length / 2) + 1);
      expect(endorsers).to.have.members(called);
      for (const readOnly of READ_ONLY_MSPS) expect(called).to.not.include(readOnly);
    }
  });

  it("on the regulator's gateway endorses there first without counting it, then on a majority of endorsing orgs", async () => {
    defineChaincode('majority', ENDORSEMENT_POLICY);
    for (const own of READ_ONLY_MSPS) {
      const { called, endorsers } = await endorseAt(own, 'majority');
      expect(called[0]).to.equal(own);
      expect(called.slice(1)).to.have.length(Math.floor(PEER_ORGS.length / 2) + 1);
      for (const org of called.slice(1)) expect(ENDORSING_MSPS).to.include(org);
      expect(endorsers).to.deep.equal(called.slice(1));
    }
  });

  it("counts the regulator's own endorsement for _lifecycle, where every org's peer counts", async () => {
    for (const own of READ_ONLY_MSPS) {
      const { called, endorsers } = await endorseAt(own, LIFECYCLE_NAMESPACE);
      expect(called[0]).to.equal(own);
      expect(called).to.have.length(Math.floor(PEER_ORGS.length / 2) + 1);
      expect(endorsers).to.have.members(called);
    }
  });

  it("refuses a policy no peers satisfy after the local endorsement, with the gateway's and discovery's text", async () => {
    const [regulator] = READ_ONLY_MSPS;
    const [own] = ENDORSING_MSPS;
    if (regulator === undefined || own === undefined) throw new Error('the table needs both kinds of org');
    defineChaincode('never', `OutOf(2,'${regulator}.peer')`);
    const called: string[] = [];
    const failure = await endorseAt(own, 'never', called).then(
      () => expect.fail('expected a refusal'),
      (err: unknown) => err,
    );
    expect(failure).to.include({
      code: grpc.status.FAILED_PRECONDITION,
      details:
        'no combination of peers can be derived which satisfy the endorsement policy: endorsement policy cannot be satisfied',
    });
    expect(called).to.deep.equal([own]);
  });
});
