/**
 * Finds Fabric's binaries in FABRIC_BIN. The project never builds or bundles Fabric: users bring the
 * release binaries, and a missing one is reported with the way to get them.
 */
import { accessSync, constants, existsSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { FabricNetworkError } from './errors';

export const REQUIRED_BINARIES = Object.freeze([
  'peer',
  'orderer',
  'configtxgen',
  'osnadmin',
  'configtxlator',
] as const);

/** One of Fabric's binaries the launcher runs. */
export type FabricBinary = (typeof REQUIRED_BINARIES)[number];

/** Absolute paths of the required binaries. */
export type FabricBinaries = Readonly<Record<FabricBinary, string>>;

export const HOW_TO_GET_FABRIC = `Get Hyperledger Fabric v3.1 release binaries with Fabric's own install script
(install-fabric.sh, described in Fabric's docs under "Install Fabric and Fabric Samples"):
    ./install-fabric.sh --fabric-version 3.1.5 binary
then point FABRIC_BIN at the bin/ directory it created, e.g.
    export FABRIC_BIN=$PWD/bin`;

function missingBinaries(message: string): FabricNetworkError {
  return new FabricNetworkError('MISSING_BINARIES', `${message}\n\n${HOW_TO_GET_FABRIC}`);
}

/**
 * Returns absolute paths of the required binaries.
 * @throws FabricNetworkError `MISSING_BINARIES` naming FABRIC_BIN or every missing binary, and how to
 *   get them.
 */
export function fabricBinaries(env: NodeJS.ProcessEnv = process.env): FabricBinaries {
  const dir = env.FABRIC_BIN;
  if (dir === undefined || dir === '') {
    throw missingBinaries(
      `FABRIC_BIN is not set: it must name a directory holding ${REQUIRED_BINARIES.join(', ')}.`,
    );
  }
  const base = isAbsolute(dir) ? dir : resolve(dir);
  if (!existsSync(base)) throw missingBinaries(`FABRIC_BIN=${dir} does not exist.`);
  const missing: FabricBinary[] = [];
  const found: Partial<Record<FabricBinary, string>> = {};
  for (const name of REQUIRED_BINARIES) {
    const file = join(base, name);
    try {
      accessSync(file, constants.X_OK);
      found[name] = file;
    } catch {
      missing.push(name);
    }
  }
  const { peer, orderer, configtxgen, osnadmin, configtxlator } = found;
  if (
    peer === undefined ||
    orderer === undefined ||
    configtxgen === undefined ||
    osnadmin === undefined ||
    configtxlator === undefined
  ) {
    throw missingBinaries(
      `FABRIC_BIN=${dir} lacks ${missing.map((m) => `\`${m}\``).join(', ')} (missing or not executable).`,
    );
  }
  return Object.freeze({ peer, orderer, configtxgen, osnadmin, configtxlator });
}
