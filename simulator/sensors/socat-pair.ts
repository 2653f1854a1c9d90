/**
 * A pair of connected pseudo-terminals made by socat, so the real serialport driver code can talk
 * to a simulated module: the driver opens `a`, the simulated module opens `b`. Killing socat is
 * how tests pull the plug (both ends see the line go away). A pty has no line speed: see
 * line-pacer.ts for the timing model.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface PtyPair {
  /** the path the driver opens */
  readonly a: string;
  /** the path the simulated module opens */
  readonly b: string;
  readonly pid: number;
  /** kills socat at once: the "cable pulled" event for both ends */
  unplug(): void;
  /** stops socat (if still running) and removes the links */
  close(): Promise<void>;
}

export interface SocatOptions {
  /** where the links go (a fresh temporary folder by default) */
  dir?: string;
  socatPath?: string;
  startTimeoutMs?: number;
}

export function socatAvailable(socatPath = '/usr/bin/socat'): boolean {
  return existsSync(socatPath);
}

export async function startSocatPair(options: SocatOptions = {}): Promise<PtyPair> {
  const ownDir = options.dir === undefined;
  const dir = options.dir ?? mkdtempSync(path.join(tmpdir(), 'ektp-pty-'));
  const a = path.join(dir, 'A');
  const b = path.join(dir, 'B');
  const child = spawn(
    options.socatPath ?? 'socat',
    ['-d', '-d', `pty,raw,echo=0,link=${a}`, `pty,raw,echo=0,link=${b}`],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  // A socat that never started (not installed) emits 'error' and no 'exit'.
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.once('error', () => resolve());
  });
  const cleanup = () => {
    if (ownDir) rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitForReady(child, [a, b], options.startTimeoutMs ?? 5_000);
  } catch (e) {
    child.kill('SIGKILL');
    await exited;
    cleanup();
    throw e;
  }
  return {
    a,
    b,
    pid: child.pid!,
    unplug: () => {
      child.kill('SIGKILL');
    },
    close: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
      cleanup();
    },
  };
}

/** socat says "starting data transfer loop" once both ptys exist; the links are checked too. */
function waitForReady(child: ChildProcess, links: string[], timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let stderr = '';
    let started = false;
    const timer = setTimeout(
      () => finish(new Error(`socat did not start within ${timeoutMs} ms: ${stderr.trim()}`)),
      timeoutMs,
    );
    const poll = setInterval(() => {
      if (started && links.every((l) => existsSync(l))) finish();
    }, 10);
    const finish = (error?: Error) => {
      clearTimeout(timer);
      clearInterval(poll);
      child.stderr?.removeAllListeners('data');
      child.removeListener('exit', onExit);
      child.removeListener('error', onError);
      child.stderr?.resume(); // keep draining so socat never blocks on a full pipe
      if (error) reject(error);
      else resolve();
    };
    const onExit = (code: number | null) =>
      finish(new Error(`socat exited (${code}) before starting: ${stderr.trim()}`));
    const onError = (e: Error) => finish(e);
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (stderr.includes('starting data transfer loop')) started = true;
    });
    child.once('exit', onExit);
    child.once('error', onError);
  });
}
