/**
 * The CLI's one-shot commands against a running `serve --simulate` (a child process): what they
 * print when the daemon refuses or decides against them.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLogPath } from '../../src/audit/audit-log.ts';
import { loadDevBackend } from '../../src/security/dev-backend.ts';
import { runCli, startSimulatedDaemon } from './helpers.ts';

describe('CLI commands through a running serve --simulate', () => {
  let d: Awaited<ReturnType<typeof startSimulatedDaemon>>;
  let dir: string;
  beforeAll(async () => {
    d = await startSimulatedDaemon();
    dir = mkdtempSync(join(tmpdir(), 'ektp-cli-daemon-'));
  });
  afterAll(async () => {
    await d?.stop();
  });

  it("shows the field the daemon's INVALID_PARAMS names (data.detail), not just the code's text", async () => {
    const { code, stderr } = await runCli(
      ['capture', '--out', join(dir, 'x.png'), '--sensor', 's'.repeat(201)],
      d.env,
    );
    expect(code).toBe(1);
    expect(stderr).toMatch(/^INVALID_PARAMS: Invalid parameters \("sensorId": must NOT have more than 200/m);
  });

  it('shows which ticket check failed and for which fields', async () => {
    const dev = await loadDevBackend(String(d.env.EKTP_BRIDGE_DATADIR));
    const ticket = await dev.mint({
      op: 'card.read',
      scope: ['biodata'],
      origin: `http://127.0.0.1:${d.port}`,
    });
    const { code, stdout, stderr } = await runCli(['read', '--fields', 'photo', '--ticket', ticket], d.env);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^TICKET_INVALID: .*\(check scope; fields photo\)$/m);
    expect(stderr).not.toContain(ticket);
  });

  const auditLines = () =>
    readFileSync(auditLogPath(String(d.env.EKTP_BRIDGE_DATADIR)), 'utf8')
      .trim()
      .split('\n').length;

  it.each([
    [['--max-attempts', '0'], /--max-attempts must be a whole number from 1 to 10/],
    [['--max-attempts', '11'], /--max-attempts must be a whole number from 1 to 10/],
    [['--max-attempts', 'three'], /--max-attempts /],
    [['--timeout', 'abc'], /--timeout must be a whole number of milliseconds/],
    [['--timeout', '-5'], /--timeout /],
  ])(
    'verify %j is refused before the card is read: no ticket used, no receipt, no audit entry',
    async (flags, why) => {
      const before = auditLines();
      const { code, stdout, stderr } = await runCli(['verify', ...flags], d.env);
      expect(code).toBe(1);
      expect(stderr).toMatch(/^INVALID_PARAMS: /m);
      expect(stderr).toMatch(why);
      expect(stderr).not.toContain('place the finger');
      expect(stdout).toBe('');
      expect(auditLines()).toBe(before);
    },
  );
});
