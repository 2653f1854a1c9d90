/**
 * A secrets file the service user may not read (a missed chown) is reported as exactly that, with
 * the chown that fixes it, not as "not valid JSON"; a file that is not JSON still says so.
 */
import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isBridgeError } from '../../../protocols/errors.ts';
import { loadSamSecrets } from '../../../src/config/index.ts';
import { asUser, IS_ROOT, NOBODY } from '../../as-user.ts';

const good = JSON.stringify({ pcidHex: '00'.repeat(16), confHex: 'ab'.repeat(32) });
const dir = mkdtempSync(join(tmpdir(), 'ektp-secrets-access-'));
chmodSync(dir, 0o755);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function secretsFile(name: string, content: string): string {
  const p = join(dir, name);
  writeFileSync(p, content, { mode: 0o600 });
  chmodSync(p, 0o600);
  return p;
}

function messageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (isBridgeError(e)) return e.message;
    throw e;
  }
  throw new Error('expected a BridgeError');
}

describe('loadSamSecrets on a file this user may not read', () => {
  it.runIf(IS_ROOT)('root-owned 0600, read by the service user: EACCES, owner root, the chown to run', () => {
    const p = secretsFile('root-owned.json', good);
    const msg = asUser(NOBODY, () => messageOf(() => loadSamSecrets(p)));
    expect(msg).toBe(
      `sam.secretsFile ${p} cannot be read by user nobody (EACCES): it is owned by root:root; ` +
        `run "chown nobody:nogroup ${p}"`,
    );
    expect(msg).not.toContain('JSON');
  });

  it.runIf(IS_ROOT)('read by another user than the service user: names the service user in the fix', () => {
    const p = secretsFile('service-owned.json', good);
    chownSync(p, NOBODY.uid, NOBODY.gid);
    const daemon = { name: 'daemon', uid: 1, gid: 1 };
    const msg = asUser(daemon, () => messageOf(() => loadSamSecrets(p, NOBODY)));
    expect(msg).toContain(`cannot be read by user daemon (EACCES): it is owned by nobody:nogroup; `);
    expect(msg).toContain('runuser -u nobody -- ektp-bridge doctor');
  });

  it.runIf(IS_ROOT)('a folder above it the user cannot search is named', () => {
    const sub = join(dir, 'closed');
    rmSync(sub, { recursive: true, force: true });
    const p = join(sub, 'secrets.json');
    mkdirSync(sub, { mode: 0o700 });
    writeFileSync(p, good, { mode: 0o600 });
    chownSync(p, NOBODY.uid, NOBODY.gid);
    const msg = asUser(NOBODY, () => messageOf(() => loadSamSecrets(p)));
    expect(msg).toContain(`cannot be read by user nobody (EACCES): the folder ${sub} is root:root mode 0700`);
  });

  it.skipIf(IS_ROOT)('mode 0000, own file: EACCES and the owner, not "not valid JSON"', () => {
    const p = secretsFile('no-read.json', good);
    chmodSync(p, 0o000);
    const msg = messageOf(() => loadSamSecrets(p));
    expect(msg).toMatch(/cannot be read by user \S+ \(EACCES\): it is owned by \S+:\S+; run "chown /);
    expect(msg).not.toContain('JSON');
  });

  it('a readable file that is not JSON says "not valid JSON" without quoting it', () => {
    const p = secretsFile('broken.json', '{"pcidHex": "c0ffee", ');
    const msg = messageOf(() => loadSamSecrets(p));
    expect(msg).toBe(`sam.secretsFile ${p}: not valid JSON`);
  });
});
