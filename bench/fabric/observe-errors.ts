/**
 * Records, verbatim, what the network in `.veriscan/network.json` answers in the cases the devnet must match
 * (DEVNET.md "subtle"): a chaincode error on evaluate and on endorse, two read-modify-writes of one key
 * endorsed against the same state (MVCC_READ_CONFLICT), a write endorsed by the Hospital peer alone
 * (ENDORSEMENT_POLICY_FAILURE), plus the happy path (submit, Whoami through the regulator's own peer).
 *
 * Run: `npx tsx bench/fabric/observe-errors.ts` (prints JSON; nothing is asserted here: the integration
 * suite asserts, this shows the raw texts for docs/fabric.md).
 */
import { CommitError, GatewayError, StatusCode } from '@hyperledger/fabric-gateway';
import { loadProfile, openSession, runId } from './profile-client';
import { ENDORSEMENT_POLICY, orgsOfRole, peerOrgByKey } from '@veriscan/fabric-kit';
import { Tx } from '@veriscan/ledger-api';

const REGULATOR_MSP = orgsOfRole('regulator')[0]?.mspId ?? '';
const HOSPITAL_MSP = peerOrgByKey('hospital-a').mspId;

interface Observation {
  readonly case: string;
  readonly outcome: unknown;
}

const utf8 = new TextDecoder();

/** `StatusCode` maps names to numbers; this is the reverse, for printing. */
function validationName(code: number): string {
  return Object.entries(StatusCode).find(([, value]) => value === code)?.[0] ?? `code ${code}`;
}

/** The parts of an error a client can see, with the gRPC / validation code names. */
function describeError(error: unknown): unknown {
  if (error instanceof CommitError) {
    return {
      class: error.name,
      validationCode: error.code,
      validationName: validationName(error.code),
      message: error.message,
    };
  }
  if (error instanceof GatewayError) {
    return {
      class: error.name,
      grpcCode: error.code,
      message: error.message,
      details: error.details.map((d) => ({ address: d.address, mspId: d.mspId, message: d.message })),
    };
  }
  return { class: 'unexpected', message: error instanceof Error ? error.message : String(error) };
}

async function attempt(run: () => Promise<unknown>): Promise<unknown> {
  try {
    return { ok: await run() };
  } catch (error) {
    return { error: describeError(error) };
  }
}

async function main(): Promise<void> {
  const profile = loadProfile();
  const hospital = openSession(profile, 'hospital-a');
  const regulatorOwnPeer = openSession(profile, 'regulator-1', 'peer0.regulator-1');
  const id = runId();
  const observations: Observation[] = [];
  const record = (name: string, outcome: unknown): void => {
    observations.push({ case: name, outcome });
  };
  try {
    record(
      'submit System:IncrementProbe as hospital-a',
      await attempt(async () =>
        utf8.decode(await hospital.contract.submitTransaction(Tx.IncrementProbe, `${id}-smoke`)),
      ),
    );
    record(
      'evaluate System:Whoami as hospital-a',
      await attempt(async () => utf8.decode(await hospital.contract.evaluateTransaction(Tx.Whoami))),
    );
    record(
      'evaluate System:Whoami as regulator-1 via peer0.regulator-1',
      await attempt(async () => utf8.decode(await regulatorOwnPeer.contract.evaluateTransaction(Tx.Whoami))),
    );

    record(
      'evaluate a function that throws (System:GetProbe of a missing probe)',
      await attempt(async () =>
        utf8.decode(await hospital.contract.evaluateTransaction(Tx.GetProbe, `${id}-missing`)),
      ),
    );
    record(
      'submit a function that throws (System:PutProbe with an empty name)',
      await attempt(async () => utf8.decode(await hospital.contract.submitTransaction(Tx.PutProbe, '', 'x'))),
    );
    record(
      'submit as regulator-1 (chaincode refuses the write)',
      await attempt(async () =>
        utf8.decode(await regulatorOwnPeer.contract.submitTransaction(Tx.PutProbe, `${id}-reg`, 'x')),
      ),
    );
    record(
      'evaluate a throwing function as regulator-1 via peer0.regulator-1, no target org (which peer answers?)',
      await attempt(async () =>
        utf8.decode(await regulatorOwnPeer.contract.evaluateTransaction(Tx.GetProbe, `${id}-missing`)),
      ),
    );
    record(
      `the same with endorsingOrganizations: [${REGULATOR_MSP}] (evaluate on its own peer)`,
      await attempt(async () =>
        utf8.decode(
          await regulatorOwnPeer.contract.evaluate(Tx.GetProbe, {
            arguments: [`${id}-missing`],
            endorsingOrganizations: [REGULATOR_MSP],
          }),
        ),
      ),
    );
    record(
      'evaluate an unknown function',
      await attempt(async () =>
        utf8.decode(await hospital.contract.evaluateTransaction('System:NoSuchFunction')),
      ),
    );

    // Both endorsed against the same committed state, then both submitted: whichever validates second read
    // a version the first changed.
    const key = `${id}-mvcc`;
    const first = await hospital.contract.newProposal(Tx.IncrementProbe, { arguments: [key] }).endorse();
    const second = await hospital.contract.newProposal(Tx.IncrementProbe, { arguments: [key] }).endorse();
    const [commitA, commitB] = await Promise.all([first.submit(), second.submit()]);
    const [statusA, statusB] = await Promise.all([commitA.getStatus(), commitB.getStatus()]);
    record('two IncrementProbe on one key, endorsed before either commits', {
      first: {
        blockNumber: statusA.blockNumber.toString(),
        code: statusA.code,
        name: validationName(statusA.code),
      },
      second: {
        blockNumber: statusB.blockNumber.toString(),
        code: statusB.code,
        name: validationName(statusB.code),
      },
    });
    const keyB = `${id}-mvcc-submit`;
    const settled = await Promise.allSettled([
      hospital.contract.submitTransaction(Tx.IncrementProbe, keyB),
      hospital.contract.submitTransaction(Tx.IncrementProbe, keyB),
    ]);
    record(
      'two concurrent submitTransaction(IncrementProbe) on one key',
      settled.map((s) =>
        s.status === 'fulfilled' ? { ok: utf8.decode(s.value) } : { error: describeError(s.reason) },
      ),
    );

    record(
      `submit PutProbe endorsed only by ${HOSPITAL_MSP} (policy ${ENDORSEMENT_POLICY})`,
      await attempt(async () =>
        utf8.decode(
          await hospital.contract.submit(Tx.PutProbe, {
            arguments: [`${id}-policy`, 'x'],
            endorsingOrganizations: [HOSPITAL_MSP],
          }),
        ),
      ),
    );
    const onlyHospital = await hospital.contract
      .newProposal(Tx.PutProbe, {
        arguments: [`${id}-policy-2`, 'x'],
        endorsingOrganizations: [HOSPITAL_MSP],
      })
      .endorse();
    const policyStatus = await (await onlyHospital.submit()).getStatus();
    record('commit status of the Hospital-only endorsement', {
      blockNumber: policyStatus.blockNumber.toString(),
      code: policyStatus.code,
      name: validationName(policyStatus.code),
    });
  } finally {
    hospital.close();
    regulatorOwnPeer.close();
  }
  process.stdout.write(`${JSON.stringify({ network: profile.network, observations }, null, 2)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
