/**
 * `ektp-bridge read` flags, with no daemon answering on its port: a bad --timeout is refused before
 * anything is read (as `capture` refuses it), instead of reading as if no timeout were given.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { freePort, runCli } from '../../e2e/helpers.ts';

describe('ektp-bridge read flags', () => {
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    env = {
      ...process.env,
      EKTP_BRIDGE_PORT: String(await freePort()),
      EKTP_BRIDGE_DATADIR: mkdtempSync(join(tmpdir(), 'ektp-read-cli-')),
      EKTP_BRIDGE_LOGLEVEL: 'warn',
    };
  });

  it.each(['abc', '-5', '2.5'])('refuses --timeout %s with INVALID_PARAMS and reads nothing', async (t) => {
    const { code, stdout, stderr } = await runCli(
      ['read', '--simulate', '--fields', 'biodata', '--timeout', t],
      env,
    );
    expect(code).toBe(1);
    expect(stderr).toMatch(/^INVALID_PARAMS: --timeout must be a whole number of milliseconds/m);
    expect(stderr).not.toContain('reading directly');
    expect(stdout).toBe('');
  });

  it('reads with a valid --timeout', async () => {
    const { code, stdout, stderr } = await runCli(
      ['read', '--simulate', '--fields', 'biodata', '--timeout', '2000', '--json'],
      env,
    );
    expect(code, stderr).toBe(0);
    expect(JSON.parse(stdout).card.chipSerial).toBeTruthy();
  });
});
