/**
 * The ledger query system chaincode through the Gateway, as fabric-samples' off_chain_data and other
 * clients use it: every peer has `qscc`, and its answers and refusals are Fabric's.
 */
import { randomUUID } from 'node:crypto';
import { common, peer } from '@hyperledger/fabric-protos';
import { expect } from 'chai';
import { connectGateway, type GatewayConnection } from '@veriscan/fabric-kit';
import { Tx } from '@veriscan/ledger-api';
import { profile, submitEverywhere } from '../support/network';

describe('qscc through the Gateway', function () {
  this.timeout(60_000);
  let connection: GatewayConnection;

  before(() => {
    connection = connectGateway(profile(), 'hospital-a');
  });

  after(() => {
    connection.close();
  });

  const qscc = (fn: string, ...args: (string | Uint8Array)[]): Promise<Uint8Array> =>
    connection.gateway
      .getNetwork(profile().channel)
      .getContract('qscc')
      .evaluateTransaction(fn, profile().channel, ...args);

  /** The peer's message of a refused evaluation (the Gateway puts it in the error's details). */
  async function refusal(fn: string, ...args: string[]): Promise<string> {
    const error: unknown = await qscc(fn, ...args).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).to.be.instanceOf(Error);
    const details = (error as { details?: { message: string }[] }).details ?? [];
    return details.map((d) => d.message).join('\n');
  }

  it('finds a committed transaction by number, hash and id, as the chain info and the commit report it', async () => {
    const contract = connection.gateway.getNetwork(profile().channel).getContract('veriscan');
    const submitted = await contract.submitAsync(Tx.PutProbe, { arguments: [`qscc-${randomUUID()}`, 'x'] });
    const status = await submitted.getStatus();
    await submitEverywhere(contract, Tx.PutProbe, `qscc-${randomUUID()}`, 'y');
    const txId = submitted.getTransactionId();

    const info = common.BlockchainInfo.deserializeBinary(await qscc('GetChainInfo'));
    expect(BigInt(info.getHeight()) > status.blockNumber, 'height beyond the write').to.equal(true);
    expect(info.getCurrentblockhash_asU8()).to.have.length(32);

    const byNumber = common.Block.deserializeBinary(
      await qscc('GetBlockByNumber', String(status.blockNumber)),
    );
    expect(BigInt(byNumber.getHeader()?.getNumber() ?? -1)).to.equal(status.blockNumber);
    const byTxId = common.Block.deserializeBinary(await qscc('GetBlockByTxID', txId));
    expect(byTxId.serializeBinary()).to.deep.equal(byNumber.serializeBinary());

    const processed = peer.ProcessedTransaction.deserializeBinary(await qscc('GetTransactionByID', txId));
    expect(processed.getValidationcode()).to.equal(peer.TxValidationCode.VALID);
    const payload = common.Payload.deserializeBinary(
      processed.getTransactionenvelope()?.getPayload_asU8() ?? new Uint8Array(),
    );
    const header = common.ChannelHeader.deserializeBinary(
      payload.getHeader()?.getChannelHeader_asU8() ?? new Uint8Array(),
    );
    expect(header.getTxId()).to.equal(txId);

    const newest = common.Block.deserializeBinary(
      await qscc('GetBlockByHash', info.getCurrentblockhash_asU8()),
    );
    expect(BigInt(newest.getHeader()?.getNumber() ?? -1)).to.equal(BigInt(info.getHeight()) - 1n);
  });

  it("refuses a bad block number and an unknown transaction id with Fabric's texts", async () => {
    expect(await refusal('GetBlockByNumber', 'x')).to.include(
      'Failed to parse block number with error strconv.ParseUint: parsing "x": invalid syntax',
    );
    expect(await refusal('GetTransactionByID', 'no-such-tx')).to.include(
      'Failed to get transaction with id no-such-tx, error no such transaction ID [no-such-tx] in index',
    );
    expect(await refusal('GetBlockByTxID', 'no-such-tx')).to.include(
      'Failed to get block for txID no-such-tx, error no such transaction ID [no-such-tx] in index',
    );
    expect(await refusal('NoSuchFunction', 'x')).to.include(
      `access denied for [NoSuchFunction][${profile().channel}]: [Unmapped policy for qscc/NoSuchFunction]`,
    );
  });
});
