/**
 * `ektp-bridge capture` as installers and scripts run it, with no daemon answering on its port:
 * from the built-in simulated sensor (--simulate), and the error code when there is no sensor.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { freePort, runCli } from '../../e2e/helpers.ts';

describe('ektp-bridge capture (no daemon running)', () => {
  let env: NodeJS.ProcessEnv;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ektp-capture-'));
    env = {
      ...process.env,
      EKTP_BRIDGE_PORT: String(await freePort()),
      EKTP_BRIDGE_DATADIR: dir,
      EKTP_BRIDGE_LOGLEVEL: 'warn',
    };
  });

  it('--simulate writes the PNG and prints its figures as one JSON document', async () => {
    const out = join(dir, 'finger.png');
    const { code, stdout, stderr } = await runCli(['capture', '--simulate', '--out', out, '--json'], env);
    expect(code, stderr).toBe(0);
    const result = JSON.parse(stdout);
    expect(result).toMatchObject({ out, sensorId: 'simulated', dpi: 500 });
    expect(result.image).toBeUndefined();
    expect(result.minutiaeCount).toBeGreaterThan(15);
    expect(result.quality).toBeGreaterThan(30);
    const png = PNG.sync.read(readFileSync(out));
    expect([png.width, png.height]).toEqual([result.width, result.height]);
    expect(stderr).toContain('extracting');
  });

  it('exits non-zero with NO_SENSOR when the asked sensor does not exist', async () => {
    const out = join(dir, 'none.png');
    const { code, stderr } = await runCli(
      ['capture', '--simulate', '--sensor', 'grow:/dev/ttyUSB7', '--out', out],
      env,
    );
    expect(code).toBe(1);
    expect(stderr).toMatch(/^NO_SENSOR: /m);
    expect(existsSync(out)).toBe(false);
  });

  it.each([
    ['a directory that does not exist', () => join(dir, 'no-such-dir', 'x.png'), /does not exist/],
    ['a directory', () => dir, /is a directory/],
  ])('refuses an --out in %s before capturing, without a stack trace', async (_what, out, why) => {
    const { code, stdout, stderr } = await runCli(['capture', '--simulate', '--out', out()], env);
    expect(code).toBe(1);
    expect(stderr).toMatch(/^INVALID_PARAMS: --out /m);
    expect(stderr).toMatch(why);
    expect(stderr).not.toContain('capturing');
    expect(stderr).not.toMatch(/^\s+at /m);
    expect(stdout).toBe('');
  });

  it('refuses a timeout that is not a positive number', async () => {
    const { code, stderr } = await runCli(
      ['capture', '--simulate', '--timeout', 'soon', '--out', join(dir, 'x.png')],
      env,
    );
    expect(code).toBe(1);
    expect(stderr).toMatch(/^INVALID_PARAMS: /m);
  });
});
