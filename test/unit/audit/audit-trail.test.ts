import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  auditKeyFromDeviceKey,
  macMatches,
  openAuditLog,
  verifyAuditLog,
  verifyAuditTrail,
} from '../../../src/audit/index.ts';
import { loadOrCreateDeviceKey } from '../../../src/keys/device-key.ts';
import { removeStaleTempFiles } from '../../../src/receipts/atomic-file.ts';
import { RECEIPT_CHAIN_FILE } from '../../../src/receipts/index.ts';
import { editAndRehash, INPUT, openTrail, readEntries } from './trail-helpers.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'audit-trail-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function trailOf(n: number, checkpointEvery = 1000) {
  const t = await openTrail(dir, { checkpointEvery });
  for (let i = 0; i < n; i++) await t.record(i);
  await t.audit.close();
  return t;
}

describe('keyed audit trail', () => {
  it('gives every entry a mac and writes signed start and stop checkpoints that verify', async () => {
    const t = await trailOf(3);
    const e = readEntries(t.path);
    expect(e.map((x) => x.type)).toEqual([
      'checkpoint',
      'finger.verify',
      'finger.verify',
      'finger.verify',
      'checkpoint',
    ]);
    expect(e[0]).toMatchObject({ reason: 'start', kid: (await loadOrCreateDeviceKey(dir)).deviceId });
    expect(e[4]).toMatchObject({ reason: 'stop', receiptHead: t.signer.head() });
    const key = auditKeyFromDeviceKey(await loadOrCreateDeviceKey(dir));
    for (const x of e) expect(macMatches(key.macKey, x as never)).toBe(true);
    const r = await verifyAuditTrail(dir);
    expect(r).toMatchObject({
      ok: true,
      entries: 5,
      checkpoints: 2,
      keyed: true,
      macsChecked: true,
      signaturesChecked: true,
      unrecordedReceiptGaps: 0,
      unrecordedReceipts: 0,
      receiptHead: { expected: t.signer.head(), found: t.signer.head() },
    });
    expect(r.warnings).toEqual([]);
  });

  it('writes a checkpoint every checkpointEvery entries', async () => {
    const t = await trailOf(7, 3);
    const types = readEntries(t.path).map((x) => (x.type === 'checkpoint' ? x.reason : '.'));
    expect(types).toEqual(['start', '.', '.', '.', 'interval', '.', '.', '.', 'interval', '.', 'stop']);
  });

  it('fails an edited log whose hashes were all recomputed (the mac of the edited line)', async () => {
    const t = await trailOf(4);
    // plain hash-chain checking is fooled by this: that is what the mac is for
    editAndRehash(
      [t.path],
      (e) => e.nonce === 'n1',
      (e) => {
        e.matched = false;
      },
    );
    expect((await verifyAuditLog(t.path)).ok).toBe(true);
    const r = await verifyAuditTrail(dir);
    expect(r).toMatchObject({ ok: false, brokenAt: 3 });
    expect(r.reason).toMatch(/mac does not match/);
  });

  it('fails it too when the macs after the edit are removed', async () => {
    const t = await trailOf(4);
    editAndRehash(
      [t.path],
      (e) => e.nonce === 'n2',
      (e) => {
        e.score = 99;
      },
      (e) => {
        delete e.mac;
      },
    );
    const r = await verifyAuditTrail(dir);
    expect(r).toMatchObject({ ok: false, brokenAt: 4 });
    expect(r.reason).toMatch(/without mac after keyed entries/);
  });

  it('with only the public key, a checkpoint after the edit fails its signature', async () => {
    const t = await trailOf(4);
    editAndRehash(
      [t.path],
      (e) => e.nonce === 'n0',
      (e) => {
        e.origin = 'https://evil.example';
      },
    );
    const { publicJwk } = await loadOrCreateDeviceKey(dir);
    rmSync(join(dir, 'device-key.pem')); // an exported copy: no private key at hand
    const r = await verifyAuditTrail(dir, { publicJwk });
    expect(r).toMatchObject({ ok: false, brokenAt: 6, macsChecked: false, signaturesChecked: true });
    expect(r.reason).toMatch(/checkpoint signature does not verify/);
  });

  it('finds removed last lines by the receipt chain head', async () => {
    const t = await trailOf(3);
    const lines = readFileSync(t.path, 'utf8').split('\n').filter(Boolean);
    writeFileSync(t.path, `${lines.slice(0, -2).join('\n')}\n`); // the last verify and the stop checkpoint
    const r = await verifyAuditTrail(dir);
    expect(r.ok).toBe(false);
    expect(r.reason).toMatch(/does not end at the receipt chain head/);
    expect(r.receiptHead).toEqual({ expected: t.signer.head(), found: expect.any(String) });
  });

  it('finds a log deleted whole (the chain head is not the genesis)', async () => {
    const t = await trailOf(2);
    rmSync(t.path);
    expect((await verifyAuditTrail(dir)).ok).toBe(false);
  });

  it('records receipts signed but never recorded (a crash between the two) at the next start', async () => {
    const t = await openTrail(dir);
    await t.record(0);
    await t.signer.sign({ ...INPUT, nonce: 'lost' }); // signed; the crash comes before its entry
    await t.reopen();
    await t.record(1);
    await t.audit.close();
    const r = await verifyAuditTrail(dir);
    expect(r).toMatchObject({ ok: true, unrecordedReceiptGaps: 1, unrecordedReceipts: 1 });
    expect(r.warnings.join()).toMatch(/signed but not recorded/);
  });

  it('counts the receipts whose lines were removed, even after the daemon restarted over the cut', async () => {
    const t = await openTrail(dir);
    for (let i = 0; i < 6; i++) await t.record(i);
    await t.audit.close();
    const lines = readFileSync(t.path, 'utf8').split('\n').filter(Boolean);
    writeFileSync(t.path, `${lines.slice(0, -4).join('\n')}\n`); // n3, n4, n5 and the stop checkpoint
    await t.reopen(); // the start checkpoint records the head and count the log no longer reaches
    await t.audit.close();
    const r = await verifyAuditTrail(dir);
    expect(r).toMatchObject({ ok: true, unrecordedReceipts: 3 });
    expect(r.warnings.join()).toMatch(/3 receipt\(s\) in the chain have no entry/);
  });

  it('still verifies a log written before keys (with a warning), and keys what follows', async () => {
    const path = join(dir, 'audit.log');
    const old = await openAuditLog(path);
    await old.append({ op: 'card.read', origin: 'https://x.example', receiptHash: 'r1' });
    await old.close();
    let r = await verifyAuditTrail(dir);
    expect(r).toMatchObject({ ok: true, keyed: false, unkeyedEntries: 1 });
    expect(r.warnings.join()).toMatch(/carry no mac/);

    const t = await openTrail(dir);
    await t.record(0);
    await t.audit.close();
    r = await verifyAuditTrail(dir);
    expect(r).toMatchObject({ ok: true, keyed: false, unkeyedEntries: 1, checkpoints: 2 });
  });
});

describe('a device key replaced under a running trail', () => {
  it("verifies: the new key checks its own entries, the old key's are reported, not failed", async () => {
    let t = await openTrail(dir);
    await t.record(0);
    await t.audit.close();
    rmSync(join(dir, 'device-key.pem')); // a new device key: a new receipt chain, the same log
    t = await openTrail(dir);
    await t.record(1);
    await t.audit.close();
    const r = await verifyAuditTrail(dir);
    expect(r).toMatchObject({ ok: true, unrecordedReceipts: 0 });
    expect(r.warnings.join()).toMatch(/3 entries were written under another device key/);
  });
});

describe('removeStaleTempFiles', () => {
  it('removes torn temporary files of dead processes, keeps those of live ones', () => {
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
    writeFileSync(join(dir, `${RECEIPT_CHAIN_FILE}.${dead}.tmp`), '{"torn');
    writeFileSync(join(dir, `${RECEIPT_CHAIN_FILE}.${process.ppid}.tmp`), '{"being written');
    writeFileSync(join(dir, RECEIPT_CHAIN_FILE), '{}');
    expect(removeStaleTempFiles(dir)).toEqual([`${RECEIPT_CHAIN_FILE}.${dead}.tmp`]);
    expect(existsSync(join(dir, `${RECEIPT_CHAIN_FILE}.${process.ppid}.tmp`))).toBe(true);
    expect(existsSync(join(dir, RECEIPT_CHAIN_FILE))).toBe(true);
  });
});
