/** `ektp-bridge devices --simulate` with no daemon answering on its port: the built-in simulator. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort, runCli } from '../../e2e/helpers.ts';

describe('ektp-bridge devices --simulate (no daemon running)', () => {
  it('says it lists the simulator and lists its readers and its fingerprint sensor', async () => {
    const env = {
      ...process.env,
      EKTP_BRIDGE_PORT: String(await freePort()),
      EKTP_BRIDGE_DATADIR: mkdtempSync(join(tmpdir(), 'ektp-devices-')),
      EKTP_BRIDGE_LOGLEVEL: 'warn',
    };
    const { code, stdout, stderr } = await runCli(['devices', '--simulate', '--json'], env);
    expect(code, stderr).toBe(0);
    expect(stderr).toContain('no daemon answering; listing the built-in simulator');
    expect(stderr).not.toContain('PC/SC');
    const list = JSON.parse(stdout);
    expect(list.readers.map((r: { role: string }) => r.role).sort()).toEqual(['rf', 'sam']);
    // as a simulating daemon's device.list has it
    expect(list.sensors).toEqual([
      { id: 'simulated', driver: 'simulated', name: 'Simulated fingerprint sensor', state: 'ready' },
    ]);
  });
});
