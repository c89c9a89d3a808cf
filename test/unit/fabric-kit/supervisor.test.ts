import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { expect } from 'chai';

import {
  FabricKitError,
  assertPortFree,
  isPortInUse,
  isProcessAlive,
  isSupervisedProcessRunning,
  logFilePath,
  pidFilePath,
  readRunningPid,
  startSupervisedProcess,
  stopProcessByPidFile,
  stopSupervisedProcess,
  waitForPort,
  type SupervisedProcess,
  type SupervisorDirs,
} from '../../../fabric-kit/src/index';

/** A port the OS hands out (ephemeral range, far from the devnet's and real Fabric's ports). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => {
    server.close(() => {
      resolve();
    });
  });
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe('fabric-kit process supervision', function () {
  this.timeout(20_000);
  let dir: string;
  let dirs: SupervisorDirs;
  const started: SupervisedProcess[] = [];

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'veriscan-supervisor-'));
    dirs = { pidDir: join(dir, 'pids'), logDir: join(dir, 'logs') };
  });

  afterEach(async () => {
    for (const entry of started.splice(0)) await stopSupervisedProcess(entry, { graceMs: 1000 });
    rmSync(dir, { recursive: true, force: true });
  });

  /** A node process that prints a line and listens on `port` until signalled. */
  function startListener(name: string, port: number, pidFileMarker?: string): SupervisedProcess {
    const script = `console.log('hello from ${name}'); require('node:net').createServer().listen(${port}, '127.0.0.1');`;
    const entry = startSupervisedProcess({
      dirs,
      name,
      command: process.execPath,
      args: ['-e', script],
      ...(pidFileMarker === undefined ? {} : { pidFileMarker }),
    });
    started.push(entry);
    return entry;
  }

  it('starts a detached process with a log and a pid file, waits for its port and stops it', async () => {
    const port = await freePort();
    const entry = startListener('node-a', port);
    expect(entry.logFile).to.equal(logFilePath(dirs, 'node-a'));
    expect(readFileSync(pidFilePath(dirs, 'node-a'), 'utf8')).to.equal(`${entry.pid}\n`);
    await waitForPort({
      name: 'node-a',
      port,
      isAlive: () => isProcessAlive(entry.pid),
      logFile: entry.logFile,
    });
    expect(isSupervisedProcessRunning(entry)).to.equal(true);
    expect(await isPortInUse(port)).to.equal(true);
    const refused = await rejection(assertPortFree(port, 'node-a port'));
    expect(refused).to.be.instanceOf(FabricKitError);
    expect((refused as FabricKitError).code).to.equal('PORT_IN_USE');
    expect(readFileSync(entry.logFile, 'utf8')).to.contain('hello from node-a');

    expect(await stopSupervisedProcess(entry)).to.equal(true);
    expect(isSupervisedProcessRunning(entry)).to.equal(false);
    expect(await stopSupervisedProcess(entry)).to.equal(false);
    expect(await isPortInUse(port)).to.equal(false);
  });

  it('does not take a recycled pid for the recorded process', () => {
    const impostor: SupervisedProcess = {
      pid: process.pid,
      command: process.execPath,
      args: ['not-what-this-process-runs.js'],
      logFile: join(dir, 'none.log'),
      startedAt: new Date().toISOString(),
    };
    expect(isSupervisedProcessRunning(impostor)).to.equal(false);
  });

  it('finds and stops a process by its pid file and marker', async () => {
    const port = await freePort();
    const entry = startListener('node-b', port, 'hello from node-b');
    expect(readFileSync(pidFilePath(dirs, 'node-b'), 'utf8')).to.equal(`${entry.pid}\nhello from node-b\n`);
    await waitForPort({ name: 'node-b', port, isAlive: () => isProcessAlive(entry.pid) });
    expect(readRunningPid(dirs, 'node-b')).to.equal(entry.pid);
    expect(await stopProcessByPidFile(dirs, 'node-b')).to.equal(true);
    // (Not isProcessAlive: this test is the child's parent, so it may linger as a zombie until reaped.)
    expect(isSupervisedProcessRunning(entry)).to.equal(false);
    expect(readRunningPid(dirs, 'node-b')).to.equal(undefined);
    expect(await stopProcessByPidFile(dirs, 'node-b')).to.equal(false);
  });

  it('ignores a pid file whose pid now runs something without the marker', () => {
    mkdirSync(dirs.pidDir, { recursive: true });
    writeFileSync(join(dirs.pidDir, 'stale.pid'), `${process.pid}\n/no/such/script.js\n`);
    expect(readRunningPid(dirs, 'stale')).to.equal(undefined);
    writeFileSync(join(dirs.pidDir, 'bare.pid'), `${process.pid}\n`);
    expect(readRunningPid(dirs, 'bare')).to.equal(process.pid);
  });

  it('fails the wait with the log tail when the process exits before listening', async () => {
    const port = await freePort();
    const entry = startSupervisedProcess({
      dirs,
      name: 'crasher',
      command: process.execPath,
      args: ['-e', "console.error('cannot start: bad config'); process.exit(3)"],
    });
    started.push(entry);
    const error = await rejection(
      waitForPort({
        name: 'crasher',
        port,
        isAlive: () => isProcessAlive(entry.pid),
        logFile: entry.logFile,
      }),
    );
    expect(error).to.be.instanceOf(FabricKitError);
    expect((error as FabricKitError).code).to.equal('NOT_LISTENING');
    expect((error as FabricKitError).message)
      .to.contain('crasher exited before listening')
      .and.to.contain('cannot start: bad config');
  });

  it('gives up waiting after the timeout', async () => {
    const port = await freePort();
    const error = await rejection(
      waitForPort({ name: 'idle', port, isAlive: () => true, timeoutMs: 300, pollMs: 50 }),
    );
    expect((error as FabricKitError).code).to.equal('NOT_LISTENING');
    expect((error as FabricKitError).message).to.contain(`idle did not start listening on port ${port}`);
  });

  it('reports a program that cannot be started', () => {
    let error: unknown;
    try {
      startSupervisedProcess({ dirs, name: 'ghost', command: join(dir, 'no-such-binary'), args: [] });
    } catch (e) {
      error = e;
    }
    expect(error).to.be.instanceOf(FabricKitError);
    expect((error as FabricKitError).code).to.equal('SPAWN_FAILED');
  });
});

describe('fabric-kit port check', () => {
  it('sees a listening server and a free port', async () => {
    const server: Server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('no port');
    try {
      expect(await isPortInUse(address.port)).to.equal(true);
    } finally {
      await new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
      });
    }
    expect(await isPortInUse(address.port)).to.equal(false);
  });
});
