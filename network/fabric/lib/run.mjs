// Runs Fabric's CLIs (configtxgen, osnadmin, peer) to completion and turns a failure into one readable error.
import { spawnSync } from 'node:child_process';
import { basename } from 'node:path';

/** Runs a command; returns { status, stdout, stderr } without throwing on a non-zero exit. */
export function tryRun(command, args, { env, cwd, timeoutMs = 120_000 } = {}) {
  const result = spawnSync(command, args, {
    env,
    cwd,
    encoding: 'utf8',
    timeout: timeoutMs,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.error) throw new Error(`${basename(command)} could not run: ${result.error.message}`);
  return { status: result.status ?? 1, stdout: result.stdout ?? '', stderr: result.stderr ?? '' };
}

/** Runs a command and throws with its output when it fails. */
export function run(command, args, options = {}) {
  const result = tryRun(command, args, options);
  if (result.status !== 0) {
    const output = `${result.stdout}\n${result.stderr}`.trim().split('\n').slice(-20).join('\n');
    throw new Error(
      `${basename(command)} ${args.slice(0, 3).join(' ')} failed (exit ${result.status}):\n${output}`,
    );
  }
  return result;
}
