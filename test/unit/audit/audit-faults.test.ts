import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BridgeError } from '../../../protocols/errors.ts';
import { verifyAuditTrail } from '../../../src/audit/index.ts';
import { openTrail, readEntries } from './trail-helpers.ts';

/**
 * A file system that can be made to fail: while `fault` is set, write() writes half of what it is
 * given (a short write, as a disk filling up does) and fails the next call with that errno, or
 * datasync() fails after the write went through.
 */
function faultyFs() {
  const fs = {
    fault: undefined as { errno: string; at: 'write' | 'datasync' } | undefined,
    openFile: async (path: string): Promise<FileHandle> => {
      const fh = await open(path, 'a+', 0o600);
      const fail = (errno: string) => Object.assign(new Error(`${errno}: injected`), { code: errno });
      return new Proxy(fh, {
        get(target, prop) {
          if (prop === 'write') {
            return async (buf: Buffer, offset: number, length: number) => {
              if (fs.fault?.at !== 'write') return target.write(buf, offset, length);
              // as a filling disk does: a short write first, the error on the next call
              if (fs.fault.errno !== 'EROFS' && length > 1) return target.write(buf, offset, length >> 1);
              throw fail(fs.fault.errno);
            };
          }
          if (prop === 'datasync') {
            return async () => {
              if (fs.fault?.at === 'datasync') throw fail(fs.fault.errno);
              return target.datasync();
            };
          }
          const v = Reflect.get(target, prop);
          return typeof v === 'function' ? v.bind(target) : v;
        },
      });
    },
  };
  return fs;
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'audit-faults-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe.each([
  { errno: 'ENOSPC', at: 'write' as const, says: /disk is full/ },
  { errno: 'EROFS', at: 'write' as const, says: /read-only/ },
  { errno: 'EIO', at: 'datasync' as const, says: /I\/O error/ },
])('audit append when the disk fails ($errno at $at)', ({ errno, at, says }) => {
  it('fails the operation with a clear error, gives no receipt, leaves no partial line, and recovers by itself', async () => {
    const fs = faultyFs();
    const t = await openTrail(dir, { openFile: fs.openFile });
    await t.record(0);
    fs.fault = { errno, at };
    const err = await t.record(1).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(BridgeError);
    expect(err).toMatchObject({ code: 'INTERNAL', detail: { detail: 'AUDIT_WRITE_FAILED', errno } });
    expect((err as Error).message).toMatch(says);
    // the file holds whole lines only, none of the failed one
    expect(readFileSync(t.path, 'utf8').endsWith('\n')).toBe(true);
    expect(readEntries(t.path).some((e) => e.nonce === 'n1')).toBe(false);
    // still failing: still refused, still nothing half-written
    await expect(t.record(2)).rejects.toThrow(says);

    fs.fault = undefined; // space freed / remounted read-write
    await t.record(3);
    await t.audit.close();
    expect(readEntries(t.path).map((e) => e.nonce ?? e.reason)).toEqual(['start', 'n0', 'n3', 'stop']);
    const r = await verifyAuditTrail(dir);
    // the two refused operations were signed, never recorded, never given out: counted, not hidden
    expect(r).toMatchObject({ ok: true, keyed: true, tornTailBytes: 0, unrecordedReceipts: 2 });
  });
});

describe('audit log when the disk fails at close', () => {
  it('still closes (the stop checkpoint is lost, the log verifies up to the receipt head)', async () => {
    const fs = faultyFs();
    const t = await openTrail(dir, { openFile: fs.openFile });
    await t.record(0);
    fs.fault = { errno: 'ENOSPC', at: 'write' };
    await t.audit.close();
    fs.fault = undefined;
    expect((await verifyAuditTrail(dir)).ok).toBe(true);
  });
});

describe('audit log when the disk is full at start', () => {
  it('opens anyway, refuses operations until the disk is back, then writes the start checkpoint first', async () => {
    const fs = faultyFs();
    fs.fault = { errno: 'ENOSPC', at: 'write' };
    const t = await openTrail(dir, { openFile: fs.openFile });
    await expect(t.record(0)).rejects.toMatchObject({ detail: { errno: 'ENOSPC' } });
    fs.fault = undefined;
    await t.record(1);
    await t.audit.close();
    expect(readEntries(t.path).map((e) => e.nonce ?? e.reason)).toEqual(['start', 'n1', 'stop']);
    expect(await verifyAuditTrail(dir)).toMatchObject({ ok: true, unrecordedReceipts: 1 });
  });
});

describe('audit log when the file system is read-only at start', () => {
  it('opens anyway and writes once the file can be opened', async () => {
    const fs = faultyFs();
    let readOnly = true;
    const openFile = (p: string) =>
      readOnly
        ? Promise.reject(Object.assign(new Error('EROFS: injected'), { code: 'EROFS' }))
        : fs.openFile(p);
    const t = await openTrail(dir, { openFile });
    await expect(t.record(0)).rejects.toMatchObject({ detail: { errno: 'EROFS' } });
    readOnly = false;
    await t.record(1);
    await t.audit.close();
    expect(readEntries(t.path).map((e) => e.nonce ?? e.reason)).toEqual(['start', 'n1', 'stop']);
    expect((await verifyAuditTrail(dir)).ok).toBe(true);
  });
});
