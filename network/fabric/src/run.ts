/** Runs Fabric's CLIs (configtxgen, osnadmin, peer) to completion and turns a failure into one readable error. */
import { spawnSync } from 'node:child_process';
import { basename } from 'node:path';
import { FabricNetworkError } from './errors';

/** How to run a command. */
export type RunOptions = Readonly<{
  /** The whole environment; default: this process's. */
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Default 120 s. */
  timeoutMs?: number;
}>;

/** A finished command. */
export interface RunResult {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs a command; returns its exit status and output without throwing on a non-zero exit.
 * @throws FabricNetworkError `COMMAND_FAILED` when it cannot run at all (missing, timed out).
 */
export function tryRunCommand(command: string, args: readonly string[], options: RunOptions = {}): RunResult {
  const result = spawnSync(command, args, {
    env: options.env,
    cwd: options.cwd,
    encoding: 'utf8',
    timeout: options.timeoutMs ?? 120_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.error !== undefined)
    throw new FabricNetworkError(
      'COMMAND_FAILED',
      `${basename(command)} could not run: ${result.error.message}`,
      { cause: result.error },
    );
  return { status: result.status ?? 1, stdout: result.stdout, stderr: result.stderr };
}

/**
 * Runs a command.
 * @throws FabricNetworkError `COMMAND_FAILED` with the last lines of its output when it fails.
 */
export function runCommand(command: string, args: readonly string[], options: RunOptions = {}): RunResult {
  const result = tryRunCommand(command, args, options);
  if (result.status !== 0) {
    const output = `${result.stdout}\n${result.stderr}`.trim().split('\n').slice(-20).join('\n');
    throw new FabricNetworkError(
      'COMMAND_FAILED',
      `${basename(command)} ${args.slice(0, 3).join(' ')} failed (exit ${result.status}):\n${output}`,
    );
  }
  return result;
}
