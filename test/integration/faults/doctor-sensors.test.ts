/**
 * `doctor`'s sensor checks against what `serve` does: a configuration serve refuses fails doctor's
 * config check with the same message; a configured serial port that does not exist fails the
 * sensors check; and while the daemon runs, the sensors check reports the daemon's own sensors
 * (as the sam and readers checks do), not a USB scan that cannot see a simulated or held sensor.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfigDetailed } from '../../../src/config/index.ts';
import { type Daemon, startDaemon } from '../../../src/daemon/daemon.ts';
import { silentLogger } from '../../../src/log/index.ts';
import { runCli } from '../../e2e/helpers.ts';

const cli = (args: string[]) => runCli(args, process.env);

describe('doctor checks the sensors the way serve uses them', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ektp-doctor-sensors-'));
  const configFile = (name: string, config: Record<string, unknown>) => {
    const file = join(dir, `${name}.json`);
    writeFileSync(file, JSON.stringify({ dataDir: join(dir, 'data'), ...config }));
    return file;
  };
  let daemon: Daemon;

  beforeAll(async () => {
    const { config } = loadConfigDetailed({
      path: configFile('daemon', { port: 0, hosts: ['127.0.0.1'], simulate: { residents: 1 } }),
      env: {},
    });
    daemon = await startDaemon({ config, logger: silentLogger(), simulate: true });
  }, 120_000);
  afterAll(async () => {
    await daemon?.close();
  });

  it('fails the config check for a driver serve refuses, with serve’s message', async () => {
    // a port nothing listens on, so serve gets as far as the sensors (a simulating serve has its own)
    const file = configFile('unknown-driver', {
      port: daemon.port + 1,
      sensors: [{ driver: 'nosuchdriver', path: '/dev/ttyNOPE' }],
    });
    const doctor = await cli(['doctor', '--config', file]);
    expect(doctor.code).not.toBe(0);
    expect(doctor.stdout).toMatch(/^FAIL config +sensors\[0\]\.driver: unknown driver "nosuchdriver"$/m);
    const serve = await cli(['serve', '--config', file]);
    expect(serve.code).not.toBe(0);
    expect(serve.stderr).toMatch(/sensors\[0\]\.driver: unknown driver "nosuchdriver"/);
  }, 120_000);

  it('fails the sensors check for a configured serial port that does not exist', async () => {
    const missing = join(dir, 'ttyNOPE');
    const file = configFile('missing-port', {
      port: daemon.port + 1,
      sensors: [{ driver: 'gt521', path: missing }],
    });
    const doctor = await cli(['doctor', '--json', '--config', file]);
    const sensors = JSON.parse(doctor.stdout).checks.find((c: { check: string }) => c.check === 'sensors');
    expect(sensors).toEqual({
      check: 'sensors',
      ok: false,
      detail: `gt521 on ${missing}: no such port (is the scanner plugged in?)`,
      code: 'NO_SENSOR',
    });
  }, 120_000);

  it('reports the running daemon’s sensors', async () => {
    const file = configFile('running', { port: daemon.port });
    const doctor = await cli(['doctor', '--json', '--config', file]);
    const checks = JSON.parse(doctor.stdout).checks as Array<{
      check: string;
      ok: boolean;
      detail: string;
    }>;
    const ids = (await daemon.services.health()).sensors as Array<{ id: string }>;
    expect(ids.length).toBeGreaterThan(0);
    expect(checks.find((c) => c.check === 'sensors')).toEqual({
      check: 'sensors',
      ok: true,
      detail: `daemon reports ${ids.map((s) => `${s.id} (ready)`).join(', ')}`,
    });
  }, 120_000);
});
