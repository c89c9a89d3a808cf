/**
 * Process supervision by pid, shared by the devnet CLI (`network/devnet`) and the real-Fabric launcher
 * (`network/fabric`). A supervised process is started detached, with its output appended to
 * `<logDir>/<name>.log` and its pid in `<pidDir>/<name>.pid`, so it outlives the command that started
 * it; later commands recognise it only while its command line (read from `/proc/<pid>/cmdline`) still
 * matches what was started, so a pid recycled by an unrelated program is never signalled.
 *
 * Two ways to recognise a process, for the two callers' state files:
 * - by its {@link SupervisedProcess} record (the exact command line; the real-Fabric launcher keeps these
 *   in its `state.json`): {@link isSupervisedProcessRunning}, {@link stopSupervisedProcess};
 * - by its pid file alone, whose optional second line is a marker the command line must contain (the
 *   devnet's pid files): {@link readRunningPid}, {@link stopProcessByPidFile}.
 */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { FabricKitError } from './errors';

/** Where supervised processes keep their pid files and logs. */
export interface SupervisorDirs {
  /** `<name>.pid`: the pid on the first line, an optional command-line marker on the second. */
  readonly pidDir: string;
  /** `<name>.log`: stdout and stderr, appended across restarts. */
  readonly logDir: string;
}

/** What was started: enough to recognise the process later and to find its log. */
export interface SupervisedProcess {
  readonly pid: number;
  /** The executable, as given to spawn (no shell in between, so the pid is the program's own). */
  readonly command: string;
  readonly args: readonly string[];
  readonly logFile: string;
  /** ISO 8601 start time. */
  readonly startedAt: string;
}

/** What {@link startSupervisedProcess} starts. */
export type StartProcessOptions = Readonly<{
  dirs: SupervisorDirs;
  /** The process's name: its pid file and log are named after it, e.g. `peer0.lab-1`. */
  name: string;
  command: string;
  args: readonly string[];
  cwd?: string;
  /** The whole environment; default: this process's. */
  env?: NodeJS.ProcessEnv;
  /**
   * Written as the pid file's second line: text the command line must contain for the pid file to
   * name this process (see {@link readRunningPid}). Omitted: the pid file holds the pid alone.
   */
  pidFileMarker?: string;
}>;

/** Options of the stop functions. */
export type StopOptions = Readonly<{
  /** How long to wait after SIGTERM before SIGKILL. */
  graceMs?: number;
}>;

/** What {@link waitForPort} waits for. */
export type WaitForPortOptions = Readonly<{
  /** The process's name, for the error message. */
  name: string;
  port: number;
  /** Default `127.0.0.1`. */
  host?: string;
  /** Checked between attempts, so a process that crashed fails the wait at once. */
  isAlive: () => boolean;
  /** The process's log; its last lines go into the error. */
  logFile?: string;
  /** Default 30 s. */
  timeoutMs?: number;
  /** Default 100 ms. */
  pollMs?: number;
}>;

const DEFAULT_PORT_TIMEOUT_MS = 30_000;
/** After SIGKILL the kernel removes a process promptly; this only bounds a wait that should not hang. */
const AFTER_KILL_MS = 5_000;

/** `<pidDir>/<name>.pid`. */
export function pidFilePath(dirs: SupervisorDirs, name: string): string {
  return join(dirs.pidDir, `${name}.pid`);
}

/** `<logDir>/<name>.log`. */
export function logFilePath(dirs: SupervisorDirs, name: string): string {
  return join(dirs.logDir, `${name}.log`);
}

/** True when a process with this pid exists (any owner's; see {@link isSupervisedProcessRunning}). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The argv /proc reports for `pid`, or undefined where it cannot be read (no /proc, or gone). */
function commandLineOf(pid: number): string[] | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8')
      .split('\0')
      .filter((arg) => arg !== '');
  } catch {
    return undefined;
  }
}

/**
 * Starts `command args` detached, stdout and stderr appended to `<logDir>/<name>.log`, and writes its
 * pid file. The process is not a child to wait for: it keeps running after this process exits.
 * @throws FabricKitError `SPAWN_FAILED` when the operating system gives no pid.
 */
export function startSupervisedProcess(options: StartProcessOptions): SupervisedProcess {
  const { dirs, name, command, args, cwd, env, pidFileMarker } = options;
  mkdirSync(dirs.pidDir, { recursive: true });
  mkdirSync(dirs.logDir, { recursive: true });
  const logFile = logFilePath(dirs, name);
  const out = openSync(logFile, 'a');
  let pid: number | undefined;
  let spawnError: unknown;
  try {
    const child = spawn(command, [...args], {
      cwd,
      env: env ?? process.env,
      detached: true,
      stdio: ['ignore', out, out],
    });
    // A failed spawn also emits 'error' later; without a listener that would end this process.
    child.once('error', (error) => {
      spawnError = error;
    });
    pid = child.pid;
    child.unref();
  } finally {
    closeSync(out);
  }
  if (pid === undefined)
    throw new FabricKitError('SPAWN_FAILED', `could not start ${name} (${command})`, { cause: spawnError });
  writeFileSync(
    pidFilePath(dirs, name),
    pidFileMarker === undefined ? `${pid}\n` : `${pid}\n${pidFileMarker}\n`,
  );
  return { pid, command, args: [...args], logFile, startedAt: new Date().toISOString() };
}

/**
 * True when the recorded process is alive and, where /proc exists, still runs exactly the recorded
 * command line.
 */
export function isSupervisedProcessRunning(entry: SupervisedProcess | undefined): boolean {
  if (entry === undefined || !Number.isInteger(entry.pid) || entry.pid <= 0) return false;
  if (!isProcessAlive(entry.pid)) return false;
  const argv = commandLineOf(entry.pid);
  if (argv === undefined) return !existsSync('/proc');
  return argv[0] === entry.command && argv.join(' ') === [entry.command, ...entry.args].join(' ');
}

/** The pid file's pid and marker, or undefined when there is none or it holds no pid. */
function readPidFile(dirs: SupervisorDirs, name: string): { pid: number; marker: string } | undefined {
  const file = pidFilePath(dirs, name);
  if (!existsSync(file)) return undefined;
  const [pidLine = '', marker = ''] = readFileSync(file, 'utf8').split('\n');
  const pid = Number.parseInt(pidLine.trim(), 10);
  return Number.isInteger(pid) && pid > 0 ? { pid, marker } : undefined;
}

/** True when `pid` is alive and its command line contains `marker` (where /proc can tell). */
function runsMarker(pid: number, marker: string): boolean {
  if (!isProcessAlive(pid)) return false;
  if (marker === '') return true;
  const argv = commandLineOf(pid);
  return argv === undefined || argv.join(' ').includes(marker);
}

/**
 * The pid of the running process named by `<pidDir>/<name>.pid`, or undefined. When the pid file has a
 * marker, a pid now used by a process whose command line lacks it is not ours and is ignored.
 */
export function readRunningPid(dirs: SupervisorDirs, name: string): number | undefined {
  const recorded = readPidFile(dirs, name);
  return recorded !== undefined && runsMarker(recorded.pid, recorded.marker) ? recorded.pid : undefined;
}

/** Removes `<pidDir>/<name>.pid` (nothing if there is none). */
export function removePidFile(dirs: SupervisorDirs, name: string): void {
  rmSync(pidFilePath(dirs, name), { force: true });
}

/** SIGTERM; SIGKILL once `graceMs` passed; resolves once `running()` says the process is gone. */
async function terminate(pid: number, running: () => boolean, graceMs: number): Promise<boolean> {
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return false; // gone between the check and the signal
  }
  const deadline = Date.now() + graceMs;
  while (running() && Date.now() < deadline) await sleep(50);
  if (running()) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
    const killDeadline = Date.now() + AFTER_KILL_MS;
    while (running() && Date.now() < killDeadline) await sleep(50);
  }
  return true;
}

/**
 * Stops a recorded process: SIGTERM, then SIGKILL after `graceMs` (default 10 s). The pid file is left
 * to the caller ({@link removePidFile}).
 * @returns false when it was not running (then nothing is signalled).
 */
export async function stopSupervisedProcess(
  entry: SupervisedProcess | undefined,
  options: StopOptions = {},
): Promise<boolean> {
  if (entry === undefined || !isSupervisedProcessRunning(entry)) return false;
  return terminate(entry.pid, () => isSupervisedProcessRunning(entry), options.graceMs ?? 10_000);
}

/**
 * Stops the process named by `<pidDir>/<name>.pid` (SIGTERM, then SIGKILL after `graceMs`, default
 * 5 s) and removes the pid file.
 * @returns false when it was not running.
 */
export async function stopProcessByPidFile(
  dirs: SupervisorDirs,
  name: string,
  options: StopOptions = {},
): Promise<boolean> {
  const recorded = readPidFile(dirs, name);
  removePidFile(dirs, name);
  if (recorded === undefined || !runsMarker(recorded.pid, recorded.marker)) return false;
  return terminate(recorded.pid, () => runsMarker(recorded.pid, recorded.marker), options.graceMs ?? 5_000);
}

/** The last `lines` lines of a log, for error messages. */
export function tailOfLog(logFile: string, lines = 15): string {
  if (!existsSync(logFile)) return '(no log)';
  return readFileSync(logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
}

/** Resolves true when something accepts a TCP connection on `host:port`. */
export function acceptsConnections(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.setTimeout(2_000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => {
      resolve(false);
    });
  });
}

/**
 * Resolves once `port` accepts connections.
 * @throws FabricKitError `NOT_LISTENING` when the process exits first or `timeoutMs` passes; the
 *   message ends with the last lines of its log.
 */
export async function waitForPort(options: WaitForPortOptions): Promise<void> {
  const { name, port, host = '127.0.0.1', isAlive, logFile } = options;
  const timeoutMs = options.timeoutMs ?? DEFAULT_PORT_TIMEOUT_MS;
  const deadline = Date.now() + timeoutMs;
  let problem = `did not start listening on port ${port} within ${Math.round(timeoutMs / 1000)}s`;
  while (Date.now() < deadline) {
    if (await acceptsConnections(port, host)) return;
    if (!isAlive()) {
      problem = `exited before listening on port ${port}`;
      break;
    }
    await sleep(options.pollMs ?? 100);
  }
  const log = logFile === undefined ? '' : `; last lines of ${logFile}:\n${tailOfLog(logFile)}`;
  throw new FabricKitError('NOT_LISTENING', `${name} ${problem}${log}`);
}

/** True when a server cannot listen on `host:port` now (another program holds it). */
export function isPortInUse(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => {
      resolve(true);
    });
    server.listen({ port, host, exclusive: true }, () => {
      server.close(() => {
        resolve(false);
      });
    });
  });
}

/**
 * Resolves when nothing holds `127.0.0.1:port`.
 * @param what the port's use, for the message, e.g. `peer0.lab-1 chaincode port`.
 * @throws FabricKitError `PORT_IN_USE`.
 */
export async function assertPortFree(port: number, what: string): Promise<void> {
  if (await isPortInUse(port))
    throw new FabricKitError(
      'PORT_IN_USE',
      `port ${port} (${what}) is already in use by a process this launcher did not start`,
    );
}
