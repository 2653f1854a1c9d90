import { appendFileSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isBridgeError } from '../../../protocols/errors.ts';
import {
  AUDIT_GENESIS,
  type AuditRecord,
  auditRecordFromReceipt,
  canonicalJson,
  hashEntry,
  openAuditLog,
  pickAuditFields,
  verifyAuditLog,
} from '../../../src/audit/index.ts';
import { receiptHash } from '../../../src/receipts/index.ts';

const REC: AuditRecord = {
  op: 'card.read',
  origin: 'https://eklaim.example.go.id',
  nonce: 'n0',
  nik: '3171012501900001',
  chipSerial: '04A1B2',
  documentSignature: 'valid',
  receiptHash: 'abc',
};

let dir: string;
let path: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'audit-'));
  path = join(dir, 'sub', 'audit.log');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function write(n: number, from = 0): Promise<void> {
  const log = await openAuditLog(path, { now: () => 1_800_000_000_000 });
  for (let i = from; i < from + n; i++) await log.append({ ...REC, nonce: `n${i}` });
  await log.close();
}
const lines = () => readFileSync(path, 'utf8').split('\n').filter(Boolean);
const entries = () => lines().map((l) => JSON.parse(l));

describe('audit log', () => {
  it('writes chained JSON lines, mode 0600, that verify', async () => {
    await write(3);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const e = entries();
    expect(e.map((x) => x.seq)).toEqual([1, 2, 3]);
    expect(e[0]).toMatchObject({
      ...REC,
      type: 'card.read',
      prevHash: AUDIT_GENESIS,
      ts: '2027-01-15T08:00:00.000Z',
    });
    expect(e[0].op).toBe('card.read');
    expect(e[1].prevHash).toBe(e[0].hash);
    expect(hashEntry(e[2])).toBe(e[2].hash);
    expect(await verifyAuditLog(path)).toMatchObject({
      ok: true,
      entries: 3,
      repairs: 0,
      tornTailBytes: 0,
      head: e[2].hash,
      keyed: false,
      unkeyedEntries: 3,
    });
  });

  it('continues the chain after a reopen', async () => {
    await write(2);
    await write(2, 2);
    const e = entries();
    expect(e.map((x) => x.nonce)).toEqual(['n0', 'n1', 'n2', 'n3']);
    expect(e[2].prevHash).toBe(e[1].hash);
    expect((await verifyAuditLog(path)).ok).toBe(true);
  });

  it('keeps the order of concurrent appends', async () => {
    const log = await openAuditLog(path);
    await Promise.all(Array.from({ length: 40 }, (_, i) => log.append({ ...REC, nonce: `c${i}` })));
    await log.close();
    expect(entries().map((x) => x.nonce)).toEqual(Array.from({ length: 40 }, (_, i) => `c${i}`));
    expect(await verifyAuditLog(path)).toMatchObject({ ok: true, entries: 40 });
  });

  it('refuses appends after close', async () => {
    const log = await openAuditLog(path);
    await log.close();
    await expect(log.append(REC)).rejects.toThrow(/closed/);
  });

  it('cuts a torn last line on open and records it in a repair entry', async () => {
    await write(2);
    const torn = '{"seq":3,"ts":"2027-01-15T08:00:00.000Z","type":"card.r';
    appendFileSync(path, torn);
    const before = await verifyAuditLog(path);
    expect(before).toMatchObject({ ok: true, entries: 2, tornTailBytes: torn.length });
    await write(1, 2);
    const e = entries();
    expect(e.map((x) => x.type)).toEqual(['card.read', 'card.read', 'repair', 'card.read']);
    expect(e[2]).toMatchObject({ seq: 3, truncatedBytes: torn.length, prevHash: e[1].hash });
    expect(await verifyAuditLog(path)).toMatchObject({ ok: true, entries: 4, repairs: 1, tornTailBytes: 0 });
  });

  it('repairs a log that holds only a torn line', async () => {
    writeFileSync(path.replace('sub/', ''), '{"se');
    path = path.replace('sub/', '');
    await write(1);
    expect(entries().map((x) => x.type)).toEqual(['repair', 'card.read']);
    expect((await verifyAuditLog(path)).ok).toBe(true);
  });

  it('refuses to continue after a damaged complete last line', async () => {
    await write(2);
    appendFileSync(path, 'garbage\n');
    try {
      await openAuditLog(path);
      throw new Error('expected a refusal');
    } catch (e) {
      expect(isBridgeError(e, 'INTERNAL')).toBe(true);
    }
    expect(await verifyAuditLog(path)).toMatchObject({ ok: false, brokenAt: 3, reason: 'not JSON' });
  });

  it('a missing log verifies as empty', async () => {
    expect(await verifyAuditLog(join(dir, 'none.log'))).toMatchObject({ ok: true, entries: 0 });
  });
});

describe('verifyAuditLog finds tampering', () => {
  beforeEach(async () => {
    await write(5);
  });
  const save = (ls: string[]) => writeFileSync(path, `${ls.join('\n')}\n`);

  it('an edited line', async () => {
    const ls = lines();
    ls[1] = ls[1].replace('"n1"', '"nX"');
    save(ls);
    expect(await verifyAuditLog(path)).toMatchObject({ ok: false, brokenAt: 2, entries: 1 });
    expect((await verifyAuditLog(path)).reason).toMatch(/edited/);
  });

  it('an edited line whose own hash was recomputed', async () => {
    const ls = lines();
    const e = JSON.parse(ls[1]);
    e.nik = '3171012501900002';
    e.hash = hashEntry(e);
    ls[1] = JSON.stringify(e);
    save(ls);
    expect(await verifyAuditLog(path)).toMatchObject({ ok: false, brokenAt: 3 });
  });

  it('a removed line', async () => {
    const ls = lines();
    ls.splice(2, 1);
    save(ls);
    expect(await verifyAuditLog(path)).toMatchObject({ ok: false, brokenAt: 3 });
  });

  it('a removed line with the later lines renumbered and their own hashes recomputed', async () => {
    const ls = lines();
    ls.splice(2, 1);
    for (let i = 2; i < ls.length; i++) {
      const e = JSON.parse(ls[i]);
      e.seq = i + 1;
      e.hash = hashEntry(e);
      ls[i] = JSON.stringify(e);
    }
    save(ls);
    const r = await verifyAuditLog(path);
    expect(r).toMatchObject({ ok: false, brokenAt: 3 });
    expect(r.reason).toMatch(/prevHash/);
  });

  it('the first line removed', async () => {
    save(lines().slice(1));
    expect(await verifyAuditLog(path)).toMatchObject({ ok: false, brokenAt: 1 });
  });

  it('two lines swapped', async () => {
    const ls = lines();
    [ls[1], ls[2]] = [ls[2], ls[1]];
    save(ls);
    expect(await verifyAuditLog(path)).toMatchObject({ ok: false, brokenAt: 2 });
  });

  it('a line duplicated', async () => {
    const ls = lines();
    ls.splice(3, 0, ls[2]);
    save(ls);
    expect(await verifyAuditLog(path)).toMatchObject({ ok: false, brokenAt: 4 });
  });
});

describe('audit fields', () => {
  it('keeps only known scalar fields of bounded size (never photos or templates)', () => {
    const sneaky = {
      ...REC,
      photo: '/9j/4AAQ'.repeat(100),
      templates: [[1, 2, 3]],
      nama: 'BUDI',
      sensor: 'x'.repeat(5000),
      score: Number.NaN,
      matched: false,
    } as unknown as AuditRecord;
    const picked = pickAuditFields(sneaky);
    expect(Object.keys(picked).sort()).toEqual(Object.keys({ ...REC, matched: false }).sort());
  });

  it('an audit record from a receipt holds its claims and hash, not iss/iat/prev', () => {
    const claims = {
      ...REC,
      op: 'finger.verify' as const,
      matched: true,
      iss: 'dev',
      iat: 1,
      prev: 'p',
      nik: '1',
    };
    const r = auditRecordFromReceipt(claims as never, 'a.b.c');
    expect(r).toMatchObject({ op: 'finger.verify', matched: true, receiptHash: receiptHash('a.b.c') });
    expect(r).not.toHaveProperty('iss');
    expect(r).not.toHaveProperty('prev');
  });

  it('canonical JSON sorts keys and drops undefined', () => {
    expect(canonicalJson({ b: 1, a: 'x', c: undefined, d: { z: true, y: null } })).toBe(
      '{"a":"x","b":1,"d":{"y":null,"z":true}}',
    );
    expect(() => canonicalJson({ a: Number.POSITIVE_INFINITY })).toThrow();
  });
});
