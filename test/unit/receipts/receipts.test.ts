import { createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BridgeError } from '../../../protocols/errors.ts';
import { type DeviceKey, loadOrCreateDeviceKey } from '../../../src/keys/device-key.ts';
import {
  createReceiptSigner,
  RECEIPT_GENESIS,
  type ReceiptInput,
  receiptHash,
  verifyReceipt,
  verifyReceiptChain,
} from '../../../src/receipts/index.ts';

const READ: ReceiptInput = {
  op: 'card.read',
  nonce: 'nonce-1',
  origin: 'https://eklaim.example.go.id',
  nik: '3171012501900001',
  chipSerial: '04A1B2C3D4E5F6',
  documentSignature: 'valid',
};
const VERIFY: ReceiptInput = {
  ...READ,
  op: 'finger.verify',
  matched: true,
  finger: 2,
  score: 61,
  threshold: 40,
  sensor: 'sim-0',
};

let dir: string;
let key: DeviceKey;
let chainFile: string;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'receipts-'));
  key = await loadOrCreateDeviceKey(dir);
  chainFile = join(dir, 'receipt-chain.json');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function signMany(
  n: number,
  signer = createReceiptSigner({ deviceKey: key, chainFile }),
): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(await signer.sign({ ...(i % 2 ? VERIFY : READ), nonce: `n${i}` }));
  return out;
}

async function rejection(p: Promise<unknown>): Promise<BridgeError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(BridgeError);
    return e as BridgeError;
  }
  throw new Error('expected a rejection');
}

function tamper(jws: string, edit: (claims: Record<string, unknown>) => void): string {
  const [h, p, s] = jws.split('.');
  const claims = JSON.parse(Buffer.from(p, 'base64url').toString());
  edit(claims);
  return `${h}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${s}`;
}

describe('receipt signer', () => {
  it('signs ES256 with kid = device id and the claims of api-v1.md', async () => {
    const signer = createReceiptSigner({ deviceKey: key, chainFile, now: () => 1_800_000_000_500 });
    const jws = await signer.sign(VERIFY);
    const header = JSON.parse(Buffer.from(jws.split('.')[0], 'base64url').toString());
    expect(header).toMatchObject({ alg: 'ES256', kid: key.deviceId });
    // checked at the time it was signed: a receipt from the future is refused
    const claims = await verifyReceipt(jws, key.publicJwk, { now: 1_800_000_000 });
    expect(claims).toEqual({ ...VERIFY, iss: key.deviceId, iat: 1_800_000_000, prev: RECEIPT_GENESIS });
    expect(signer.head()).toBe(receiptHash(jws));
  });

  it('omits absent optional claims (no nonce without a ticket)', async () => {
    const { nonce: _n, ...noTicket } = READ;
    const jws = await createReceiptSigner({ deviceKey: key, chainFile }).sign({
      ...noTicket,
      nonce: undefined,
    });
    expect('nonce' in (await verifyReceipt(jws, key.publicJwk))).toBe(false);
  });

  it('chains receipts and continues the chain after a restart', async () => {
    const first = await signMany(3);
    const mode = statSync(chainFile).mode & 0o777;
    expect(mode).toBe(0o600);
    const after = await signMany(2, createReceiptSigner({ deviceKey: key, chainFile }));
    expect((await verifyReceipt(after[0], key.publicJwk)).prev).toBe(receiptHash(first[2]));
    expect(
      await verifyReceiptChain([...first, ...after], key.publicJwk, { fromGenesis: true }),
    ).toMatchObject({ ok: true });
    expect(JSON.parse(readFileSync(chainFile, 'utf8')).count).toBe(5);
  });

  it('keeps concurrent signs in call order', async () => {
    const signer = createReceiptSigner({ deviceKey: key, chainFile });
    const all = await Promise.all(
      Array.from({ length: 12 }, (_, i) => signer.sign({ ...READ, nonce: `c${i}` })),
    );
    const result = await verifyReceiptChain(all, key.publicJwk, { fromGenesis: true });
    expect(result.ok).toBe(true);
    expect(result.claims.map((c) => c.nonce)).toEqual(all.map((_, i) => `c${i}`));
  });

  it('starts a new chain when the device key changed, refuses a corrupt head file', async () => {
    writeFileSync(chainFile, JSON.stringify({ deviceId: 'old-device', head: 'x', count: 9 }));
    const jws = await createReceiptSigner({ deviceKey: key, chainFile }).sign(READ);
    expect((await verifyReceipt(jws, key.publicJwk)).prev).toBe(RECEIPT_GENESIS);
    writeFileSync(chainFile, '{"deviceId":');
    expect(() => createReceiptSigner({ deviceKey: key, chainFile })).toThrow(/not valid JSON/);
  });
});

describe('verifyReceipt', () => {
  it('refuses an edited claim, another device key, HS256 and garbage', async () => {
    const [jws] = await signMany(1);
    const edited = tamper(jws, (c) => {
      c.matched = true;
    });
    const refused = await rejection(verifyReceipt(edited, key.publicJwk));
    expect(refused.code).toBe('RECEIPT_INVALID');
    // the failed check's reason code, in detail.reason as for TICKET_INVALID (and in detail.check)
    expect(refused.detail).toEqual({ reason: 'BAD_SIGNATURE', check: 'BAD_SIGNATURE' });

    const otherDir = mkdtempSync(join(tmpdir(), 'receipts-other-'));
    try {
      const other = await loadOrCreateDeviceKey(otherDir);
      const e = await rejection(verifyReceipt(jws, other.publicJwk));
      expect(e.message).toMatch(/signature|iss/);
      // signed by the other key but claiming to be this device
      const forged = await createReceiptSigner({
        deviceKey: { deviceId: key.deviceId, privateKey: other.privateKey },
        chainFile: join(otherDir, 'chain.json'),
      }).sign(READ);
      expect((await rejection(verifyReceipt(forged, key.publicJwk))).message).toMatch(/signature/);
      // a genuine receipt of the other device does not pass as this one's
      const theirs = await createReceiptSigner({
        deviceKey: other,
        chainFile: join(otherDir, 'c2.json'),
      }).sign(READ);
      const { kid: _kid, ...noKid } = key.publicJwk;
      expect((await rejection(verifyReceipt(theirs, key.publicJwk))).message).toMatch(/signature/);
      // the device id is the key's thumbprint: a kid written into the JWK by hand changes nothing
      expect(await verifyReceipt(theirs, { ...other.publicJwk, kid: key.deviceId })).toMatchObject({
        iss: other.deviceId,
      });
      expect(await verifyReceipt(jws, noKid)).toMatchObject({ iss: key.deviceId });
    } finally {
      rmSync(otherDir, { recursive: true, force: true });
    }

    const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    const input = `${b64({ alg: 'HS256', kid: key.deviceId })}.${b64({ ...READ, iss: key.deviceId, iat: 1, prev: RECEIPT_GENESIS })}`;
    const hs = `${input}.${createHmac('sha256', JSON.stringify(key.publicJwk)).update(input).digest('base64url')}`;
    expect((await rejection(verifyReceipt(hs, key.publicJwk))).message).toMatch(/alg/);
    expect((await rejection(verifyReceipt('garbage', key.publicJwk))).code).toBe('RECEIPT_INVALID');
  });
});

describe('verifyReceiptChain', () => {
  it('finds a removed, a reordered and an edited receipt', async () => {
    const list = await signMany(5);
    expect((await verifyReceiptChain(list, key.publicJwk, { fromGenesis: true })).ok).toBe(true);
    // a slice from the middle is fine without fromGenesis, not with it
    expect((await verifyReceiptChain(list.slice(2), key.publicJwk)).ok).toBe(true);
    expect(await verifyReceiptChain(list.slice(2), key.publicJwk, { fromGenesis: true })).toMatchObject({
      ok: false,
      brokenAt: 0,
    });

    const removed = [...list.slice(0, 2), ...list.slice(3)];
    expect(await verifyReceiptChain(removed, key.publicJwk)).toMatchObject({ ok: false, brokenAt: 2 });

    const reordered = [list[0], list[2], list[1], list[3], list[4]];
    expect(await verifyReceiptChain(reordered, key.publicJwk)).toMatchObject({ ok: false, brokenAt: 1 });

    const edited = [...list];
    edited[3] = tamper(list[3], (c) => {
      c.score = 99;
    });
    const r = await verifyReceiptChain(edited, key.publicJwk);
    expect(r).toMatchObject({ ok: false, brokenAt: 3 });
    expect(r.reason).toMatch(/signature/);
    expect(r.claims).toHaveLength(3);
  });
});
