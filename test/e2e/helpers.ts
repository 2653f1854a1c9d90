import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const BIN = new URL('../../src/cli/bin.js', import.meta.url).pathname;

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

/** Runs `ektp-bridge serve --simulate` as a child on a free port with its own dataDir. */
export async function startSimulatedDaemon(extraEnv: Record<string, string> = {}): Promise<{
  port: number;
  env: NodeJS.ProcessEnv;
  proc: ChildProcess;
  stderr: () => string;
  stop: () => Promise<void>;
}> {
  const port = await freePort();
  const env = {
    ...process.env,
    EKTP_BRIDGE_PORT: String(port),
    EKTP_BRIDGE_DATADIR: mkdtempSync(join(tmpdir(), 'ektp-e2e-')),
    EKTP_BRIDGE_LOGLEVEL: 'info',
    ...extraEnv,
  };
  const proc = spawn(process.execPath, [BIN, 'serve', '--simulate'], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  proc.stderr!.on('data', (d) => {
    err += d;
  });
  const deadline = Date.now() + 30_000;
  while (!err.includes('ektp-bridge listening')) {
    if (proc.exitCode !== null) throw new Error(`daemon exited: ${err}`);
    if (Date.now() > deadline) throw new Error(`daemon did not start: ${err}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    port,
    env,
    proc,
    stderr: () => err,
    stop: async () => {
      if (proc.exitCode !== null) return;
      const exited = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGTERM');
      await exited;
    },
  };
}

export function runCli(
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => {
      stdout += d;
    });
    p.stderr.on('data', (d) => {
      stderr += d;
    });
    p.on('exit', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}
