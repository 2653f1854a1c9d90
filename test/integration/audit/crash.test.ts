import { spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openAuditLog, verifyAuditLog } from '../../../src/audit/index.ts';

const CHILD = resolve(import.meta.dirname, 'append-loop.ts');
const ROUNDS = 8;

/**
 * Runs the appender until a random moment after it started acknowledging, SIGKILLs it, and returns
 * every nonce it acknowledged (only lines that reached us: an ack lost in the pipe is not counted,
 * which only makes the check weaker, never wrong).
 */
function runAndKill(path: string, round: number, killAfterMs: number): Promise<string[]> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, path, String(round)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const acked: string[] = [];
    let buf = '';
    let timer: NodeJS.Timeout | undefined;
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      buf += chunk;
      const lines = buf.split('\n');
      buf = lines.pop()!;
      for (const l of lines) {
        if (l.startsWith('acked ')) acked.push(l.slice(6));
        if (l === 'ready' && !timer) timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
      }
    });
    child.on('error', fail);
    child.on('exit', (code, signal) => {
      if (signal !== 'SIGKILL') return fail(new Error(`appender ended by itself (code ${code})`));
      done(acked);
    });
  });
}

describe('audit log survives SIGKILL at random moments', () => {
  const dir = mkdtempSync(join(tmpdir(), 'audit-crash-'));
  const path = join(dir, 'audit.log');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it(`keeps every acknowledged entry over ${ROUNDS} kill/restart rounds and still verifies`, async () => {
    const acked: string[] = [];
    let torn = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const r = await runAndKill(path, round, 30 + Math.floor(Math.random() * 400));
      acked.push(...r);
      // SIGKILL never splits a write() on a local file system; a power cut can. Every third round
      // leaves the start of a line behind, as that would.
      if (round % 3 === 1) appendFileSync(path, '{"seq":99,"ts":"2026-');
      const check = await verifyAuditLog(path);
      // between crash and restart: everything complete verifies; a torn tail may be left
      expect(check.ok, check.reason).toBe(true);
      if (check.tornTailBytes > 0) torn++;
    }
    // the next start repairs whatever the last kill left
    await (await openAuditLog(path)).close();
    const final = await verifyAuditLog(path);
    expect(final).toMatchObject({ ok: true, tornTailBytes: 0 });
    expect(final.repairs).toBe(torn);

    const logged = new Set(
      readFileSync(path, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l).nonce as string | undefined),
    );
    const missing = acked.filter((n) => !logged.has(n));
    expect(missing).toEqual([]);
    expect(acked.length).toBeGreaterThan(ROUNDS);
    expect(torn).toBeGreaterThan(0);
    console.log(
      `crash test: ${ROUNDS} kills, ${acked.length} acked entries, ${final.entries} lines, ${torn} torn tails repaired`,
    );
  });
});
