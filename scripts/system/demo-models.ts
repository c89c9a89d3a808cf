/**
 * The demo models on the ledger, idempotently: every version under `inference-lab/models/<id>/` is
 * proposed by the first lab, approved by a majority of the hospitals' and labs' admins (the proposer's
 * own admin left out), and every lab declares capacity for it. A version already proposed, approved or
 * declared is left as it is, so a warm start submits nothing.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { adminMemberId, orgsOfRole, PEER_ORGS, type NetworkProfile } from '@veriscan/fabric-kit';
import { parseModelManifest, registrySpec, type ModelManifest } from '@veriscan/inference-lab/runtime';
import { LedgerError, LedgerErrorCode } from '@veriscan/ledger-api';
import { isSemver } from '@veriscan/protocol';
import { Admins } from '../setup-consortium';

/** Requests each lab declares it runs at once, per model version. */
export const DEMO_CAPACITY = 4;

/** The manifests of every model version in `modelDir` (`<id>/<version>/model.json`), oldest first. */
export function demoManifests(modelDir: string): ModelManifest[] {
  const manifests: ModelManifest[] = [];
  for (const id of readdirSync(modelDir).sort()) {
    let versions: string[];
    try {
      versions = readdirSync(join(modelDir, id)).filter((v) => isSemver(v));
    } catch {
      continue;
    }
    const numeric = (v: string): number[] => v.split(/[.-]/).map((p) => Number.parseInt(p, 10));
    versions.sort((a, b) => {
      const [x, y] = [numeric(a), numeric(b)];
      for (let i = 0; i < 3; i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) - (y[i] ?? 0);
      return 0;
    });
    for (const version of versions) {
      const raw: unknown = JSON.parse(readFileSync(join(modelDir, id, version, 'model.json'), 'utf8'));
      manifests.push(parseModelManifest(raw));
    }
  }
  return manifests;
}

function isCode(error: unknown, ...codes: string[]): boolean {
  return error instanceof LedgerError && codes.includes(error.code);
}

/** Waits until every peer has committed `block` (each reads through its own org's peer). */
async function everywhere(admins: Admins, block: bigint): Promise<void> {
  await Promise.all(PEER_ORGS.map((org) => admins.committed(adminMemberId(org), block)));
}

/** Puts every demo model version on the ledger, approved and served by every lab. Returns its refs. */
export async function ensureDemoModels(
  profile: NetworkProfile,
  modelDir: string,
  log: (line: string) => void,
): Promise<string[]> {
  const labs = orgsOfRole('lab');
  const proposer = labs[0];
  if (proposer === undefined) throw new Error('the consortium has no lab');
  const voters = [...orgsOfRole('hospital'), ...labs].filter((o) => o.key !== proposer.key);
  const admins = new Admins(profile);
  const refs: string[] = [];
  try {
    for (const manifest of demoManifests(modelDir)) {
      const { modelId, version } = manifest;
      const ref = `${modelId}@${version}`;
      const reader = admins.ledger(adminMemberId(proposer));
      let model = await reader.getModel(modelId, version).catch((error: unknown) => {
        if (isCode(error, LedgerErrorCode.NOT_FOUND)) return undefined;
        throw error;
      });
      if (model === undefined) {
        log(`proposing ${ref} as ${proposer.key}`);
        const proposed = await admins.ledger(proposer.key).proposeModel({ ...registrySpec(manifest) });
        await everywhere(admins, proposed.blockNumber);
        model = proposed.value;
      }
      // Votes until the chaincode's threshold is met (the loop ends when the status leaves `proposed`).
      for (const voter of voters) {
        if (model.status !== 'proposed') break;
        const admin = adminMemberId(voter);
        try {
          log(`approving ${ref} as ${admin}`);
          const approved = await admins.ledger(admin).approveModel(modelId, version);
          await everywhere(admins, approved.blockNumber);
          model = approved.value;
        } catch (error) {
          // Already approved by this institution, or decided meanwhile: read and go on.
          if (!isCode(error, LedgerErrorCode.ALREADY_EXISTS, LedgerErrorCode.FAILED_PRECONDITION))
            throw error;
          model = await reader.getModel(modelId, version);
        }
      }
      if (model.status !== 'approved') {
        log(`${ref} is ${model.status}: not served`);
        continue;
      }
      const declared = new Set<string>((await reader.listCapacity(ref)).capacity.map((c) => c.labId));
      for (const lab of labs.filter((l) => !declared.has(l.key))) {
        log(`declaring capacity ${DEMO_CAPACITY} for ${ref} at ${lab.key}`);
        const done = await admins.ledger(lab.key).declareCapacity(ref, DEMO_CAPACITY);
        await everywhere(admins, done.blockNumber);
      }
      refs.push(ref);
    }
  } finally {
    admins.close();
  }
  return refs;
}
