/**
 * doctor judges files the way the service user sees them. Run as root (as the postinst and
 * install.sh say), a root-owned secrets file or a device key left root's by `keys show` is a FAIL
 * with the chown to run, not "ok" because root reads anything; run as the service user, a secrets
 * file it may not read says EACCES and its owner, not "not valid JSON".
 */
import { execFile } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { IS_ROOT, NOBODY } from '../../as-user.ts';
import { REPO_ROOT } from '../../shared-data.ts';

interface Report {
  ok: boolean;
  checks: Array<{ check: string; ok: boolean; detail: string; code?: string }>;
}

function doctor(configFile: string, as?: string): Promise<Record<string, Report['checks'][number]>> {
  const cmd = [
    process.execPath,
    join(REPO_ROOT, 'src/cli/bin.js'),
    'doctor',
    '--json',
    '--config',
    configFile,
  ];
  const [file, ...args] = as ? ['runuser', '-u', as, '--', ...cmd] : cmd;
  return new Promise((resolve, reject) => {
    execFile(file, args, { timeout: 60_000 }, (_err, stdout, stderr) => {
      try {
        const report = JSON.parse(stdout) as Report;
        resolve(Object.fromEntries(report.checks.map((c) => [c.check, c])));
      } catch {
        reject(new Error(`doctor printed no report: ${stdout}${stderr}`));
      }
    });
  });
}

describe.runIf(IS_ROOT)('doctor and the files of the service user', () => {
  const base = mkdtempSync(join(tmpdir(), 'ektp-doctor-owner-'));
  chmodSync(base, 0o755);
  afterAll(() => rmSync(base, { recursive: true, force: true }));

  /** a dataDir of nobody's (the service user here), a secrets file and a config naming both */
  function install(name: string, opts: { secretsOwner: 'root' | 'nobody'; rootKey?: boolean }) {
    const dir = join(base, name);
    mkdirSync(dir, { mode: 0o755 });
    const dataDir = join(dir, 'data');
    mkdirSync(dataDir, { mode: 0o700 });
    chownSync(dataDir, NOBODY.uid, NOBODY.gid);
    const key = join(dataDir, 'device-key.pem');
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    writeFileSync(key, privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, { mode: 0o600 });
    if (!opts.rootKey) chownSync(key, NOBODY.uid, NOBODY.gid);
    const secrets = join(dir, 'sam-secrets.json');
    writeFileSync(secrets, JSON.stringify({ pcidHex: '00'.repeat(16), confHex: 'ab'.repeat(32) }), {
      mode: 0o600,
    });
    if (opts.secretsOwner === 'nobody') chownSync(secrets, NOBODY.uid, NOBODY.gid);
    const config = join(dir, 'config.json');
    // port 1: no daemon answers there, and doctor only connects to it
    writeFileSync(config, JSON.stringify({ port: 1, dataDir, sam: { secretsFile: secrets } }));
    chmodSync(config, 0o644);
    return { config, secrets, dataDir, key };
  }

  it('as root: a root-owned secrets file and device key FAIL with the chown to run', async () => {
    const i = install('root-owned', { secretsOwner: 'root', rootKey: true });
    const c = await doctor(i.config);
    expect(c.secrets).toMatchObject({ ok: false, code: 'NO_SAM' });
    expect(c.secrets.detail).toBe(
      `sam.secretsFile ${i.secrets}: the service user nobody cannot read it ` +
        `(${i.secrets} is root:root mode 0600); run "chown nobody:nogroup ${i.secrets}"`,
    );
    expect(c.dataDir).toMatchObject({ ok: false, code: 'INVALID_PARAMS' });
    expect(c.dataDir.detail).toContain(`device-key.pem (root:root) in ${i.dataDir} belongs to another user`);
    expect(c.dataDir.detail).toContain(`run "chown -R nobody:nogroup ${i.dataDir}"`);
  });

  it('as the service user: EACCES and the owner for the secrets, the root-owned key fails dataDir', async () => {
    const i = install('as-service', { secretsOwner: 'root', rootKey: true });
    const c = await doctor(i.config, 'nobody');
    expect(c.secrets.ok).toBe(false);
    expect(c.secrets.detail).toBe(
      `sam.secretsFile ${i.secrets} cannot be read by user nobody (EACCES): it is owned by root:root; ` +
        `run "chown nobody:nogroup ${i.secrets}"`,
    );
    expect(c.dataDir.ok).toBe(false);
    expect(c.dataDir.detail).toContain('device-key.pem (root:root)');
  });

  it('files the service user owns pass, as root and as that user', async () => {
    const i = install('service-owned', { secretsOwner: 'nobody' });
    for (const as of [undefined, 'nobody']) {
      const c = await doctor(i.config, as);
      expect(c.secrets, as).toMatchObject({ ok: true });
      expect(c.secrets.detail).toBe(
        `${i.secrets} (mode 0600, readable by nobody, PCID 16 bytes, CONF 32 bytes)`,
      );
      expect(c.dataDir).toMatchObject({
        ok: true,
        detail: `${i.dataDir} writable by nobody, device key 0600`,
      });
    }
  });
});
