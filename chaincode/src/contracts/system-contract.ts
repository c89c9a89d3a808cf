import { Context, Contract, Info, Returns, Transaction } from 'fabric-contract-api';
import { fail } from '../infra/errors';
import { memberOfMsp } from '../domain/member';
import { callerOf, requireJob } from '../rules/identity';
import { ContractName } from '@veriscan/ledger-api/wire';

/** Proves the path from client to chaincode: liveness, caller identity and the write ACL. */
@Info({ title: 'System', description: 'Liveness, caller identity and a probe write' })
export class SystemContract extends Contract {
  constructor() {
    super(ContractName.System);
  }

  /** Any caller. Returns `pong` and the transaction id, so a client sees the chaincode answer. */
  @Transaction(false)
  @Returns('string')
  Ping(ctx: Context): Promise<string> {
    return Promise.resolve(JSON.stringify({ pong: true, txId: ctx.stub.getTxID() }));
  }

  /**
   * Any caller. Returns the caller's MSP id and job as its certificate says, and the member (id and
   * role) its MSP id belongs to on the ledger, `null` when none.
   */
  @Transaction(false)
  @Returns('string')
  async Whoami(ctx: Context): Promise<string> {
    const caller = callerOf(ctx);
    const member = await memberOfMsp(ctx, caller.mspId);
    return JSON.stringify({
      mspId: caller.mspId,
      job: caller.job,
      memberId: member?.memberId ?? null,
      role: member?.role ?? null,
    });
  }

  /**
   * Users of active hospitals and labs. Writes `value` under the probe key `name` (used by network tests for
   * MVCC and endorsement behaviour). Throws FORBIDDEN for the regulator (read-only by design) and
   * INVALID_ARGUMENT for an empty or oversized name.
   */
  @Transaction()
  async PutProbe(ctx: Context, name: string, value: string): Promise<void> {
    await requireProbeWriter(ctx);
    if (name.length === 0 || name.length > 64) fail('INVALID_ARGUMENT', 'name must be 1..64 characters');
    await ctx.stub.putState(ctx.stub.createCompositeKey('probe', [name]), Buffer.from(value, 'utf8'));
  }

  /**
   * Users of active hospitals and labs. Reads probe `name` and writes it back incremented by one; two such
   * transactions in one block conflict (MVCC), which the network tests rely on.
   */
  @Transaction()
  async IncrementProbe(ctx: Context, name: string): Promise<string> {
    await requireProbeWriter(ctx);
    const key = ctx.stub.createCompositeKey('probe', [name]);
    const current = await ctx.stub.getState(key);
    const parsed = current.length === 0 ? 0 : Number.parseInt(Buffer.from(current).toString('utf8'), 10);
    const next = (Number.isFinite(parsed) ? parsed : 0) + 1;
    await ctx.stub.putState(key, Buffer.from(String(next), 'utf8'));
    ctx.stub.setEvent('ProbeIncremented', Buffer.from(JSON.stringify({ name, value: next }), 'utf8'));
    return String(next);
  }

  /**
   * Users of active hospitals and labs. Writes `value` to probe `name`, then reads it back in the same
   * transaction and returns what the read saw. Fabric has no read-your-writes, so this returns the
   * value committed before the transaction (or '' when there was none); the network tests check it.
   */
  @Transaction()
  async WriteThenReadProbe(ctx: Context, name: string, value: string): Promise<string> {
    await requireProbeWriter(ctx);
    const key = ctx.stub.createCompositeKey('probe', [name]);
    await ctx.stub.putState(key, Buffer.from(value, 'utf8'));
    return Buffer.from(await ctx.stub.getState(key)).toString('utf8');
  }

  /**
   * Users of active hospitals and labs. Counts the probes whose name starts with `prefix` (a range read over
   * the partial composite key) and records the count under probe `into`. A probe inserted under the
   * prefix by an earlier transaction of the same block makes this one a phantom read.
   */
  @Transaction()
  async CountProbes(ctx: Context, prefix: string, into: string): Promise<string> {
    await requireProbeWriter(ctx);
    if (prefix.length === 0) fail('INVALID_ARGUMENT', 'prefix must not be empty');
    let count = 0;
    const iterator = await ctx.stub.getStateByPartialCompositeKey('probe', []);
    try {
      for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
        const { attributes } = ctx.stub.splitCompositeKey(next.value.key);
        if (attributes[0]?.startsWith(prefix) === true) count++;
      }
    } finally {
      await iterator.close();
    }
    await ctx.stub.putState(ctx.stub.createCompositeKey('probe', [into]), Buffer.from(String(count), 'utf8'));
    return String(count);
  }

  /**
   * Users of active hospitals and labs. Runs a paginated range query over the probes, then writes probe
   * `name`. Fabric refuses a write after a paginated query in the same transaction
   * (txmgr/tx_simulator.go); the differential test compares the refusal's text on both networks.
   */
  @Transaction()
  async PagedQueryThenWriteProbe(ctx: Context, name: string): Promise<string> {
    await requireProbeWriter(ctx);
    const { iterator } = await ctx.stub.getStateByPartialCompositeKeyWithPagination('probe', [], 1, '');
    await iterator.close();
    await ctx.stub.putState(ctx.stub.createCompositeKey('probe', [name]), Buffer.from('paged', 'utf8'));
    return 'written';
  }

  /**
   * Users of active hospitals and labs. Writes probe `name`, then runs a paginated range query. Fabric
   * supports paginated queries only in read-only transactions, so it refuses the query.
   */
  @Transaction()
  async WriteThenPagedQueryProbe(ctx: Context, name: string): Promise<string> {
    await requireProbeWriter(ctx);
    await ctx.stub.putState(ctx.stub.createCompositeKey('probe', [name]), Buffer.from('written', 'utf8'));
    const { iterator } = await ctx.stub.getStateByPartialCompositeKeyWithPagination('probe', [], 1, '');
    await iterator.close();
    return 'queried';
  }

  /** Any caller. Reads probe `name`; NOT_FOUND when it was never written. */
  @Transaction(false)
  @Returns('string')
  async GetProbe(ctx: Context, name: string): Promise<string> {
    const value = await ctx.stub.getState(ctx.stub.createCompositeKey('probe', [name]));
    if (value.length === 0) fail('NOT_FOUND', `probe ${name} does not exist`);
    return Buffer.from(value).toString('utf8');
  }
}

/**
 * The probes' write rule: a user with a job, of an active hospital or lab (the regulator never
 * writes). FORBIDDEN otherwise.
 */
async function requireProbeWriter(ctx: Context): Promise<void> {
  const caller = requireJob(ctx);
  const member = await memberOfMsp(ctx, caller.mspId);
  if (member === undefined) fail('FORBIDDEN', `${caller.mspId} is not a member of the consortium`);
  if (member.status !== 'active' || member.role === 'regulator')
    fail('FORBIDDEN', `member ${member.memberId} (${member.role}, ${member.status}) may not write`);
}
