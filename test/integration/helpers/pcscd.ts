import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
  unlinkSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Starts the real pcscd in the foreground with one vpcd reader entry (two slots: RF on TCP 35963,
 * SAM on 35964), as pcsc-simulation.md describes. Only one pcscd can run on a machine, so test files
 * that use it take a lock file first and run one after another.
 */
export const VPCD_LIB = '/usr/lib/pcsc/drivers/serial/libifdvpcd.so';
export const VPCD_RF_PORT = 35963;
export const VPCD_SAM_PORT = 35964;
export const VPCD_READER = 'Sim eKTP Reader';
export const RF_READER = `${VPCD_READER} 00 00`;
export const SAM_READER = `${VPCD_READER} 00 01`;
const LOCK = join(tmpdir(), 'ektp-bridge-pcscd.lock');

export function pcscdAvailable(): { ok: boolean; why?: string } {
  if (!existsSync('/usr/sbin/pcscd')) return { ok: false, why: 'pcscd is not installed (apt install pcscd)' };
  if (!existsSync(VPCD_LIB)) return { ok: false, why: 'vpcd is not installed (apt install vsmartcard-vpcd)' };
  if (process.getuid?.() !== 0)
    return { ok: false, why: 'pcscd tests need root (they start their own pcscd)' };
  return { ok: true };
}

export class Pcscd {
  private proc: ChildProcess | undefined;
  private readonly dir = mkdtempSync(join(tmpdir(), 'ektp-pcscd-'));

  constructor() {
    writeFileSync(
      join(this.dir, 'vpcd'),
      `FRIENDLYNAME "${VPCD_READER}"\nDEVICENAME   /dev/null:${VPCD_RF_PORT}\nLIBPATH      ${VPCD_LIB}\nCHANNELID    ${VPCD_RF_PORT}\n`,
    );
  }

  async start(): Promise<void> {
    killStrayPcscd();
    this.proc = spawn('/usr/sbin/pcscd', ['--foreground', '--config', this.dir], { stdio: 'ignore' });
    this.proc.on('error', () => {});
    // ready when vpcd listens on its port
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      if (existsSync('/run/pcscd/pcscd.comm') && (await portOpen(VPCD_RF_PORT))) return;
      await sleep(50);
    }
    throw new Error('pcscd did not start within 10 s');
  }

  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const p = this.proc;
    this.proc = undefined;
    if (!p || p.exitCode !== null) return;
    const exited = new Promise((r) => p.once('exit', r));
    p.kill(signal);
    await Promise.race([exited, sleep(3000)]);
    if (p.exitCode === null) {
      p.kill('SIGKILL');
      await exited;
    }
  }

  /** kills pcscd (SIGKILL: no clean shutdown, as in a crash) and starts it again */
  async restart(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    await this.stop(signal);
    await this.start();
  }

  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Serialises test files that need the machine's single pcscd. */
export async function withPcscdLock(): Promise<() => void> {
  for (;;) {
    try {
      // the holder's pid is in the file, so a lock left by a test process that died (killed, or a
      // crashed worker) is taken over instead of making every later pcscd test wait for ever
      const fd = openSync(LOCK, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => {
        try {
          unlinkSync(LOCK);
        } catch {}
      };
    } catch {
      if (lockHolderGone()) {
        try {
          unlinkSync(LOCK);
        } catch {}
        continue;
      }
      await sleep(200);
    }
  }
}

function lockHolderGone(): boolean {
  let pid: number;
  try {
    pid = Number(readFileSync(LOCK, 'utf8'));
  } catch {
    return false; // just released, or being written: look again
  }
  if (!Number.isInteger(pid) || pid <= 0) {
    // written by an older helper without a pid, or torn: stale once it is older than any test
    try {
      return Date.now() - statSync(LOCK).mtimeMs > 10 * 60_000;
    } catch {
      return false;
    }
  }
  try {
    process.kill(pid, 0);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/**
 * Debian's vpcd writes length and payload separately without TCP_NODELAY, so every message waits
 * for a delayed ACK (~44 ms). A loopback alias with quick ACKs removes that; it needs root.
 * Returns the host the simulated card should connect to.
 */
export function quickAckHost(): { host: string; quickAck: boolean; why?: string } {
  try {
    execFileSync(
      'ip',
      [
        'route',
        'replace',
        'local',
        '127.0.0.2/32',
        'dev',
        'lo',
        'table',
        'local',
        'scope',
        'host',
        'src',
        '127.0.0.1',
        'quickack',
        '1',
      ],
      { stdio: 'pipe' },
    );
    return { host: '127.0.0.2', quickAck: true };
  } catch (e) {
    return { host: '127.0.0.1', quickAck: false, why: String((e as Error).message).split('\n')[0] };
  }
}

function killStrayPcscd(): void {
  try {
    execFileSync('pkill', ['-x', 'pcscd'], { stdio: 'ignore' });
  } catch {}
  for (let i = 0; i < 50; i++) {
    try {
      execFileSync('pgrep', ['-x', 'pcscd'], { stdio: 'ignore' });
    } catch {
      return;
    }
    execFileSync('sleep', ['0.1']);
  }
}

/** Whether vpcd listens on the port, without connecting (a connection would be a card insertion). */
async function portOpen(port: number): Promise<boolean> {
  try {
    const out = execFileSync('ss', ['-Hltn', `sport = :${port}`], { encoding: 'utf8' });
    return out.trim().length > 0;
  } catch {
    return false;
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
