import { expect } from 'chai';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, loadLabConfig } from '../../../../inference-lab/src/config';
import { tempDir } from './support/fixtures';

/** A profile identity on a peer. */
function identity(mspId: string, peer: string): Record<string, string> {
  return { mspId, certFile: '/c', keyFile: '/k', peer };
}

/** A profile with lab-1's peer, its operator and admin, hospital-a's clinician, and `extra`. */
function profileFile(dir: string, extra: Record<string, Record<string, string>> = {}): string {
  const file = join(dir, 'network.json');
  writeFileSync(
    file,
    JSON.stringify({
      network: 'devnet',
      channel: 'veriscan',
      chaincodes: { veriscan: { name: 'veriscan' } },
      peers: {
        'peer0.lab-1': {
          mspId: 'Lab1MSP',
          endpoint: '127.0.0.1:1',
          hostAlias: 'peer0.lab-1.veriscan.local',
          tlsCaFile: '/x',
        },
        'peer0.hospital-a': {
          mspId: 'HospitalAMSP',
          endpoint: '127.0.0.1:2',
          hostAlias: 'peer0.hospital-a.veriscan.local',
          tlsCaFile: '/x',
        },
      },
      identities: {
        'lab-1': identity('Lab1MSP', 'peer0.lab-1'),
        'lab-1-admin': identity('Lab1MSP', 'peer0.lab-1'),
        'hospital-a': identity('HospitalAMSP', 'peer0.hospital-a'),
        ...extra,
      },
    }),
  );
  return file;
}

/** A complete environment for lab-1: what most tests below start from. */
function baseEnv(dir: string, extra: Record<string, Record<string, string>> = {}): Record<string, string> {
  mkdirSync(join(dir, 'models'), { recursive: true });
  return {
    VERISCAN_HOME: dir,
    VERISCAN_PROFILE: profileFile(dir, extra),
    VERISCAN_LAB_IDENTITY: 'lab-1',
    VERISCAN_LAB_MODEL_DIR: join(dir, 'models'),
  };
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
    const problems = problemsOf({ ...baseEnv(tempDir('config')), VERISCAN_LAB_IDENTITY: 'lab-2' });
    expect(problems).to.have.length(1);
    expect(problems[0]).to.match(/lab-2 is not in .*known: lab-1, lab-1-admin, hospital-a\)/);
  });

  it("refuses an identity that is not a lab org's key: the service runs as its lab's operator", () => {
    const dir = tempDir('config');
    for (const name of ['lab-1-admin', 'hospital-a']) {
      const problems = problemsOf({ ...baseEnv(dir), VERISCAN_LAB_IDENTITY: name });
      expect(problems, name).to.have.length(1);
      expect(problems[0], name).to.equal(
        `VERISCAN_LAB_IDENTITY ${name} is not a lab org of the consortium (labs: lab-1, lab-2)`,
      );
    }
  });

  it("refuses a lab identity the profile files under another org's MSP", () => {
    const dir = tempDir('config');
    const problems = problemsOf({
      ...baseEnv(dir, { 'lab-2': identity('HospitalAMSP', 'peer0.hospital-a') }),
      VERISCAN_LAB_IDENTITY: 'lab-2',
    });
    expect(problems).to.have.length(1);
    expect(problems[0]).to.match(/lab-2 belongs to HospitalAMSP in .*, not to its lab org's Lab2MSP/);
  });

  it('reads a complete environment with defaults for the rest', () => {
    const dir = tempDir('config');
    const config = loadLabConfig({
      ...baseEnv(dir),
      VERISCAN_LAB_HOSPITALS: 'hospital-a=http://127.0.0.1:7101/blobs/, hospital-b=https://h-b.example/blobs',
      VERISCAN_LAB_BATCH_MODE: 'batch',
      VERISCAN_LAB_BATCH_SIZE: '10',
    });
    expect(config.labId).to.equal('lab-1');
    expect(config.identity.mspId).to.equal('Lab1MSP');
    expect(config.peerName).to.equal('peer0.lab-1');
    expect([...config.hospitals]).to.deep.equal([
      ['hospital-a', 'http://127.0.0.1:7101/blobs'],
      ['hospital-b', 'https://h-b.example/blobs'],
    ]);
    expect(config.batch).to.deep.equal({ mode: 'batch', size: 10, intervalMs: 2000 });
    expect(config.stateDir).to.equal(join(dir, 'labs', 'lab-1'));
    expect(config.concurrency).to.equal(1);
  });

  it('trusts every hospital and regulator org of the consortium by default, each with its own MSP folder', () => {
    const dir = tempDir('config');
    const config = loadLabConfig(baseEnv(dir));
    const msp = (domain: string): string => join(dir, 'crypto', 'peerOrganizations', domain, 'msp');
    expect(config.clientMsps).to.deep.equal([
      {
        mspId: 'HospitalAMSP',
        memberId: 'hospital-a',
        role: 'hospital',
        mspDir: msp('hospital-a.veriscan.local'),
      },
      {
        mspId: 'HospitalBMSP',
        memberId: 'hospital-b',
        role: 'hospital',
        mspDir: msp('hospital-b.veriscan.local'),
      },
      {
        mspId: 'Regulator1MSP',
        memberId: 'regulator-1',
        role: 'regulator',
        mspDir: msp('regulator-1.veriscan.local'),
      },
    ]);
  });

  it('reads client MSPs as <MSP id>=<member id>:<role>:<msp dir>, an institution outside the table included', () => {
    const dir = tempDir('config');
    const config = loadLabConfig({
      ...baseEnv(dir),
      VERISCAN_LAB_CLIENT_MSPS:
        'HospitalAMSP=hospital-a:hospital:/m/a, HospitalCMSP=hospital-c:hospital:/m/c',
    });
    expect(config.clientMsps).to.deep.equal([
      { mspId: 'HospitalAMSP', memberId: 'hospital-a', role: 'hospital', mspDir: '/m/a' },
      { mspId: 'HospitalCMSP', memberId: 'hospital-c', role: 'hospital', mspDir: '/m/c' },
    ]);
  });

  it('refuses a client MSP entry that is malformed, renames a table org, or repeats an MSP or a member', () => {
    const dir = tempDir('config');
    const problems = problemsOf({
      ...baseEnv(dir),
      VERISCAN_LAB_CLIENT_MSPS: [
        'HospitalAMSP=hospital:/m/a',
        'Lab1MSP=lab-1:lab:/m/l',
        'HospitalBMSP=hospital-a:hospital:/m/b',
        'Regulator1MSP=regulator-1:hospital:/m/r',
        'HospitalCMSP=hospital-c:hospital:/m/c',
        'HospitalCMSP=hospital-d:hospital:/m/d',
        'HospitalEMSP=hospital-c:hospital:/m/e',
      ].join(','),
    });
    expect(problems).to.have.length(6);
    expect(problems.slice(0, 2).join('\n'))
      .to.match(
        /entry "HospitalAMSP=hospital:\/m\/a" is not <MSP id>=<member id>:<hospital\|regulator>:<msp dir>/,
      )
      .and.match(/entry "Lab1MSP=lab-1:lab:\/m\/l" is not/);
    expect(problems[2]).to.match(
      /HospitalBMSP is hospital hospital-b in the consortium, not hospital hospital-a/,
    );
    expect(problems[3]).to.match(/Regulator1MSP is regulator regulator-1 in the consortium, not hospital/);
    expect(problems[4]).to.match(/HospitalCMSP=hospital-d repeats HospitalCMSP=hospital-c/);
    expect(problems[5]).to.match(/HospitalEMSP=hospital-c repeats HospitalCMSP=hospital-c/);
  });
});
