import { expect } from 'chai';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, loadLabConfig } from '../../../../inference-lab/src/config';
import { tempDir } from './support/fixtures';

function profileFile(dir: string): string {
  const file = join(dir, 'network.json');
  writeFileSync(
    file,
    JSON.stringify({
      network: 'devnet',
      channel: 'veriscan',
      chaincodes: { veriscan: { name: 'veriscan' } },
      peers: {
        'peer0.lab': {
          mspId: 'LabMSP',
          endpoint: '127.0.0.1:1',
          hostAlias: 'peer0.lab.veriscan.local',
          tlsCaFile: '/x',
        },
      },
      identities: { 'lab-1': { mspId: 'LabMSP', certFile: '/c', keyFile: '/k', peer: 'peer0.lab' } },
    }),
  );
  return file;
}

function problemsOf(env: Record<string, string>): readonly string[] {
  try {
    loadLabConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('inference-lab config', () => {
  it('lists every missing required variable at once', () => {
    const dir = tempDir('config');
    const problems = problemsOf({ VERISCAN_PROFILE: profileFile(dir) });
    expect(problems).to.include('VERISCAN_LAB_IDENTITY is required but not set');
    expect(problems).to.include('VERISCAN_LAB_MODEL_DIR is required but not set');
  });

  it('lists malformed values together with the missing ones', () => {
    const dir = tempDir('config');
    const problems = problemsOf({
      VERISCAN_PROFILE: profileFile(dir),
      VERISCAN_LAB_IDENTITY: 'lab-1',
      VERISCAN_LAB_CONCURRENCY: 'many',
      VERISCAN_LAB_BATCH_MODE: 'sometimes',
      VERISCAN_LAB_HOSPITALS: 'hospital-a=ftp://x',
    });
    expect(problems).to.have.length(4);
    expect(problems.join('\n'))
      .to.match(/VERISCAN_LAB_MODEL_DIR is required/)
      .and.match(/VERISCAN_LAB_CONCURRENCY must be an integer/)
      .and.match(/VERISCAN_LAB_BATCH_MODE must be one of single, batch/)
      .and.match(/VERISCAN_LAB_HOSPITALS entry/);
  });

  it('refuses an identity the connection profile does not hold', () => {
    const dir = tempDir('config');
    mkdirSync(join(dir, 'models'));
    const problems = problemsOf({
      VERISCAN_PROFILE: profileFile(dir),
      VERISCAN_LAB_IDENTITY: 'lab-9',
      VERISCAN_LAB_MODEL_DIR: join(dir, 'models'),
    });
    expect(problems).to.have.length(1);
    expect(problems[0]).to.match(/lab-9 is not in .*known: lab-1/);
  });

  it('reads a complete environment with defaults for the rest', () => {
    const dir = tempDir('config');
    mkdirSync(join(dir, 'models'));
    const config = loadLabConfig({
      VERISCAN_HOME: dir,
      VERISCAN_PROFILE: profileFile(dir),
      VERISCAN_LAB_IDENTITY: 'lab-1',
      VERISCAN_LAB_MODEL_DIR: join(dir, 'models'),
      VERISCAN_LAB_HOSPITALS: 'hospital-a=http://127.0.0.1:7101/blobs/, hospital-b=https://h-b.example/blobs',
      VERISCAN_LAB_BATCH_MODE: 'batch',
      VERISCAN_LAB_BATCH_SIZE: '10',
    });
    expect(config.labId).to.equal('lab-1');
    expect(config.peerName).to.equal('peer0.lab');
    expect([...config.hospitals]).to.deep.equal([
      ['hospital-a', 'http://127.0.0.1:7101/blobs'],
      ['hospital-b', 'https://h-b.example/blobs'],
    ]);
    expect(config.batch).to.deep.equal({ mode: 'batch', size: 10, intervalMs: 2000 });
    expect(config.stateDir).to.equal(join(dir, 'labs', 'lab-1'));
    expect(config.concurrency).to.equal(1);
    expect(config.clientMsps.map((m) => m.mspId)).to.deep.equal(['HospitalMSP', 'RegulatorMSP']);
  });
});
