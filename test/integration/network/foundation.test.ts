/**
 * The foundation's behaviour through the real fabric-gateway client and the real chaincode shim,
 * on whichever network VERISCAN_NETWORK selects. Names follow DEVNET.md's "subtle" list.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import {
  checkpointers,
  CommitError,
  EndorseError,
  GatewayError,
  type Contract,
} from '@hyperledger/fabric-gateway';
import { connectGateway, peerName, peerOrgByKey, type GatewayConnection } from '@veriscan/fabric-kit';
import { killNode, profile, startMissingNodes } from '../support/network';
import { Tx } from '@veriscan/ledger-api';

const CHAINCODE = 'veriscan';
const MVCC_READ_CONFLICT = 11;
const ENDORSEMENT_POLICY_FAILURE = 10;
const VALID = 0;

const utf8 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('utf8');

/**
 * Retries an endorsement that failed because a peer was just restarted (its gRPC channels are
 * reconnecting), for at most ~10 s, as an application would.
 */
async function submitWithRetry(submit: () => Promise<unknown>): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await submit();
      return;
    } catch (err) {
      if (!(err instanceof EndorseError) || attempt >= 40) throw err;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

function parseJson(bytes: Uint8Array): unknown {
  return JSON.parse(utf8(bytes));
}

const REGULATOR_PEER = peerName(peerOrgByKey('regulator-1'));

describe('the network, through fabric-gateway and the chaincode shim', function () {
  this.timeout(120_000);
  const open: GatewayConnection[] = [];

  function contractFor(identity: string, peer?: string): Contract {
    const connection = connectGateway(profile(), identity, peer);
    open.push(connection);
    return connection.gateway.getNetwork(profile().channel).getContract(CHAINCODE);
  }

  after(() => {
    for (const c of open) c.close();
  });

  it("answers Whoami as hospital-a with its own org's MSP id, its job, and the member that MSP is on the ledger", async () => {
    const result = parseJson(await contractFor('hospital-a').evaluateTransaction(Tx.Whoami));
    expect(result).to.deep.equal({
      mspId: peerOrgByKey('hospital-a').mspId,
      job: 'clinician',
      memberId: 'hospital-a',
      role: 'hospital',
    });
  });

  it('answers Whoami as regulator-1 through the regulator peer (its own org)', async () => {
    const result = parseJson(await contractFor('regulator-1', REGULATOR_PEER).evaluateTransaction(Tx.Whoami));
    expect(result).to.deep.equal({
      mspId: peerOrgByKey('regulator-1').mspId,
      job: 'auditor',
      memberId: 'regulator-1',
      role: 'regulator',
    });
  });

  it('serves the contract metadata (org.hyperledger.fabric:GetMetadata) listing the System contract', async () => {
    const metadata = parseJson(
      await contractFor('regulator-1', REGULATOR_PEER).evaluateTransaction(
        'org.hyperledger.fabric:GetMetadata',
      ),
    );
    expect(metadata).to.have.nested.property('contracts.System.transactions');
  });

  it('refuses a write by regulator-1 with FORBIDDEN as an EndorseError', async () => {
    const contract = contractFor('regulator-1', REGULATOR_PEER);
    const err: unknown = await contract.submitTransaction(Tx.PutProbe, `reg-${randomUUID()}`, 'x').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).to.be.instanceOf(EndorseError);
    const endorseError = err as EndorseError;
    expect(endorseError.code).to.equal(10); // gRPC ABORTED
    expect(endorseError.details.map((d) => d.message).join('\n')).to.match(
      /chaincode response 500, FORBIDDEN: /,
    );
  });

  it('reports a chaincode error on evaluate as "chaincode response 500, <message>"', async () => {
    const err: unknown = await contractFor('hospital-a')
      .evaluateTransaction(Tx.GetProbe, `missing-${randomUUID()}`)
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(err).to.be.instanceOf(GatewayError);
    const gatewayError = err as GatewayError;
    expect(gatewayError.code).to.equal(2); // gRPC UNKNOWN
    expect(gatewayError.details[0]?.message).to.match(/^chaincode response 500, NOT_FOUND: probe missing-/);
  });

  it('commits a write and reads it back from another org', async () => {
    const name = `probe-${randomUUID()}`;
    const submitted = await contractFor('hospital-a').submitAsync(Tx.PutProbe, {
      arguments: [name, 'hello'],
    });
    const status = await submitted.getStatus();
    expect(status.code).to.equal(VALID);
    // Block 0 is the channel's config block: application transactions start at block 1.
    expect(Number(status.blockNumber)).to.be.at.least(1);
    expect(utf8(await contractFor('lab-1').evaluateTransaction(Tx.GetProbe, name))).to.equal('hello');
  });

  it('gives one VALID and one MVCC_READ_CONFLICT for two read-writes of one key in one block', async () => {
    const name = `mvcc-${randomUUID()}`;
    const contract = contractFor('hospital-a');
    await contract.submitTransaction(Tx.PutProbe, name, '0');
    const [a, b] = await Promise.all([
      contract.submitAsync(Tx.IncrementProbe, { arguments: [name] }),
      contract.submitAsync(Tx.IncrementProbe, { arguments: [name] }),
    ]);
    const [sa, sb] = await Promise.all([a.getStatus(), b.getStatus()]);
    expect(sa.blockNumber).to.equal(sb.blockNumber);
    expect([sa.code, sb.code].sort()).to.deep.equal([VALID, MVCC_READ_CONFLICT]);
  });

  it('raises the losing submitTransaction of a read-write race as a CommitError with code 11', async () => {
    const name = `mvcc-${randomUUID()}`;
    const contract = contractFor('lab-1');
    await contract.submitTransaction(Tx.PutProbe, name, '0');
    const results = await Promise.allSettled([
      contract.submitTransaction(Tx.IncrementProbe, name),
      contract.submitTransaction(Tx.IncrementProbe, name),
    ]);
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(results.filter((r) => r.status === 'fulfilled')).to.have.length(1);
    expect(rejected).to.have.length(1);
    const reason: unknown = rejected[0]?.reason;
    expect(reason).to.be.instanceOf(CommitError);
    expect((reason as CommitError).code).to.equal(MVCC_READ_CONFLICT);
    expect(utf8(await contract.evaluateTransaction(Tx.GetProbe, name))).to.equal('1');
  });

  it("invalidates a transaction endorsed only by hospital-a's peer with ENDORSEMENT_POLICY_FAILURE", async () => {
    const contract = contractFor('hospital-a');
    const name = `policy-${randomUUID()}`;
    const proposal = contract.newProposal(Tx.PutProbe, {
      arguments: [name, 'x'],
      endorsingOrganizations: [peerOrgByKey('hospital-a').mspId],
    });
    const submitted = await (await proposal.endorse()).submit();
    const status = await submitted.getStatus();
    expect(status.code).to.equal(ENDORSEMENT_POLICY_FAILURE);
    expect(status.successful).to.equal(false);
    const err: unknown = await contract.evaluateTransaction(Tx.GetProbe, name).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).to.be.instanceOf(GatewayError);
  });

  it('delivers chaincode events with a file checkpointer and resumes after the app and its peer restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'veriscan-events-'));
    try {
      const checkpointFile = join(dir, 'checkpoint.json');
      const name = `events-${randomUUID()}`;
      const first = connectGateway(profile(), 'hospital-a');
      const network = first.gateway.getNetwork(profile().channel);
      const contract = network.getContract(CHAINCODE);
      await contract.submitTransaction(Tx.PutProbe, name, '0');

      const checkpointer = await checkpointers.file(checkpointFile);
      const startBlock = (await contract.submitAsync(Tx.IncrementProbe, { arguments: [name] })).getStatus();
      const events = await network.getChaincodeEvents(CHAINCODE, {
        startBlock: (await startBlock).blockNumber,
      });
      const seen: string[] = [];
      for await (const event of events) {
        const payload = parseJson(event.payload) as { name: string; value: number };
        if (payload.name !== name) {
          await checkpointer.checkpointChaincodeEvent(event);
          continue;
        }
        seen.push(`${event.eventName}:${payload.value}`);
        await checkpointer.checkpointChaincodeEvent(event);
        break;
      }
      events.close();
      first.close();
      expect(seen).to.deep.equal(['ProbeIncremented:1']);

      // While the listener is away: two more events, and its peer crashes and comes back.
      const writer = connectGateway(profile(), 'lab-1');
      const wc = writer.gateway.getNetwork(profile().channel).getContract(CHAINCODE);
      await wc.submitTransaction(Tx.IncrementProbe, name);
      killNode(peerName(peerOrgByKey('hospital-a')));
      startMissingNodes();
      await submitWithRetry(() => wc.submitTransaction(Tx.IncrementProbe, name));
      writer.close();

      const second = connectGateway(profile(), 'hospital-a');
      const resumed = await checkpointers.file(checkpointFile);
      const again = await second.gateway
        .getNetwork(profile().channel)
        .getChaincodeEvents(CHAINCODE, { checkpoint: resumed });
      const after: number[] = [];
      for await (const event of again) {
        const payload = parseJson(event.payload) as { name: string; value: number };
        if (payload.name === name) after.push(payload.value);
        await resumed.checkpointChaincodeEvent(event);
        if (after.length === 2) break;
      }
      again.close();
      second.close();
      expect(after).to.deep.equal([2, 3]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps committed state across kill -9 of a peer and catches up on blocks it missed', async () => {
    const before = `durable-${randomUUID()}`;
    const during = `missed-${randomUUID()}`;
    const contract = contractFor('hospital-a');
    await contract.submitTransaction(Tx.PutProbe, before, 'kept');
    killNode(REGULATOR_PEER);
    await contract.submitTransaction(Tx.PutProbe, during, 'caught-up');
    startMissingNodes();
    const regulator = connectGateway(profile(), 'regulator-1', REGULATOR_PEER);
    open.push(regulator);
    const rc = regulator.gateway.getNetwork(profile().channel).getContract(CHAINCODE);
    expect(utf8(await rc.evaluateTransaction(Tx.GetProbe, before))).to.equal('kept');
    // Catch-up is asynchronous: poll the committed state for a bounded time.
    let value = '';
    for (let i = 0; i < 50 && value === ''; i++) {
      value = await rc.evaluateTransaction(Tx.GetProbe, during).then(utf8, () => '');
      if (value === '') await new Promise((r) => setTimeout(r, 100));
    }
    expect(value).to.equal('caught-up');
  });
});
