/**
 * A second daemon on another port but the same data folder is refused before it writes anything
 * there (docs/service.md "Data folder taken"): the first daemon's audit log stays as it was, and
 * once the first has stopped the folder can be used again.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../../src/config/index.ts';
import { startDaemon } from '../../../src/daemon/daemon.ts';
import { silentLogger } from '../../../src/log/index.ts';

describe('two daemons, one data folder', () => {
  it('refuses the second with BUSY and leaves the first one’s audit log alone', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'ektp-second-daemon-'));
    const start = () =>
      startDaemon({
        config: validateConfig({ port: 0, dataDir, simulate: { residents: 1 } }),
        logger: silentLogger(),
        simulate: true,
      });
    const first = await start();
    const audit = readFileSync(join(dataDir, 'audit.log'), 'utf8');
    await expect(start()).rejects.toMatchObject({
      code: 'BUSY',
      message: expect.stringMatching(/data folder .* is in use by another ektp-bridge/),
    });
    expect(readFileSync(join(dataDir, 'audit.log'), 'utf8')).toBe(audit);
    await first.close();
    const again = await start();
    await again.close();
  }, 120_000);
});
