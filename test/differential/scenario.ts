/**
 * The differential scenario: one scripted sequence of transactions run against a network, recorded
 * as a transcript of outcomes with everything network-specific (transaction ids, block numbers,
 * peer addresses, the run's unique prefix) normalised away, so two networks' transcripts can be
 * compared entry by entry.
 */
import { randomUUID } from 'node:crypto';
import { CommitError, EndorseError, GatewayError, type Contract } from '@hyperledger/fabric-gateway';
import {
  connectGateway,
  peerName,
  peerOrgByKey,
  type GatewayConnection,
  type NetworkProfile,
} from '@veriscan/fabric-kit';
import { Tx } from '@veriscan/ledger-api';

export interface TranscriptEntry {
  readonly step: string;
  readonly outcome: unknown;
}

const utf8 = (b: Uint8Array): string => Buffer.from(b).toString('utf8');

function describeError(err: unknown, run: string): unknown {
  const clean = (s: string): string =>
    s
      .split(run)
      .join('<run>')
      .replace(/[0-9a-f]{64}/g, '<txid>');
  if (err instanceof CommitError) return { kind: 'CommitError', code: err.code, message: clean(err.message) };
  if (err instanceof GatewayError) {
    return {
      kind: err instanceof EndorseError ? 'EndorseError' : err.name,
      grpcCode: err.code,
      message: clean(err.message),
      details: err.details.map((d) => ({ mspId: d.mspId, message: clean(d.message) })),
    };
  }
  return { kind: 'other', message: clean(String(err)) };
}

async function outcomeOf(run: string, action: () => Promise<unknown>): Promise<unknown> {
  try {
    return { ok: await action() };
  } catch (err) {
    return { error: describeError(err, run) };
  }
}

/** Runs the scripted sequence on the network described by `profile`. */
export async function runScenario(profile: NetworkProfile): Promise<TranscriptEntry[]> {
  const run = `d${randomUUID().slice(0, 8)}`;
  const key = (name: string): string => `${run}-${name}`;
  const connections: GatewayConnection[] = [];
  const contractOf = (identity: string, peer?: string): Contract => {
    const c = connectGateway(profile, identity, peer);
    connections.push(c);
    return c.gateway.getNetwork(profile.channel).getContract('veriscan');
  };
  const hospital = contractOf('hospital-a');
  const lab = contractOf('lab-1');
  const regulator = contractOf('regulator-1', peerName(peerOrgByKey('regulator-1')));
  const transcript: TranscriptEntry[] = [];
  const record = async (step: string, action: () => Promise<unknown>): Promise<void> => {
    transcript.push({ step, outcome: await outcomeOf(run, action) });
  };
  const submit =
    (c: Contract, fn: string, ...args: string[]) =>
    async () =>
      utf8(await c.submitTransaction(fn, ...args));
  const evaluate =
    (c: Contract, fn: string, ...args: string[]) =>
    async () =>
      utf8(await c.evaluateTransaction(fn, ...args));

  try {
    const first = await hospital.submitAsync(Tx.PutProbe, { arguments: [key('a'), 'alpha'] });
    const startBlock = (await first.getStatus()).blockNumber;
    await record('write a', async () => (await first.getStatus()).code);
    await record('write b', submit(lab, Tx.PutProbe, key('b'), 'beta'));
    await record('write with unicode key', submit(hospital, Tx.PutProbe, key('ü-\u{10000}'), 'wide'));
    await record('read a from the lab peer', evaluate(lab, Tx.GetProbe, key('a')));
    await record('read a missing probe', evaluate(hospital, Tx.GetProbe, key('missing')));
    await record('write as the regulator', submit(regulator, Tx.PutProbe, key('r'), 'x'));
    await record('write with an empty name', submit(hospital, Tx.PutProbe, '', 'x'));
    await record('call an unknown function', submit(hospital, 'System:NoSuchFunction'));
    const hospitalGateway = connections[0]?.gateway;
    if (hospitalGateway === undefined) throw new Error('no connection');
    const undeployed = hospitalGateway.getNetwork(profile.channel).getContract('no-such-chaincode');
    await record('evaluate on a chaincode that is not deployed', evaluate(undeployed, Tx.Ping));
    await record(
      'submit on a chaincode that is not deployed',
      submit(undeployed, Tx.PutProbe, key('u'), 'x'),
    );
    const noChannel = hospitalGateway.getNetwork('no-such-channel').getContract('veriscan');
    await record('evaluate on a channel that does not exist', evaluate(noChannel, Tx.Ping));
    await record('submit on a channel that does not exist', submit(noChannel, Tx.PutProbe, key('u'), 'x'));
    await record('endorse naming an org that is not in the channel', async () => {
      const tx = await hospital
        .newProposal(Tx.PutProbe, { arguments: [key('u'), 'x'], endorsingOrganizations: ['NoSuchMSP'] })
        .endorse();
      return (await (await tx.submit()).getStatus()).code;
    });
    await record('whoami as each identity', async () =>
      Promise.all(
        [hospital, lab, regulator].map(
          async (c) => JSON.parse(utf8(await c.evaluateTransaction(Tx.Whoami))) as unknown,
        ),
      ),
    );
    await record('increment a fresh counter', submit(hospital, Tx.IncrementProbe, key('n')));
    await record('two increments racing in one block', async () => {
      const [x, y] = await Promise.all([
        hospital.submitAsync(Tx.IncrementProbe, { arguments: [key('n')] }),
        hospital.submitAsync(Tx.IncrementProbe, { arguments: [key('n')] }),
      ]);
      const codes = await Promise.all([x.getStatus(), y.getStatus()]);
      // Whether both land in one block depends on timing (SmartBFT may cut them apart); the loser is
      // MVCC_READ_CONFLICT either way, since both were endorsed against the same state.
      return { codes: codes.map((s) => s.code).sort() };
    });
    await record(
      'count probes under a composite-key range',
      submit(hospital, Tx.CountProbes, run, key('count')),
    );
    await record('insert into a range read earlier in the block', async () => {
      const insert = await hospital.newProposal(Tx.PutProbe, { arguments: [key('c'), 'gamma'] }).endorse();
      const count = await hospital.newProposal(Tx.CountProbes, { arguments: [run, key('count2')] }).endorse();
      const a = await (await insert.submit()).getStatus();
      const b = await (await count.submit()).getStatus();
      return [a.code, b.code, utf8(count.getResult())];
    });
    await record('write then read in one transaction', submit(lab, Tx.WriteThenReadProbe, key('b'), 'beta2'));
    await record(
      'submit a write after a paginated query',
      submit(hospital, Tx.PagedQueryThenWriteProbe, key('paged')),
    );
    await record(
      'evaluate a write after a paginated query',
      evaluate(hospital, Tx.PagedQueryThenWriteProbe, key('paged')),
    );
    await record(
      'submit a paginated query after a write',
      submit(hospital, Tx.WriteThenPagedQueryProbe, key('paged')),
    );
    await record(
      'evaluate a paginated query after a write',
      evaluate(hospital, Tx.WriteThenPagedQueryProbe, key('paged')),
    );
    await record('delete by writing an empty value', submit(hospital, Tx.PutProbe, key('a'), ''));
    await record('endorse on the hospital peer only', async () => {
      const tx = await hospital
        .newProposal(Tx.PutProbe, {
          arguments: [key('policy'), 'x'],
          endorsingOrganizations: ['HospitalAMSP'],
        })
        .endorse();
      return (await (await tx.submit()).getStatus()).code;
    });
    await record('evaluate a transaction on the regulator peer', evaluate(regulator, Tx.GetProbe, key('b')));
    await record('events of the run, in order', async () => {
      const network = connections[0]?.gateway.getNetwork(profile.channel);
      if (network === undefined) throw new Error('no connection');
      const marker = key('marker');
      await hospital.submitTransaction(Tx.IncrementProbe, marker);
      const events = await network.getChaincodeEvents('veriscan', { startBlock });
      const seen: unknown[] = [];
      try {
        for await (const e of events) {
          const payload = JSON.parse(utf8(e.payload)) as { name?: unknown; value: number };
          // Other tests' transactions may commit in these blocks too (an envelope a client gave up on
          // can still be ordered): only this run's probe events count.
          if (typeof payload.name !== 'string' || !payload.name.startsWith(run)) continue;
          seen.push({
            name: e.eventName,
            payload: { ...payload, name: payload.name.split(run).join('<run>') },
          });
          if (payload.name === marker) break;
        }
      } finally {
        events.close();
      }
      return seen;
    });
    await record('final world state of the run', async () => {
      const names = ['a', 'b', 'c', 'n', 'count', 'count2', 'policy', 'r', 'ü-\u{10000}', 'marker'];
      const values: Record<string, unknown> = {};
      for (const n of names) values[n] = await outcomeOf(run, evaluate(hospital, Tx.GetProbe, key(n)));
      return values;
    });
    return transcript;
  } finally {
    for (const c of connections) c.close();
  }
}
