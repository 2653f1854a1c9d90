import { mkdtempSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chainFiles, verifyAuditTrail } from '../../../src/audit/index.ts';
import { editAndRehash, openTrail, readEntries } from './trail-helpers.ts';

const DAY = 86_400_000;
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'audit-rotate-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const auditFiles = () =>
  readdirSync(dir)
    .filter((n) => n.startsWith('audit.log'))
    .sort();

/** every file's first line links to the last line of the file before: one chain */
function expectOneChain(files: string[]): void {
  let prev: Record<string, unknown> | undefined;
  for (const f of files) {
    const e = readEntries(f);
    if (prev) expect(e[0]).toMatchObject({ prevHash: prev.hash, seq: (prev.seq as number) + 1 });
    prev = e.at(-1);
  }
}

describe('audit log rotation', () => {
  it('rotates by size into audit.log.1, .2, ... that verify as one chain', async () => {
    const t = await openTrail(dir, { rotate: { maxBytes: 2000 } });
    for (let i = 0; i < 20; i++) await t.record(i);
    await t.audit.close();
    const files = chainFiles(t.path);
    expect(files.length).toBeGreaterThanOrEqual(4);
    expect(auditFiles()).toContain('audit.log.1');
    // a rotated file ends with its signed `rotate` checkpoint, and is at most one round over the size
    for (const f of files.slice(0, -1)) {
      expect(readEntries(f).at(-1)).toMatchObject({ type: 'checkpoint', reason: 'rotate' });
      expect(statSync(f).size).toBeLessThan(2000 + 1500);
      expect(statSync(f).mode & 0o777).toBe(0o600);
    }
    expectOneChain(files);
    const r = await verifyAuditTrail(dir);
    expect(r).toMatchObject({ ok: true, files, keyed: true, unrecordedReceiptGaps: 0 });
    expect(r.entries - r.checkpoints).toBe(20);
    expect(r.warnings).toEqual([]);
  });

  it('continues the chain after a restart, numbering after the newest rotated file', async () => {
    let t = await openTrail(dir, { rotate: { maxBytes: 1500 } });
    for (let i = 0; i < 8; i++) await t.record(i);
    await t.audit.close();
    const before = chainFiles(t.path).length;
    t = await openTrail(dir, { rotate: { maxBytes: 1500 } });
    for (let i = 8; i < 16; i++) await t.record(i);
    await t.audit.close();
    expect(chainFiles(t.path).length).toBeGreaterThan(before);
    expectOneChain(chainFiles(t.path));
    expect((await verifyAuditTrail(dir)).ok).toBe(true);
  });

  it('continues from the newest rotated file when a crash came between the rename and the new file', async () => {
    const t = await openTrail(dir);
    for (let i = 0; i < 3; i++) await t.record(i);
    await t.audit.close();
    renameSync(t.path, `${t.path}.1`); // what a crash right after rotation's rename leaves
    const t2 = await openTrail(dir);
    await t2.record(3);
    await t2.audit.close();
    expectOneChain(chainFiles(t.path));
    expect(await verifyAuditTrail(dir)).toMatchObject({ ok: true, files: chainFiles(t.path) });
  });

  it('rotates by age of the first entry', async () => {
    let clock = Date.parse('2027-01-01T00:00:00Z');
    const t = await openTrail(dir, { now: () => clock, rotate: { maxAgeMs: 30 * DAY } });
    await t.record(0);
    clock += 29 * DAY;
    await t.record(1);
    expect(chainFiles(t.path)).toHaveLength(1);
    clock += 2 * DAY;
    await t.record(2);
    expect(chainFiles(t.path)).toHaveLength(2);
    await t.audit.close();
    expect((await verifyAuditTrail(dir)).ok).toBe(true);
  });

  it('survives the wall clock jumping forward and back: one early rotation, no storm, no wait for the old time', async () => {
    let clock = Date.parse('2027-01-01T00:00:00Z');
    const t = await openTrail(dir, { now: () => clock, rotate: { maxAgeMs: 30 * DAY } });
    await t.record(0);
    clock += 365 * DAY; // forward a year: the file is "old", rotated once
    await t.record(1);
    await t.record(2);
    expect(chainFiles(t.path)).toHaveLength(2);
    clock -= 2 * 365 * DAY; // back two years: entries now older than the file's first one
    await t.record(3);
    await t.record(4);
    expect(chainFiles(t.path)).toHaveLength(2); // no rotation for a negative age
    clock += 31 * DAY; // the age counts from the jump back, not from a year in the future
    await t.record(5);
    expect(chainFiles(t.path)).toHaveLength(3);
    await t.audit.close();
    // timestamps go back and forth; the chain does not depend on them
    const r = await verifyAuditTrail(dir);
    expect(r).toMatchObject({ ok: true, keyed: true });
    expect(r.entries - r.checkpoints).toBe(6);
  });

  it('finds an edit in a rotated file with every later hash (in every file) recomputed', async () => {
    const t = await openTrail(dir, { rotate: { maxBytes: 1500 } });
    for (let i = 0; i < 10; i++) await t.record(i);
    await t.audit.close();
    const files = chainFiles(t.path);
    editAndRehash(
      files,
      (e) => e.nonce === 'n1',
      (e) => {
        e.matched = false;
      },
    );
    const r = await verifyAuditTrail(dir);
    expect(r).toMatchObject({ ok: false, file: files[0] });
    expect(r.reason).toMatch(/mac does not match/);
  });

  it('finds a rotated file removed from the middle', async () => {
    const t = await openTrail(dir, { rotate: { maxBytes: 1500 } });
    for (let i = 0; i < 12; i++) await t.record(i);
    await t.audit.close();
    const files = chainFiles(t.path);
    expect(files.length).toBeGreaterThanOrEqual(3);
    rmSync(files[1]!);
    const r = await verifyAuditTrail(dir);
    expect(r).toMatchObject({ ok: false, file: files[2], brokenAt: 1 });
    expect(r.reason).toMatch(/prevHash/);
  });
});
