import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

import { expect } from 'chai';

import { fabricBinaries } from '../../../network/fabric/src/binaries';
import { ccaasPackage, tarGz } from '../../../network/fabric/src/ccaas-package';
import { errorLine, topologyFromOptions } from '../../../network/fabric/src/cli';
import { FabricNetworkError } from '../../../network/fabric/src/errors';
import { chooseTopology } from '../../../network/fabric/src/network';
import { readState, writeState } from '../../../network/fabric/src/state';
import { launcherPaths } from '../../../network/fabric/src/topology';

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof FabricNetworkError) return error.code;
    throw error;
  }
  throw new Error('expected a FabricNetworkError');
}

describe('real-Fabric launcher: options', () => {
  it('maps --orderers and --consensus to a topology as before', () => {
    expect(topologyFromOptions({})).to.equal(null);
    expect(topologyFromOptions({ consensus: 'raft' })).to.equal('raft-1');
    expect(topologyFromOptions({ orderers: '1' })).to.equal('raft-1');
    expect(topologyFromOptions({ orderers: '3' })).to.equal('raft-3');
    expect(topologyFromOptions({ consensus: 'raft', orderers: '3' })).to.equal('raft-3');
    expect(topologyFromOptions({ consensus: 'bft' })).to.equal('bft-4');
    expect(topologyFromOptions({ consensus: 'bft', orderers: '4' })).to.equal('bft-4');
  });

  it('refuses what names no topology, with the old messages', () => {
    expect(() => topologyFromOptions({ consensus: 'pbft' })).to.throw(
      '--consensus must be raft or bft, not pbft',
    );
    expect(() => topologyFromOptions({ consensus: 'bft', orderers: '3' })).to.throw(
      '--consensus bft runs exactly 4 orderers',
    );
    expect(() => topologyFromOptions({ orderers: '2' })).to.throw(
      '--orderers must be 1 or 3 for Raft, not 2',
    );
    expect(codeOf(() => topologyFromOptions({ orderers: '5' }))).to.equal('INVALID_OPTION');
  });

  it('keeps the topology a network was created with', () => {
    expect(chooseTopology(null, { processes: {} }).key).to.equal('raft-1');
    expect(chooseTopology(null, { processes: {}, topology: 'bft-4' })).to.deep.include({
      key: 'bft-4',
      orderers: 4,
      profile: 'VeriscanBFT4',
    });
    expect(codeOf(() => chooseTopology('raft-3', { processes: {}, topology: 'raft-1' }))).to.equal(
      'CONFLICTING_STATE',
    );
  });

  it('prints the missing-binaries guide without "error:"', () => {
    let missing: unknown;
    try {
      fabricBinaries({});
    } catch (error) {
      missing = error;
    }
    expect(missing).to.be.instanceOf(FabricNetworkError).with.property('code', 'MISSING_BINARIES');
    expect(errorLine(missing))
      .to.match(/^fabric: FABRIC_BIN is not set/)
      .and.to.contain('install-fabric.sh');
    expect(errorLine(new FabricNetworkError('COMMAND_FAILED', 'peer failed'))).to.equal(
      'fabric: error: peer failed\n',
    );
  });
});

describe('real-Fabric launcher: chaincode-as-a-service packages', () => {
  it('are byte-for-byte what the .mjs launcher wrote (same package ids)', () => {
    // Ids computed with network/fabric/lib/ccaas-package.mjs before the TypeScript port.
    expect(ccaasPackage({ label: 'veriscan_1.0', address: '127.0.0.1:19997' }).packageId).to.equal(
      'veriscan_1.0:a24dedf1fe097fb4ffd5cafc09bcd023041d3e2bd5b162236b1c7a4459c7a7ba',
    );
  });

  it('is a ustar archive with sorted entries and zero mtimes', () => {
    const tar = gunzipSync(tarGz({ 'b.txt': 'second', 'a.txt': Buffer.from('first') }));
    expect(tar.subarray(0, 5).toString()).to.equal('a.txt');
    expect(tar.subarray(257, 262).toString()).to.equal('ustar');
    expect(tar.subarray(136, 147).toString()).to.equal('00000000000');
    expect(tar.subarray(512, 517).toString()).to.equal('first');
    expect(tar.subarray(1024, 1029).toString()).to.equal('b.txt');
    expect(tar.length).to.equal(4 * 512 + 1024);
  });
});

describe('real-Fabric launcher: state file', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'veriscan-fabric-state-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads what it wrote and refuses anything else', () => {
    const file = join(dir, 'fabric', 'state.json');
    expect(readState(file)).to.deep.equal({ processes: {} });
    const state = {
      processes: {
        orderer0: {
          pid: 4242,
          command: '/bin/orderer',
          args: [],
          logFile: '/x/orderer0.log',
          startedAt: '2025-01-01T00:00:00.000Z',
        },
      },
      topology: 'raft-1' as const,
      packages: { hospital: 'veriscan_1.0:abc' },
    };
    writeState(file, state);
    expect(readState(file)).to.deep.equal(state);
    writeFileSync(file, '{"processes": {"x": {"pid": "one"}}}');
    expect(codeOf(() => readState(file))).to.equal('CORRUPT_STATE');
    writeFileSync(file, '{');
    expect(codeOf(() => readState(file))).to.equal('CORRUPT_STATE');
  });

  it('puts its state under VERISCAN_HOME/fabric', () => {
    const paths = launcherPaths({ VERISCAN_HOME: dir });
    expect(paths.stateFile).to.equal(join(dir, 'fabric', 'state.json'));
    expect(paths.profile).to.equal(join(dir, 'network.json'));
    expect(paths.configDir).to.match(/network\/fabric\/config$/);
  });
});
