// Supervision by pid: start detached processes with their output in .veriscan/fabric/logs/, remember
// exactly what was started in state.json, and stop only those processes (checked against their command line
// so a recycled pid is never signalled).
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';

/** Reads state.json, or an empty state when there is none. */
export function readState(stateFile) {
  if (!existsSync(stateFile)) return { processes: {} };
  const parsed = JSON.parse(readFileSync(stateFile, 'utf8'));
  if (
    typeof parsed !== 'object' ||
    parsed === null ||
    typeof parsed.processes !== 'object' ||
    parsed.processes === null
  ) {
    throw new Error(`${stateFile} is not a launcher state file; remove it or run \`clean\``);
  }
  return parsed;
}

export function writeState(stateFile, state) {
  mkdirSync(dirname(stateFile), { recursive: true });
  writeFileSync(stateFile, `${JSON.stringify(state, null, 2)}\n`);
}

function cmdlineOf(pid) {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  } catch {
    return null;
  }
}

/** True when `entry.pid` is alive and (where /proc exists) still runs the command that was recorded. */
export function isRunning(entry) {
  if (!entry || !Number.isInteger(entry.pid)) return false;
  try {
    process.kill(entry.pid, 0);
  } catch {
    return false;
  }
  const argv = cmdlineOf(entry.pid);
  if (argv === null) return existsSync('/proc') ? false : true;
  return argv[0] === entry.command && argv.join(' ') === [entry.command, ...entry.args].join(' ');
}

/** Resolves when nothing listens on 127.0.0.1:port; rejects naming the port otherwise. */
export function assertPortFree(port, what) {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', () => {
      reject(new Error(`port ${port} (${what}) is already in use by a process this launcher did not start`));
    });
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => server.close(() => resolve()));
  });
}

/**
 * Starts `command args` detached, output appended to logs/<name>.log, and returns the entry to record.
 * The pid is the process's own (no shell in between), so `stop` signals exactly it.
 */
export function startProcess({ name, command, args, cwd, env, logDir }) {
  mkdirSync(logDir, { recursive: true });
  const logFile = join(logDir, `${name}.log`);
  const fd = openSync(logFile, 'a');
  try {
    const child = spawn(command, args, { cwd, env, detached: true, stdio: ['ignore', fd, fd] });
    if (child.pid === undefined) throw new Error(`could not start ${command}`);
    child.unref();
    return { pid: child.pid, command, args, logFile, startedAt: new Date().toISOString() };
  } finally {
    closeSync(fd);
  }
}

/** The last lines of a log, for error messages. */
export function tailOf(logFile, lines = 15) {
  if (!existsSync(logFile)) return '(no log)';
  return readFileSync(logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone. */
export async function stopProcess(entry, graceMs = 10_000) {
  if (!isRunning(entry)) return false;
  process.kill(entry.pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!isRunning(entry)) return true;
    await delay(100);
  }
  if (isRunning(entry)) process.kill(entry.pid, 'SIGKILL');
  while (isRunning(entry)) await delay(50);
  return true;
}

/** Mirrors one process in pids/<name>.pid (one number), for tools that read pid files, e.g. the test support. */
export function writePidFile(pidDir, name, entry) {
  mkdirSync(pidDir, { recursive: true });
  writeFileSync(join(pidDir, `${name}.pid`), `${entry.pid}\n`);
}

export function removePidFile(pidDir, name) {
  rmSync(join(pidDir, `${name}.pid`), { force: true });
}
