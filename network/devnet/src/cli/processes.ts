/** Starting and stopping supervised node processes by pid file (`.veriscan/devnet/pids`). */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync, closeSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { DevnetError } from '../errors';

export interface ProcessPaths {
  readonly pidDir: string;
  readonly logDir: string;
}

export function pidFile(paths: ProcessPaths, name: string): string {
  return join(paths.pidDir, `${name}.pid`);
}

export function logFile(paths: ProcessPaths, name: string): string {
  return join(paths.logDir, `${name}.log`);
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** What /proc says the process runs, or undefined where /proc is not available. */
function commandLineOf(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
  } catch {
    return undefined;
  }
}

/**
 * The pid of a running process started under `name`, or undefined. The pid file also records the
 * script the process runs, so a pid reused by an unrelated process after a crash is not mistaken
 * for ours (and never signalled).
 */
export function runningPid(paths: ProcessPaths, name: string): number | undefined {
  const file = pidFile(paths, name);
  if (!existsSync(file)) return undefined;
  const [pidLine = '', marker = ''] = readFileSync(file, 'utf8').split('\n');
  const pid = Number.parseInt(pidLine.trim(), 10);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return undefined;
  const cmdline = commandLineOf(pid);
  if (marker !== '' && cmdline !== undefined && !cmdline.includes(marker)) return undefined;
  return pid;
}

export function startProcess(
  paths: ProcessPaths,
  name: string,
  command: string,
  args: readonly string[],
  options: Readonly<{ cwd?: string; env?: NodeJS.ProcessEnv; marker?: string }> = {},
): number {
  mkdirSync(paths.pidDir, { recursive: true });
  mkdirSync(paths.logDir, { recursive: true });
  const out = openSync(logFile(paths, name), 'a');
  const child = spawn(command, [...args], {
    cwd: options.cwd,
    env: options.env ?? process.env,
    detached: true,
    stdio: ['ignore', out, out],
  });
  closeSync(out);
  if (child.pid === undefined) throw new DevnetError('UNAVAILABLE', `could not start ${name}`);
  child.unref();
  // The script (default: the first argument) identifies the process in /proc/<pid>/cmdline.
  writeFileSync(pidFile(paths, name), `${child.pid}\n${options.marker ?? args[0] ?? command}\n`);
  return child.pid;
}

/** SIGTERM, then SIGKILL after `graceMs`; removes the pid file. */
export async function stopProcess(paths: ProcessPaths, name: string, graceMs = 5000): Promise<boolean> {
  const pid = runningPid(paths, name);
  rmSync(pidFile(paths, name), { force: true });
  if (pid === undefined) return false;
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return false;
  }
  const deadline = Date.now() + graceMs;
  while (isAlive(pid) && Date.now() < deadline) await sleep(50);
  if (isAlive(pid)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  return true;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => {
      resolve(false);
    });
  });
}

/** Waits until `port` accepts connections while `pid` lives. @throws Error with the log's tail otherwise. */
export async function waitForPort(
  paths: ProcessPaths,
  name: string,
  pid: number,
  port: number,
  timeoutMs = 30000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await portOpen(port)) return;
    if (!isAlive(pid)) break;
    await sleep(100);
  }
  const log = existsSync(logFile(paths, name))
    ? readFileSync(logFile(paths, name), 'utf8').split('\n').slice(-15).join('\n')
    : '';
  throw new DevnetError(
    'UNAVAILABLE',
    `${name} did not start listening on port ${port}; last log lines:\n${log}`,
  );
}

export { portOpen };
