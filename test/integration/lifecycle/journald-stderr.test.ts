import { spawn } from 'node:child_process';
import { closeSync, fstatSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN } from '../../e2e/helpers.ts';

/**
 * `serve` whose stderr is "the journal": a file whose device:inode is given as JOURNAL_STREAM, as
 * systemd does. Every log line must start with its syslog priority, followed by the same JSON.
 */
describe('serve logs with journald priorities when stderr is the journal', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ektp-journal-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prefixes <6> on info lines and keeps them JSON', async () => {
    const logFile = join(dir, 'journal');
    const fd = openSync(logFile, 'w');
    const st = fstatSync(fd);
    const proc = spawn(process.execPath, [BIN, 'serve', '--simulate'], {
      env: {
        ...process.env,
        JOURNAL_STREAM: `${st.dev}:${st.ino}`,
        EKTP_BRIDGE_PORT: '0',
        EKTP_BRIDGE_DATADIR: join(dir, 'data'),
        EKTP_BRIDGE_LOGLEVEL: 'info',
      },
      stdio: ['ignore', 'ignore', fd],
    });
    closeSync(fd);
    const exited = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
    const deadline = Date.now() + 60_000;
    while (!readFileSync(logFile, 'utf8').includes('ektp-bridge listening')) {
      if (proc.exitCode !== null || Date.now() > deadline) throw new Error(readFileSync(logFile, 'utf8'));
      await new Promise((r) => setTimeout(r, 50));
    }
    proc.kill('SIGTERM');
    expect(await exited).toBe(0);
    const lines = readFileSync(logFile, 'utf8')
      .split('\n')
      .filter((l) => l.startsWith('<'));
    const listening = lines.find((l) => l.includes('ektp-bridge listening'))!;
    expect(listening).toMatch(/^<6>\{/);
    expect(JSON.parse(listening.slice(3))).toMatchObject({ level: 30, msg: 'ektp-bridge listening' });
    for (const l of lines) expect(l).toMatch(/^<[2-7]>\{"level":/);
  }, 90_000);
});
