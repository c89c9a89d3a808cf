/**
 * Where Veriscan's state lives on this machine: `<repo>/.veriscan` unless `VERISCAN_HOME` moves it.
 * Both networks write the crypto material and the connection profile there, and every app reads
 * them from there, so this is the one function that knows the folder.
 */
import { join, resolve } from 'node:path';

/** The state folder's well-known files. */
export interface VeriscanPaths {
  /** The repository this package was built in. */
  readonly repoRoot: string;
  /** `VERISCAN_HOME`, or `<repo>/.veriscan`. */
  readonly stateDir: string;
  /** Generated MSP material in cryptogen's layout, shared by the devnet and real Fabric. */
  readonly cryptoDir: string;
  /** The connection profile the running network wrote (`network.json`). */
  readonly profileFile: string;
}

// dist/paths.js and src/paths.ts both sit two levels below the repository root (fabric-kit/x).
const REPO_ROOT = resolve(__dirname, '..', '..');

/** The paths for `env` (default: this process's environment). */
export function veriscanPaths(env: NodeJS.ProcessEnv = process.env): VeriscanPaths {
  const home = env.VERISCAN_HOME;
  const stateDir = home !== undefined && home !== '' ? resolve(home) : join(REPO_ROOT, '.veriscan');
  return {
    repoRoot: REPO_ROOT,
    stateDir,
    cryptoDir: join(stateDir, 'crypto'),
    profileFile: join(stateDir, 'network.json'),
  };
}
