/**
 * Fabric's ledger semantics that chaincode and apps depend on (DEVNET.md "subtle" list), checked
 * through the real client: phantom reads, empty-put deletes, no read-your-writes, duplicate txids
 * and events from valid transactions only.
 */
import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { CommitStatusError, GatewayError, type Contract, type Network } from '@hyperledger/fabric-gateway';
import { gateway as gatewayProtos, msp } from '@veriscan/devnet';
import { connectGateway, type GatewayConnection } from '@veriscan/fabric-kit';
import { profile, submitEverywhere } from '../support/network';
import { Tx } from '@veriscan/ledger-api';

const CHAINCODE = 'veriscan';
const VALID = 0;
const MVCC_READ_CONFLICT = 11;
const PHANTOM_READ_CONFLICT = 12;

const utf8 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('utf8');

describe('ledger semantics as on Fabric', function () {
  this.timeout(60_000);
  let connection: GatewayConnection;
  let network: Network;
  let contract: Contract;

  before(() => {
    connection = connectGateway(profile(), 'hospital-a');
    network = connection.gateway.getNetwork(profile().channel);
    contract = network.getContract(CHAINCODE);
  });

  after(() => {
    connection.close();
  });

  it('invalidates a range read with PHANTOM_READ_CONFLICT when an earlier transaction inserts into the range', async () => {
    const prefix = `phantom-${randomUUID()}`;
    await submitEverywhere(contract, Tx.PutProbe, `${prefix}-a`, '1');
    // Both simulated against the same state; the insert is ordered first.
    const insert = await contract.newProposal(Tx.PutProbe, { arguments: [`${prefix}-b`, '1'] }).endorse();
    const count = await contract
      .newProposal(Tx.CountProbes, { arguments: [prefix, `${prefix}-count`] })
      .endorse();
    expect(utf8(count.getResult())).to.equal('1');
    const insertSubmitted = await insert.submit();
    const countSubmitted = await count.submit();
    expect((await insertSubmitted.getStatus()).code).to.equal(VALID);
    expect((await countSubmitted.getStatus()).code).to.equal(PHANTOM_READ_CONFLICT);
  });

  it('keeps a CommitStatus request for an unknown transaction id waiting until the client deadline', async () => {
    const identity = profile().identities['hospital-a'];
    if (identity === undefined) throw new Error('profile has no hospital-a');
    const creator = new msp.SerializedIdentity();
    creator.setMspid(identity.mspId);
    creator.setIdBytes(readFileSync(identity.certFile));
    const request = new gatewayProtos.CommitStatusRequest();
    request.setTransactionId(randomBytes(32).toString('hex'));
    request.setChannelId(profile().channel);
    request.setIdentity(creator.serializeBinary());
    const signed = new gatewayProtos.SignedCommitStatusRequest();
    signed.setRequest(request.serializeBinary());
    const started = Date.now();
    const err: unknown = await connection.gateway
      .newCommit(signed.serializeBinary())
      .getStatus({ deadline: Date.now() + 1500 })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(err).to.be.instanceOf(CommitStatusError);
    expect((err as CommitStatusError).code).to.equal(4); // gRPC DEADLINE_EXCEEDED
    expect(Date.now() - started).to.be.at.least(1400);
  });

  it('treats a put of an empty value as a delete', async () => {
    const name = `empty-${randomUUID()}`;
    await submitEverywhere(contract, Tx.PutProbe, name, 'something');
    await submitEverywhere(contract, Tx.PutProbe, name, '');
    const err: unknown = await contract.evaluateTransaction(Tx.GetProbe, name).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).to.be.instanceOf(GatewayError);
    expect((err as GatewayError).details[0]?.message).to.match(/NOT_FOUND/);
  });

  it('has no read-your-writes inside a transaction', async () => {
    const name = `ryw-${randomUUID()}`;
    await submitEverywhere(contract, Tx.PutProbe, name, 'committed');
    const seen = utf8(await contract.submitTransaction(Tx.WriteThenReadProbe, name, 'pending'));
    expect(seen).to.equal('committed');
    expect(utf8(await contract.evaluateTransaction(Tx.GetProbe, name))).to.equal('pending');
  });

  it('applies a transaction submitted twice once, and CommitStatus reports the first', async () => {
    const name = `dup-${randomUUID()}`;
    await submitEverywhere(contract, Tx.PutProbe, name, '0');
    const endorsed = await contract.newProposal(Tx.IncrementProbe, { arguments: [name] }).endorse();
    const first = await endorsed.submit();
    const firstStatus = await first.getStatus();
    expect(firstStatus.code).to.equal(VALID);
    // Raft and the devnet order the duplicate (the peers then mark it DUPLICATE_TXID); SmartBFT's
    // orderers refuse it at Submit. Either way it must change nothing.
    const second = await endorsed.submit().then(
      (s) => s,
      (e: unknown) => e,
    );
    // fabric-gateway 1.11 exports SubmitError only as a type: a refused Submit is a GatewayError.
    if (!(second instanceof GatewayError)) {
      const secondStatus = await (second as Awaited<ReturnType<typeof endorsed.submit>>).getStatus();
      expect(secondStatus.code).to.equal(VALID);
      expect(secondStatus.blockNumber).to.equal(firstStatus.blockNumber);
    }
    // Let any duplicate be ordered and validated, then check it changed nothing.
    await submitEverywhere(contract, Tx.PutProbe, `${name}-after`, 'x');
    expect(utf8(await contract.evaluateTransaction(Tx.GetProbe, name))).to.equal('1');
  });

  it('emits chaincode events only for valid transactions', async () => {
    const name = `valid-events-${randomUUID()}`;
    const marker = `marker-${randomUUID()}`;
    await submitEverywhere(contract, Tx.PutProbe, name, '0');
    const [a, b] = await Promise.all([
      contract.submitAsync(Tx.IncrementProbe, { arguments: [name] }),
      contract.submitAsync(Tx.IncrementProbe, { arguments: [name] }),
    ]);
    const statuses = await Promise.all([a.getStatus(), b.getStatus()]);
    expect(statuses.map((s) => s.code).sort()).to.deep.equal([VALID, MVCC_READ_CONFLICT]);
    const startBlock = Math.min(...statuses.map((s) => Number(s.blockNumber)));
    await submitEverywhere(contract, Tx.PutProbe, marker, '0');
    await submitEverywhere(contract, Tx.IncrementProbe, marker);
    const events = await network.getChaincodeEvents(CHAINCODE, { startBlock: BigInt(startBlock) });
    const values: number[] = [];
    try {
      for await (const event of events) {
        const payload = JSON.parse(utf8(event.payload)) as { name: string; value: number };
        if (payload.name === marker) break;
        if (payload.name === name) values.push(payload.value);
      }
    } finally {
      events.close();
    }
    expect(values).to.deep.equal([1]);
  });
});
