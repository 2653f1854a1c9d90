import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EXIT_FATAL } from '../../../src/daemon/run-daemon.ts';
import { havePython, type NotifySocket, openNotifySocket } from './notify-socket.ts';

const CHILD = resolve(import.meta.dirname, 'daemon-child.ts');
/** WATCHDOG_USEC given to the daemon: pings every 1 s expected */
const WATCHDOG_MS = 2000;

interface Child {
  proc: ChildProcess;
  stderr: () => string;
  exited: Promise<number | null>;
  send(line: string): void;
}

function startChild(dir: string, notifyPath: string): Child {
  const proc = spawn(process.execPath, ['--import', 'tsx', CHILD], {
    env: {
      ...process.env,
      NOTIFY_SOCKET: notifyPath,
      WATCHDOG_USEC: String(WATCHDOG_MS * 1000),
      EKTP_BRIDGE_PORT: '0',
      EKTP_BRIDGE_DATADIR: dir,
      EKTP_BRIDGE_LOGLEVEL: 'info',
    },
    stdio: ['pipe', 'ignore', 'pipe'],
  });
  let err = '';
  proc.stderr!.on('data', (d) => {
    err += d;
  });
  const exited = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
  return { proc, stderr: () => err, exited, send: (line) => proc.stdin!.write(`${line}\n`) };
}

const skip = !havePython();
if (skip) console.warn('skipping systemd notify tests: python3 (the fake notify socket) is not installed');

describe.skipIf(skip)('serve under systemd (Type=notify, WatchdogSec)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ektp-notify-'));
  const sockets: NotifySocket[] = [];
  const children: Child[] = [];
  afterAll(() => {
    for (const c of children) if (c.proc.exitCode === null) c.proc.kill('SIGKILL');
    for (const s of sockets) s.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function start(name: string): Promise<{ child: Child; notify: NotifySocket; port: number }> {
    const notify = await openNotifySocket(join(dir, `${name}.sock`));
    sockets.push(notify);
    const child = startChild(join(dir, name), join(dir, `${name}.sock`));
    children.push(child);
    const ready = await Promise.race([
      notify.waitFor('READY=1', 60_000),
      child.exited.then((code) => {
        throw new Error(`daemon exited (${code}) before READY: ${child.stderr()}`);
      }),
    ]);
    const port = Number(/listening on 127\.0\.0\.1:(\d+)/.exec(ready.text)?.[1]);
    return { child, notify, port };
  }

  it('sends READY=1 once /health answers, pings the watchdog, stops pinging while the loop is blocked, STOPPING=1 on SIGTERM', async () => {
    const { child, notify, port } = await start('a');
    // READY means the server listens: /health answers straight away, no retry
    const health = await fetch(`http://127.0.0.1:${port}/health`);
    expect([200, 503]).toContain(health.status);

    const since = Date.now();
    await new Promise((r) => setTimeout(r, 4500));
    const pings = notify.messages.filter((m) => m.at >= since && m.text === 'WATCHDOG=1');
    expect(pings.length).toBeGreaterThanOrEqual(3);
    expect(maxGap(pings.map((p) => p.at))).toBeLessThan(WATCHDOG_MS);

    // a loop blocked for 2.5 intervals sends no ping for that long: systemd would restart the daemon
    const blockedAt = Date.now();
    child.send(`block ${2.5 * WATCHDOG_MS}`);
    await new Promise((r) => setTimeout(r, 3.5 * WATCHDOG_MS));
    const around = notify.messages.filter((m) => m.at >= blockedAt - WATCHDOG_MS && m.text === 'WATCHDOG=1');
    expect(maxGap(around.map((p) => p.at))).toBeGreaterThan(2 * WATCHDOG_MS);
    // ...and the pings come back once the loop runs again
    expect(around.at(-1)!.at).toBeGreaterThan(blockedAt + 2.5 * WATCHDOG_MS);

    const stopAt = Date.now();
    child.proc.kill('SIGTERM');
    await notify.waitFor('STOPPING=1', 10_000, stopAt);
    expect(await child.exited).toBe(0);
  }, 120_000);

  it('exits non-zero on an uncaught exception, after logging it as fatal', async () => {
    const { child } = await start('b');
    child.send('throw');
    expect(await child.exited).toBe(EXIT_FATAL);
    expect(child.stderr()).toMatch(/"level":60.*uncaught exception: exiting/);
    expect(child.stderr()).toContain('test: uncaught');
  }, 120_000);

  it('exits non-zero on an unhandled rejection', async () => {
    const { child } = await start('c');
    child.send('reject');
    expect(await child.exited).toBe(EXIT_FATAL);
    expect(child.stderr()).toMatch(/"level":60.*unhandled rejection: exiting/);
  }, 120_000);
});

function maxGap(times: number[]): number {
  let gap = 0;
  for (let i = 1; i < times.length; i++) gap = Math.max(gap, times[i]! - times[i - 1]!);
  return gap;
}
