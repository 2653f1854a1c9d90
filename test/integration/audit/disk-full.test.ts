import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditKeyFromDeviceKey, verifyAuditLog } from '../../../src/audit/index.ts';
import { loadOrCreateDeviceKey } from '../../../src/keys/device-key.ts';
import { openTrail, readEntries, type Trail } from '../../unit/audit/trail-helpers.ts';

/**
 * The audit log on a real, tiny file system (a 256 KiB tmpfs mounted for this test: root only),
 * filled up and then remounted read-only under a running signer and audit log. The device key and
 * the receipt chain head stay on the ordinary disk, so that it is the audit append that meets the
 * fault (on one disk the chain head, written first, fails first; test/unit/audit covers both).
 */
function mountTmpfs(dir: string): boolean {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=256k,mode=0700', 'tmpfs', dir], {
      stdio: 'ignore',
    });
    return true;
  } catch {
    return false;
  }
}

const dataDir = mkdtempSync(join(tmpdir(), 'audit-faults-data-'));
const fsRoot = mkdtempSync(join(tmpdir(), 'audit-tmpfs-'));
const mounted = process.getuid?.() === 0 && mountTmpfs(fsRoot);
if (!mounted) console.warn('skipping the disk-full / read-only audit tests: needs root to mount a tmpfs');

describe.skipIf(!mounted)('audit log on a full, then read-only file system', () => {
  let t: Trail;
  const auditPath = join(fsRoot, 'audit.log');
  beforeAll(async () => {
    t = await openTrail(dataDir, {}, auditPath);
  });
  afterAll(async () => {
    await t?.audit.close().catch(() => undefined);
    execFileSync('umount', ['-l', fsRoot]);
    rmSync(fsRoot, { recursive: true, force: true });
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('each operation fails with a clear error and leaves nothing unrecorded; appends resume once the disk is back', async () => {
    await t.record(0);
    const answered = ['n0'];
    const filler = join(fsRoot, 'filler');
    try {
      writeFileSync(filler, Buffer.alloc(1024 * 1024));
    } catch (e) {
      expect((e as NodeJS.ErrnoException).code).toBe('ENOSPC'); // the disk is now full to the last page
    }
    // the audit file's last page may still hold an entry or two: record until the disk says no
    let full: unknown;
    for (let i = 1; i < 50 && !full; i++) {
      await t.record(i).then(
        () => answered.push(`n${i}`),
        (e: unknown) => {
          full = e;
        },
      );
    }
    expect(full).toMatchObject({
      code: 'INTERNAL',
      detail: { detail: 'AUDIT_WRITE_FAILED', errno: 'ENOSPC' },
    });
    expect((full as Error).message).toMatch(/\(ENOSPC: the disk is full\); the result was not given out/);

    // after a failed write the log holds no file open, so the mount can turn read-only
    execFileSync('mount', ['-o', 'remount,ro', fsRoot]);
    try {
      await expect(t.record(100)).rejects.toMatchObject({
        detail: { detail: 'AUDIT_WRITE_FAILED', errno: 'EROFS' },
      });
    } finally {
      execFileSync('mount', ['-o', 'remount,rw', fsRoot]);
    }

    rmSync(filler);
    await t.record(101);
    answered.push('n101');
    await t.audit.close();
    // exactly what was answered is in the log: no failed operation, no partial line
    const nonces = readEntries(auditPath)
      .map((e) => e.nonce)
      .filter(Boolean);
    expect(nonces).toEqual(answered);
    const key = auditKeyFromDeviceKey(await loadOrCreateDeviceKey(dataDir));
    const r = await verifyAuditLog(auditPath, { ...key, receiptHead: t.signer.head() });
    expect(r).toMatchObject({ ok: true, keyed: true, tornTailBytes: 0 });
    expect(readdirSync(fsRoot)).toEqual(['audit.log']);
  });
});
