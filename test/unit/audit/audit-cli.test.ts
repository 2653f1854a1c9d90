import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAuditLog } from '../../../src/audit/index.ts';
import { loadOrCreateDeviceKey } from '../../../src/keys/device-key.ts';
import { editAndRehash, openTrail } from './trail-helpers.ts';

const ROOT = resolve(import.meta.dirname, '../../..');
function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, ['src/cli/bin.js', ...args], { cwd: ROOT }, (err, stdout, stderr) =>
      done({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('ektp-bridge audit verify', () => {
  const dir = mkdtempSync(join(tmpdir(), 'audit-cli-'));
  const path = join(dir, 'audit.log');
  beforeAll(async () => {
    const log = await openAuditLog(path);
    for (let i = 0; i < 4; i++)
      await log.append({ op: 'card.read', origin: 'https://x.example', nonce: `n${i}` });
    await log.close();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reports a good log', async () => {
    const r = await cli(['audit', 'verify', '--data-dir', dir]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/ok, 4 entries/);
  });

  it('reports an edited line with exit 1 (--json)', async () => {
    const text = readFileSync(path, 'utf8');
    writeFileSync(path, text.replace('"n2"', '"n9"'));
    const r = await cli(['audit', 'verify', '--data-dir', dir, '--json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: false, brokenAt: 3, entries: 2 });
    expect(r.stderr).toMatch(/^INTERNAL: audit log broken at line 3/m);
  });
});

describe('ektp-bridge audit verify on a daemon data directory (device key, receipt chain)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'audit-cli-keyed-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('passes the trail as written, then fails it once a line is edited and every hash recomputed', async () => {
    const t = await openTrail(dataDir);
    for (let i = 0; i < 3; i++) await t.record(i);
    await t.audit.close();
    let r = await cli(['audit', 'verify', '--data-dir', dataDir]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/ok, 5 entries in 1 file\(s\), 2 signed checkpoint\(s\)/);
    expect(r.stdout).not.toMatch(/warning/);

    editAndRehash(
      [t.path],
      (e) => e.nonce === 'n1',
      (e) => {
        e.matched = false;
      },
    );
    r = await cli(['audit', 'verify', '--data-dir', dataDir, '--json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: false, brokenAt: 3 });
    expect(r.stderr).toMatch(/^INTERNAL: audit log broken at line 3: mac does not match/m);
  });

  it('checks an exported copy with only the public key (--public-key, the `keys show` document)', async () => {
    const copy = mkdtempSync(join(tmpdir(), 'audit-cli-copy-'));
    try {
      const t = await openTrail(join(copy, 'device'));
      for (let i = 0; i < 2; i++) await t.record(i);
      await t.audit.close();
      // what `ektp-bridge keys show` prints
      const { deviceId, publicJwk } = await loadOrCreateDeviceKey(join(copy, 'device'));
      const keyFile = join(copy, 'device.jwk.json');
      writeFileSync(keyFile, JSON.stringify({ deviceId, publicKey: publicJwk }));
      // the copy: log and chain head, no private key
      const exported = join(copy, 'exported');
      mkdirSync(exported);
      for (const f of ['audit.log', 'receipt-chain.json'])
        copyFileSync(join(copy, 'device', f), join(exported, f));
      let r = await cli(['audit', 'verify', '--data-dir', exported, '--public-key', keyFile, '--json']);
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({ ok: true, signaturesChecked: true, macsChecked: false });

      editAndRehash(
        [join(exported, 'audit.log')],
        (e) => e.nonce === 'n0',
        (e) => {
          e.matched = false;
        },
      );
      r = await cli(['audit', 'verify', '--data-dir', exported, '--public-key', keyFile]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/checkpoint signature does not verify/);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });
});

describe('ektp-bridge audit verify where there is no audit log', () => {
  it('exits 1 with INVALID_PARAMS for a data directory that does not exist, never "ok, 0 entries"', async () => {
    const missing = join(tmpdir(), 'audit-cli-missing', 'nonexistent');
    const r = await cli(['audit', 'verify', '--data-dir', missing, '--json']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(
      new RegExp(`^INVALID_PARAMS: --data-dir ${missing}: no such directory; no audit log verified$`, 'm'),
    );
  });

  it('exits 1 with INVALID_PARAMS for a folder holding no audit log, saying plainly that nothing was verified', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'audit-cli-empty-'));
    try {
      const r = await cli(['audit', 'verify', '--data-dir', empty]);
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/^INVALID_PARAMS: --data-dir .*: no audit log there .*nothing verified/m);
      expect(r.stderr).not.toMatch(/^\s+at /m);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('still reports a log deleted whole next to its receipt chain as broken (INTERNAL)', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'audit-cli-deleted-'));
    try {
      const t = await openTrail(dataDir);
      await t.record(0);
      await t.audit.close();
      rmSync(t.path);
      const r = await cli(['audit', 'verify', '--data-dir', dataDir]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(
        /^INTERNAL: audit log broken: the log does not end at the receipt chain head/m,
      );
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
