import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { BridgeError } from '../../../protocols/errors.ts';
import { LOCK_FILE, lockDataDir } from '../../../src/daemon/data-dir-lock.ts';

const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
});

/** a live process whose command line is `node -e … <args>` */
function liveProcess(...args: string[]): number {
  const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)', ...args], { stdio: 'ignore' });
  children.push(child);
  return child.pid!;
}

function refusal(dir: string): BridgeError | undefined {
  try {
    lockDataDir(dir)();
    return undefined;
  } catch (e) {
    return e as BridgeError;
  }
}

describe('one daemon per data folder (dataDir/daemon.lock)', () => {
  it('refuses a second daemon of this process until the first releases', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ektp-lock-'));
    const release = lockDataDir(dir);
    expect(readFileSync(join(dir, LOCK_FILE), 'utf8')).toBe(`${process.pid}\n`);
    const err = refusal(dir);
    expect(err?.code).toBe('BUSY');
    expect(err?.message).toMatch(/data folder .* is in use by another ektp-bridge \(pid \d+\)/);
    release();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
    expect(refusal(dir)).toBeUndefined();
  });

  it('refuses while another live serve holds it, naming its pid', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ektp-lock-'));
    const pid = liveProcess('serve', '--config', '/etc/ektp-bridge/config.json');
    writeFileSync(join(dir, LOCK_FILE), `${pid}\n`);
    const err = refusal(dir);
    expect(err?.code).toBe('BUSY');
    expect(err?.detail).toEqual({ dataDir: dir, pid });
    expect(readFileSync(join(dir, LOCK_FILE), 'utf8')).toBe(`${pid}\n`);
  });

  it('takes over a lock left by a daemon that is gone, or whose pid now runs something else', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ektp-lock-'));
    const gone = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
    await new Promise((r) => gone.on('exit', r));
    for (const pid of [gone.pid!, liveProcess('not-a-daemon'), 'garbage']) {
      writeFileSync(join(dir, LOCK_FILE), `${pid}\n`);
      const release = lockDataDir(dir);
      expect(readFileSync(join(dir, LOCK_FILE), 'utf8')).toBe(`${process.pid}\n`);
      release();
    }
  });

  it('a lock file of this pid that no daemon here holds is stale (a daemon of this process died)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ektp-lock-'));
    writeFileSync(join(dir, LOCK_FILE), `${process.pid}\n`);
    expect(refusal(dir)).toBeUndefined();
  });
});
