import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openAuditLog, signAndRecord, verifyAuditLog } from '../../../src/audit/index.ts';
import { loadOrCreateDeviceKey } from '../../../src/keys/device-key.ts';
import {
  createReceiptSigner,
  type ReceiptInput,
  receiptHash,
  verifyReceipt,
} from '../../../src/receipts/index.ts';

const INPUT: ReceiptInput = {
  op: 'finger.verify',
  nonce: 'abc',
  origin: 'https://eklaim.example.go.id',
  nik: '3171012501900001',
  chipSerial: '04A1B2',
  documentSignature: 'valid',
  matched: false,
  finger: 7,
  score: 12,
  threshold: 40,
  sensor: 'sim-0',
};

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sign-record-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('signAndRecord', () => {
  it('returns a valid receipt whose audit entry (with its hash) is already on disk', async () => {
    const key = await loadOrCreateDeviceKey(dir);
    const signer = createReceiptSigner({ deviceKey: key, chainFile: join(dir, 'receipt-chain.json') });
    const audit = await openAuditLog(join(dir, 'audit.log'));
    const receipt = await signAndRecord(signer, audit, INPUT);
    expect(await verifyReceipt(receipt, key.publicJwk)).toMatchObject(INPUT);
    const [entry] = readFileSync(join(dir, 'audit.log'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(entry).toMatchObject({ ...INPUT, type: 'finger.verify', receiptHash: receiptHash(receipt) });
    expect((await verifyAuditLog(join(dir, 'audit.log'))).ok).toBe(true);
    await audit.close();
  });

  it('gives no receipt when the audit log cannot record it', async () => {
    const key = await loadOrCreateDeviceKey(dir);
    const signer = createReceiptSigner({ deviceKey: key, chainFile: join(dir, 'receipt-chain.json') });
    const audit = await openAuditLog(join(dir, 'audit.log'));
    await audit.close();
    await expect(signAndRecord(signer, audit, INPUT)).rejects.toThrow(/closed/);
  });
});
