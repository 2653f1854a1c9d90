/**
 * A device key made by a command run as root (`keys show` before the daemon's first start) belongs
 * to dataDir's owner, the service user, who can then read it; a key left root's says so, with the
 * chown to run, instead of "run as the service user" to the service user itself.
 */

import { generateKeyPairSync } from 'node:crypto';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadOrCreateDeviceKey } from '../../../src/keys/device-key.ts';
import { ensureDevBackend } from '../../../src/security/dev-backend.ts';
import { asUserAsync, IS_ROOT, NOBODY } from '../../as-user.ts';

const base = mkdtempSync(join(tmpdir(), 'ektp-device-key-owner-'));
chmodSync(base, 0o755);
afterAll(() => rmSync(base, { recursive: true, force: true }));

function serviceDataDir(name: string): string {
  const dir = join(base, name);
  mkdirSync(dir, { mode: 0o700 });
  chownSync(dir, NOBODY.uid, NOBODY.gid);
  return dir;
}

describe.runIf(IS_ROOT)('device key and the owner of dataDir', () => {
  it('made as root in the service user’s dataDir, it is the service user’s (0600) and loads as that user', async () => {
    const dir = serviceDataDir('made-by-root');
    const made = await loadOrCreateDeviceKey(dir);
    const st = statSync(join(dir, 'device-key.pem'));
    expect({ uid: st.uid, gid: st.gid, mode: st.mode & 0o777 }).toEqual({
      uid: 65534,
      gid: 65534,
      mode: 0o600,
    });
    const loaded = await asUserAsync(NOBODY, () => loadOrCreateDeviceKey(dir));
    expect(loaded.deviceId).toBe(made.deviceId);
  });

  it('made as root in root’s own dataDir, it stays root’s', async () => {
    const dir = join(base, 'root-owned');
    mkdirSync(dir, { mode: 0o700 });
    await loadOrCreateDeviceKey(dir);
    expect(statSync(join(dir, 'device-key.pem')).uid).toBe(0);
  });

  it('a key left root’s: the service user is told the owner and the chown, not "run as the service user"', async () => {
    const dir = serviceDataDir('left-by-root');
    const key = join(dir, 'device-key.pem');
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    writeFileSync(key, privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, { mode: 0o600 });
    const err = await asUserAsync(NOBODY, () => loadOrCreateDeviceKey(dir)).catch((e: Error) => e);
    expect((err as Error).message).toBe(
      `dataDir ${dir}: cannot read or create the device key (EACCES); user nobody may not use it: ` +
        `${key} is root:root mode 0600; run "chown nobody:nogroup ${key}"`,
    );
  });

  it('another user than dataDir’s owner is told to run as the owner', async () => {
    const dir = serviceDataDir('other-user');
    const err = await asUserAsync({ uid: 1, gid: 1 }, () => loadOrCreateDeviceKey(dir)).catch(
      (e: Error) => e,
    );
    expect((err as Error).message).toContain(
      'it belongs to user nobody: run as that user (runuser -u nobody -- ektp-bridge …)',
    );
  });

  it('the development backend key made as root (read --simulate) is the service user’s too', async () => {
    const dir = serviceDataDir('dev-backend');
    await ensureDevBackend(dir);
    const st = statSync(join(dir, 'dev-backend-key.pem'));
    expect({ uid: st.uid, gid: st.gid, mode: st.mode & 0o777 }).toEqual({
      uid: 65534,
      gid: 65534,
      mode: 0o600,
    });
  });
});
