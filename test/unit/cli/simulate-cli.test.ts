/**
 * `ektp-bridge simulate` as a child process: its options checked up front, `list`, and what it says
 * while pcscd's vpcd does not answer. No pcscd here: a port pair nothing listens on.
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { makeResidents } from '../../../simulator/residents/resident.ts';
import { BIN, runCli } from '../../e2e/helpers.ts';

/** a port whose next one is free too (both closed again) */
async function freePortPair(): Promise<number> {
  for (;;) {
    const port = await new Promise<number>((resolve) => {
      const s = createServer();
      s.listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const nextFree = await new Promise<boolean>((resolve) => {
      const s = createServer();
      s.once('error', () => resolve(false));
      s.listen(port + 1, '127.0.0.1', () => s.close(() => resolve(true)));
    });
    if (port < 65534 && nextFree) return port;
  }
}

describe('ektp-bridge simulate', () => {
  it.each([
    [
      ['--residents', '0'],
      /^INVALID_PARAMS: --residents must be a whole number from 1 to 1000 \(got "0"\)$/m,
    ],
    [['--resident', '99'], /^INVALID_PARAMS: --resident must be a whole number from 0 to 4 \(got "99"\)$/m],
    [['--residents', '3', '--resident', '3'], /^INVALID_PARAMS: --resident must be .* from 0 to 2/m],
    [['--port', 'abc'], /^INVALID_PARAMS: --port must be a whole number from 1 to 65534 \(got "abc"\)$/m],
    [['--port', '65535'], /^INVALID_PARAMS: --port must be/m],
    [['--seed', '1.5'], /^INVALID_PARAMS: --seed must be/m],
  ])('refuses %j with INVALID_PARAMS naming the option, no stack', async (args, message) => {
    const { code, stderr } = await runCli(['simulate', ...args], process.env);
    expect(code).toBe(1);
    expect(stderr).toMatch(message);
    expect(stderr).not.toMatch(/INTERNAL|RangeError|^\s+at /m);
  });

  it('says it cannot reach vpcd and how to fix it, and `list` shows the residents without NIK or names', async () => {
    const port = await freePortPair();
    const child = spawn(process.execPath, [BIN, 'simulate', '--port', String(port), '--resident', '1'], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      out += d;
    });
    const exited = new Promise<number | null>((r) => child.once('exit', r));
    const until = async (text: string) => {
      const deadline = Date.now() + 20_000;
      while (!out.includes(text)) {
        if (Date.now() > deadline) throw new Error(`no "${text}" in:\n${out}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    try {
      await until(`cannot reach vpcd at 127.0.0.1:${port + 1} (ECONNREFUSED)`);
      await until(`cannot reach vpcd at 127.0.0.1:${port} (ECONNREFUSED)`);
      expect(out).toContain(`connecting to pcscd's vpcd at 127.0.0.1:${port} (card, slot 0)`);
      expect(out).toMatch(/is pcscd running with the vpcd reader\? Start it \(systemctl start pcscd/);
      child.stdin.write('tamper 3\nlist\n');
      await until(`vpcd slot 1 (SAM) 127.0.0.1:${port + 1}: not inserted`);
      expect(out).toMatch(/^resident 3: [FM] .+ {2}<- on the reader \(tampered\), waiting for vpcd$/m);
      expect(out).toMatch(/^resident 1: [FM] [A-Z ]+$/m);
      // `list` prints every resident again, as the start did
      expect(out.match(/^resident 4: /gm)).toHaveLength(2);
      child.stdin.write('tap 7\n');
      await until('INVALID_PARAMS: tap must be a whole number from 0 to 4 (got "7")');
      child.stdin.write('quit\n');
      expect(await exited).toBe(0);
    } finally {
      child.kill();
    }
    // synthetic people, but the command prints no more of them than sex and province
    for (const r of makeResidents(5, 1)) {
      expect(out).not.toContain(r.biodata.nik);
      expect(out).not.toContain(r.biodata.nama);
    }
  });
});
