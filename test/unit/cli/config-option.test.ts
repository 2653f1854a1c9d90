import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCliConfig } from '../../../src/cli/config-option.ts';
import { loadOrCreateDeviceKey } from '../../../src/keys/device-key.ts';

describe('CLI configuration', () => {
  it('never moves an installed device to another dataDir, and says clearly when it cannot use its own', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ektp-cli-'));
    const file = join(dir, 'config.json');
    writeFileSync(file, JSON.stringify({ dataDir: '/dev/null/cannot-exist' }));
    const saved = process.env.EKTP_BRIDGE_DATADIR;
    delete process.env.EKTP_BRIDGE_DATADIR;
    try {
      const config = loadCliConfig({ config: file });
      expect(config.dataDir).toBe('/dev/null/cannot-exist');
      await expect(loadOrCreateDeviceKey(config.dataDir)).rejects.toMatchObject({ code: 'INVALID_PARAMS' });
    } finally {
      if (saved !== undefined) process.env.EKTP_BRIDGE_DATADIR = saved;
    }
  });
});
