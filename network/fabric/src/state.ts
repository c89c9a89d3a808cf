/**
 * The launcher's memory, `.veriscan/fabric/state.json`: the topology the network was created with, each
 * process it started (pid and exact command line, so `down` stops only those; see fabric-kit's
 * supervisor) and the installed package ids.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { SupervisedProcess } from '@veriscan/fabric-kit';
import { FabricNetworkError } from './errors';
import { isTopologyKey, type TopologyKey } from './topology';

/** state.json. Mutable: the launcher records each step as it goes, so a failed `up` can still be stopped. */
export interface LauncherState {
  /** Each process the launcher started and that has not been stopped, by name (`orderer0`, `peer0.lab-1`, …). */
  processes: Record<string, SupervisedProcess>;
  /** Fixed when the network is created; `clean` forgets it. */
  topology?: TopologyKey;
  /** Installed package id per org key. */
  packages?: Record<string, string>;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isSupervisedProcess(value: unknown): value is SupervisedProcess {
  return (
    isRecord(value) &&
    typeof value.pid === 'number' &&
    typeof value.command === 'string' &&
    Array.isArray(value.args) &&
    value.args.every((arg) => typeof arg === 'string') &&
    typeof value.logFile === 'string' &&
    typeof value.startedAt === 'string'
  );
}

/**
 * Reads state.json, or an empty state when there is none.
 * @throws FabricNetworkError `CORRUPT_STATE` when the file is not a launcher state file.
 */
export function readState(stateFile: string): LauncherState {
  if (!existsSync(stateFile)) return { processes: {} };
  const corrupt = (cause?: unknown): FabricNetworkError =>
    new FabricNetworkError(
      'CORRUPT_STATE',
      `${stateFile} is not a launcher state file; remove it or run \`clean\``,
      { cause },
    );
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(stateFile, 'utf8'));
  } catch (error) {
    throw corrupt(error);
  }
  if (!isRecord(parsed) || !isRecord(parsed.processes)) throw corrupt();
  const processes: Record<string, SupervisedProcess> = {};
  for (const [name, entry] of Object.entries(parsed.processes)) {
    if (!isSupervisedProcess(entry)) throw corrupt();
    processes[name] = entry;
  }
  const state: LauncherState = { processes };
  if (parsed.topology !== undefined) {
    if (!isTopologyKey(parsed.topology)) throw corrupt();
    state.topology = parsed.topology;
  }
  if (parsed.packages !== undefined) {
    if (!isRecord(parsed.packages)) throw corrupt();
    const packages: Record<string, string> = {};
    for (const [org, id] of Object.entries(parsed.packages)) {
      if (typeof id !== 'string') throw corrupt();
      packages[org] = id;
    }
    state.packages = packages;
  }
  return state;
}

/** Writes state.json. */
export function writeState(stateFile: string, state: LauncherState): void {
  mkdirSync(dirname(stateFile), { recursive: true });
  writeFileSync(stateFile, `${JSON.stringify(state, null, 2)}\n`);
}
