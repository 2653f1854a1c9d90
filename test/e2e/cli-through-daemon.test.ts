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
import { simulator } from './claim-helpers.ts';
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
    expect(stderr).toMatch(/^TICKET_INVALID: .*\(reason OUT_OF_SCOPE; check scope; fields photo\)$/m);
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

  it('verify prints a non-match decision with its receipt, and exits non-zero with FINGER_NOT_MATCHED', async () => {
    const origin = `http://127.0.0.1:${d.port}`;
    await simulator(d.port, origin, { action: 'finger', present: 'other' });
    try {
      const json = await runCli(['verify', '--json', '--max-attempts', '1', '--timeout', '5000'], d.env);
      expect(json.code).toBe(1);
      expect(json.stderr).toMatch(
        /^FINGER_NOT_MATCHED: Fingerprint does not match \(reasons NOT_MATCHED; attempts 1\)$/m,
      );
      const doc = JSON.parse(json.stdout);
      expect(doc.verify).toMatchObject({ matched: false, attempts: 1, reasons: ['NOT_MATCHED'] });
      expect(doc.verify.score).toBeLessThan(doc.verify.threshold);
      expect(typeof doc.verify.receipt).toBe('string');
      expect(typeof doc.readReceipt).toBe('string');
      expect(doc.card.chipSerial).toBeTruthy();
      // the receipt goes to stdout only, never into the error line
      expect(json.stderr).not.toContain(doc.verify.receipt);

      const human = await runCli(['verify', '--max-attempts', '1', '--timeout', '5000'], d.env);
      expect(human.code).toBe(1);
      expect(human.stdout).toMatch(
        /^matched: false {2}finger .* score [\d.]+ \(threshold [\d.]+\) {2}attempts 1$/m,
      );
      expect(human.stderr).toMatch(/^FINGER_NOT_MATCHED: /m);
    } finally {
      await simulator(d.port, origin, { action: 'finger', present: 'genuine' });
      await simulator(d.port, origin, { action: 'clear-lockout' });
    }
    const match = await runCli(['verify', '--json', '--max-attempts', '3'], d.env);
    expect(match.code, match.stderr).toBe(0);
    expect(JSON.parse(match.stdout).verify).toMatchObject({ matched: true });
  });
});
