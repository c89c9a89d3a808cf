/**
 * Who may do what with a request, on the real network: only the assigned lab completes it, a
 * hospital sees only its own requests, and the regulator reads everything and writes nothing.
 */
// Before the built chaincode: fabric-contract-api logs every decorator at info level on load.
import '../../unit/chaincode/support/quiet-logs';
import { expect } from 'chai';
import * as built from '@veriscan/chaincode';
import { POLICY, type TxName } from '../../../chaincode/src/rules/policy';
import {
  Clients,
  assignedLab,
  expectChaincodeCode,
  objectsField,
  committedOnPeers,
  otherLab,
  parseObjectBytes,
  rejectionOf,
  requestInference,
  resultFor,
  runSuffix,
  setUpModel,
  stringField,
  type TestModel,
  type TestScan,
  newScan,
} from './support/consortium';
import { Tx, WRITE_TXS, parseChaincodeError } from '@veriscan/ledger-api';

/** Arguments each transaction declares to fabric-contract-api (its arity without the context). */
function declaredArity(): ReadonlyMap<string, number> {
  const arity = new Map<string, number>();
  for (const contract of built.contracts.map((C) => new C())) {
    for (const name of Object.getOwnPropertyNames(Object.getPrototypeOf(contract))) {
      const method: unknown = Reflect.get(contract, name);
      if (typeof method === 'function') arity.set(`${contract.getName()}:${name}`, method.length - 1);
    }
  }
  return arity;
}

describe('Requests on the network: who may complete and read them', function () {
  this.timeout(120_000);
  const clients = new Clients();
  const run = runSuffix();
  let model: TestModel;

  before(async () => {
    model = await setUpModel(clients, run);
  });

  after(() => {
    clients.close();
  });

  describe('SubmitResult', () => {
    let scan: TestScan;
    let lab: 'lab-1' | 'lab-2';

    before(async () => {
      scan = newScan(`it-${run}-wrong-lab`, model);
      lab = assignedLab(await requestInference(clients, 'hospital-a', scan));
    });

    it('refuses SubmitResult from a lab the request is not assigned to with FORBIDDEN', async () => {
      const intruder = otherLab(lab);
      const result = resultFor(scan, intruder, model);
      await expectChaincodeCode(
        clients
          .contract(intruder)
          .submitTransaction(Tx.SubmitResult, scan.requestId, result.trace, result.receipt),
        'FORBIDDEN',
      );
    });

    it('refuses SubmitResult from another lab even with a receipt naming the assigned lab', async () => {
      const result = resultFor(scan, lab, model);
      await expectChaincodeCode(
        clients
          .contract(otherLab(lab))
          .submitTransaction(Tx.SubmitResult, scan.requestId, result.trace, result.receipt),
        'FORBIDDEN',
      );
    });

    it('leaves the refused request open for the assigned lab, which completes it', async () => {
      const request = parseObjectBytes(
        await clients.contract('hospital-a').evaluateTransaction(Tx.GetRequest, scan.requestId),
      );
      expect(request).to.include({ status: 'assigned', assignedLab: lab });
      const result = resultFor(scan, lab, model);
      const receipt = parseObjectBytes(
        await clients
          .contract(lab)
          .submitTransaction(Tx.SubmitResult, scan.requestId, result.trace, result.receipt),
      );
      expect(receipt).to.include({ requestId: scan.requestId, labId: lab });
    });
  });

  describe('reads', () => {
    let scan: TestScan;
    let lab: 'lab-1' | 'lab-2';
    let asHospitalA: Readonly<Record<string, unknown>>;

    before(async () => {
      scan = newScan(`it-${run}-visible`, model);
      lab = assignedLab(await requestInference(clients, 'hospital-a', scan));
      const result = resultFor(scan, lab, model);
      const submitted = await clients
        .contract(lab)
        .submitAsync(Tx.SubmitResult, { arguments: [scan.requestId, result.trace, result.receipt] });
      const { blockNumber } = await submitted.getStatus();
      // Every peer the reads below go through must have committed the result first.
      await committedOnPeers(
        clients,
        ['hospital-a', 'hospital-b', 'regulator-1', otherLab(lab)],
        blockNumber,
      );
      asHospitalA = parseObjectBytes(
        await clients.contract('hospital-a').evaluateTransaction(Tx.GetRequest, scan.requestId),
      );
    });

    it("answers hospital-b's GetRequest and GetReceipt for a hospital-a request with NOT_FOUND, as for a missing one", async () => {
      const hospitalB = clients.contract('hospital-b');
      await expectChaincodeCode(hospitalB.evaluateTransaction(Tx.GetRequest, scan.requestId), 'NOT_FOUND');
      await expectChaincodeCode(hospitalB.evaluateTransaction(Tx.GetReceipt, scan.requestId), 'NOT_FOUND');
      await expectChaincodeCode(hospitalB.evaluateTransaction(Tx.GetSpotCheck, scan.requestId), 'NOT_FOUND');
      await expectChaincodeCode(
        hospitalB.evaluateTransaction(Tx.GetRequest, `it-${run}-never-requested`),
        'NOT_FOUND',
      );
    });

    it("refuses hospital-b a listing of hospital-a's requests and lists none of them in its own", async () => {
      const hospitalB = clients.contract('hospital-b');
      await expectChaincodeCode(
        hospitalB.evaluateTransaction(
          Tx.ListRequests,
          JSON.stringify({ hospitalId: 'hospital-a' }),
          '100',
          '',
        ),
        'FORBIDDEN',
      );
      const owners = new Set<string>();
      let bookmark = '';
      for (let page = 0; page < 50; page++) {
        const listed = parseObjectBytes(
          await hospitalB.evaluateTransaction(Tx.ListRequests, '{}', '100', bookmark),
        );
        for (const request of objectsField(listed, 'requests'))
          owners.add(stringField(request, 'hospitalId'));
        bookmark = stringField(listed, 'bookmark');
        if (bookmark === '') break;
      }
      expect(bookmark, 'hospital-b has more than 5,000 requests').to.equal('');
      expect([...owners].filter((owner) => owner !== 'hospital-b')).to.deep.equal([]);
    });

    it('hides the request from the lab it was not assigned to, unless that lab was drawn to spot-check it', async () => {
      // Completion draws a spot check from the transaction id (5 % by default), and the checker lab
      // may read the request it re-runs: ask the regulator which case this run is in.
      const spot = await clients
        .contract('regulator-1')
        .evaluateTransaction(Tx.GetSpotCheck, scan.requestId)
        .then((bytes) => parseObjectBytes(bytes))
        .catch((error: unknown) => {
          if (parseChaincodeError(error)?.code === 'NOT_FOUND') return undefined;
          throw error;
        });
      const read = clients.contract(otherLab(lab)).evaluateTransaction(Tx.GetRequest, scan.requestId);
      if (spot?.checkerLab === otherLab(lab)) {
        expect(parseObjectBytes(await read)).to.include({ requestId: scan.requestId });
      } else {
        await expectChaincodeCode(read, 'NOT_FOUND');
      }
    });

    it("lets regulator-1 read hospital-a's request, its receipt and its listing through the Regulator peer", async () => {
      const regulator = clients.contract('regulator-1');
      const request = parseObjectBytes(await regulator.evaluateTransaction(Tx.GetRequest, scan.requestId));
      expect(request).to.deep.equal(asHospitalA);
      const receipt = parseObjectBytes(await regulator.evaluateTransaction(Tx.GetReceipt, scan.requestId));
      const hospitalReceipt = parseObjectBytes(
        await clients.contract('hospital-a').evaluateTransaction(Tx.GetReceipt, scan.requestId),
      );
      expect(receipt).to.deep.equal(hospitalReceipt);
      const listed = parseObjectBytes(
        await regulator.evaluateTransaction(
          Tx.ListRequests,
          JSON.stringify({ hospitalId: 'hospital-a' }),
          '100',
          '',
        ),
      );
      const owners = objectsField(listed, 'requests').map((r) => stringField(r, 'hospitalId'));
      expect(owners).to.not.be.empty;
      expect(new Set(owners)).to.deep.equal(new Set(['hospital-a']));
    });

    it('refuses every write transaction from regulator-1 and regulator-admin with FORBIDDEN and changes nothing', async () => {
      const arity = declaredArity();
      // Every write: the policed ones and the genesis, which authorizes with its own rule.
      const writes: string[] = [
        ...(Object.keys(POLICY) as TxName[]).filter((tx) => POLICY[tx].write),
        Tx.Bootstrap,
      ];
      expect(writes.sort()).to.deep.equal([...WRITE_TXS].filter((tx) => !tx.startsWith('System:')).sort());
      const placeholders = [scan.requestId, '{}', '1', '', ''];
      const attempts = writes.flatMap((tx) =>
        (['regulator-1', 'regulator-1-admin'] as const).map(async (identity) => {
          const count = arity.get(tx);
          if (count === undefined) throw new Error(`${tx} is not defined by the built chaincode`);
          const error = await rejectionOf(
            clients.contract(identity).submitTransaction(tx, ...placeholders.slice(0, count)),
          );
          return { call: `${identity} ${tx}`, code: parseChaincodeError(error)?.code ?? String(error) };
        }),
      );
      const refused = await Promise.all(attempts);
      expect(refused.filter((r) => r.code !== 'FORBIDDEN')).to.deep.equal([]);
      const after = parseObjectBytes(
        await clients.contract('regulator-1').evaluateTransaction(Tx.GetRequest, scan.requestId),
      );
      expect(after).to.deep.equal(asHospitalA);
    });
  });
});
