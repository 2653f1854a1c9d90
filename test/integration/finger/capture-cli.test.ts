/**
 * `ektp-bridge capture` as installers and scripts run it, with no daemon answering on its port:
 * from the built-in simulated sensor (--simulate), and the error code when there is no sensor; and
 * through a running `serve --simulate` daemon, with its demo ticket or one given with --ticket.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, runCli, startSimulatedDaemon } from '../../e2e/helpers.ts';

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

describe('ektp-bridge capture through a running serve --simulate', () => {
  let d: Awaited<ReturnType<typeof startSimulatedDaemon>>;
  let dir: string;
  beforeAll(async () => {
    d = await startSimulatedDaemon();
    dir = mkdtempSync(join(tmpdir(), 'ektp-capture-daemon-'));
  });
  afterAll(async () => {
    await d?.stop();
  });

  it('captures with a demo ticket minted with the dev key, and prints the receipt in --json', async () => {
    const out = join(dir, 'finger.png');
    const { code, stdout, stderr } = await runCli(['capture', '--out', out, '--json'], d.env);
    expect(code, stderr).toBe(0);
    expect(stderr).not.toContain('no daemon answering');
    const result = JSON.parse(stdout);
    expect(result).toMatchObject({ out, dpi: 500 });
    expect(typeof result.receipt).toBe('string');
    expect(PNG.sync.read(readFileSync(out)).width).toBe(result.width);
  });

  it('passes the --ticket it is given to the daemon', async () => {
    const out = join(dir, 'given.png');
    const { code, stderr } = await runCli(['capture', '--out', out, '--ticket', 'not.a-ticket.here'], d.env);
    expect(code).toBe(1);
    expect(stderr).toMatch(/^TICKET_INVALID: /m);
    expect(existsSync(out)).toBe(false);
  });

  it('without a dev key nor --ticket, says to pass --ticket', async () => {
    const env = { ...d.env, EKTP_BRIDGE_DATADIR: mkdtempSync(join(tmpdir(), 'ektp-no-dev-key-')) };
    const { code, stderr } = await runCli(['capture', '--out', join(dir, 'none.png')], env);
    expect(code).toBe(1);
    expect(stderr).toMatch(/^TICKET_REQUIRED: finger\.capture .*pass --ticket /m);
  });
});
