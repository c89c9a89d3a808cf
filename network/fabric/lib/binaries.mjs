// Finds Fabric's binaries in FABRIC_BIN. The project never builds or bundles Fabric: users bring the
// release binaries, and a missing one is reported with the way to get them.
import { accessSync, constants, existsSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';

export const REQUIRED_BINARIES = Object.freeze([
  'peer',
  'orderer',
  'configtxgen',
  'osnadmin',
  'configtxlator',
]);

export const HOW_TO_GET_FABRIC = `Get Hyperledger Fabric v3.1 release binaries with Fabric's own install script
(install-fabric.sh, described in Fabric's docs under "Install Fabric and Fabric Samples"):
    ./install-fabric.sh --fabric-version 3.1.5 binary
then point FABRIC_BIN at the bin/ directory it created, e.g.
    export FABRIC_BIN=$PWD/bin`;

/** Thrown when FABRIC_BIN is unset or incomplete; its message says what is missing and how to fix it. */
export class MissingFabricError extends Error {
  constructor(message) {
    super(`${message}\n\n${HOW_TO_GET_FABRIC}`);
    this.name = 'MissingFabricError';
  }
}

/**
 * Returns absolute paths of the required binaries.
 * @throws MissingFabricError naming FABRIC_BIN or every missing binary.
 */
export function fabricBinaries(env = process.env) {
  const dir = env.FABRIC_BIN;
  if (!dir) {
    throw new MissingFabricError(
      `FABRIC_BIN is not set: it must name a directory holding ${REQUIRED_BINARIES.join(', ')}.`,
    );
  }
  const base = isAbsolute(dir) ? dir : resolve(dir);
  if (!existsSync(base)) throw new MissingFabricError(`FABRIC_BIN=${dir} does not exist.`);
  const missing = [];
  const found = {};
  for (const name of REQUIRED_BINARIES) {
    const file = join(base, name);
    try {
      accessSync(file, constants.X_OK);
      found[name] = file;
    } catch {
      missing.push(name);
    }
  }
  if (missing.length > 0) {
    throw new MissingFabricError(
      `FABRIC_BIN=${dir} lacks ${missing.map((m) => `\`${m}\``).join(', ')} (missing or not executable).`,
    );
  }
  return Object.freeze(found);
}
