/**
 * Writes the test vectors of docs/receipts-and-tickets.md: test/vectors/keys.json (TEST keys, never
 * used anywhere else), test/vectors/receipts/ and test/vectors/tickets/, each with a manifest that
 * states the expected outcome and reason of every vector.
 *
 * Valid receipts come from the daemon's own signer (src/receipts), so the vectors are what a daemon
 * really sends; each invalid one has exactly one defect. Re-run after a change to the formats:
 *   npx tsx scripts/make-vectors.ts
 * ECDSA signatures are randomised, so a re-run rewrites every file; the keys are kept.
 */
import { createHmac, createPrivateKey, type KeyObject, randomBytes, sign } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CompactSign, calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from 'jose';
import { canonicalJson } from '../src/audit/canonical-json.ts';
import { encodePng } from '../src/biometrics/image/index.ts';
import { cardDigestOf, createReceiptSigner, type ReceiptInput, sha256Digest } from '../src/receipts/index.ts';
import { MAX_TICKET_LENGTH, mintTicket } from '../src/security/tickets.ts';
import type { TicketClaims } from '../src/services/types.ts';

const ROOT = join(import.meta.dirname, '..');
const DIR = join(ROOT, 'test/vectors');
/** the verification time of every vector (2026-12-01T00:00:00Z) */
const NOW = 1_796_083_200;
const ORIGIN = 'https://eklaim.example.go.id';

type KeyPair = { publicJwk: JWK; privateJwk: JWK; id: string };

async function keys(): Promise<Record<'device' | 'backend' | 'other', KeyPair>> {
  const file = join(DIR, 'keys.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')).keys;
  const make = async (): Promise<KeyPair> => {
    const { privateKey } = await generateKeyPair('ES256', { extractable: true });
    const privateJwk = await exportJWK(privateKey);
    const { d: _d, ...publicJwk } = privateJwk;
    const id = await calculateJwkThumbprint({
      kty: 'EC',
      crv: publicJwk.crv,
      x: publicJwk.x,
      y: publicJwk.y,
    });
    return { publicJwk, privateJwk, id };
  };
  const k = { device: await make(), backend: await make(), other: await make() };
  write('keys.json', {
    description:
      'TEST KEYS ONLY (their private halves are public here). device: signs receipts, id = RFC 7638 thumbprint. backend: signs tickets. other: a key nobody trusts.',
    keys: k,
  });
  return k;
}

const keyObject = (jwk: JWK): KeyObject => createPrivateKey({ key: jwk as never, format: 'jwk' });
const b64u = (s: string | Uint8Array) => Buffer.from(s).toString('base64url');
const parts = (jws: string) => jws.split('.');
const claimsOf = (jws: string) => JSON.parse(Buffer.from(parts(jws)[1], 'base64url').toString('utf8'));

function write(name: string, value: unknown): void {
  writeFileSync(join(DIR, name), `${JSON.stringify(value, null, 2)}\n`);
}

/**
 * Signs exactly the given base64url parts (ES256, r||s), for headers and payloads no JOSE library
 * would produce: not JSON, not UTF-8, with `crit`.
 */
function signParts(h: string, p: string, key: KeyObject): string {
  const sig = sign('sha256', Buffer.from(`${h}.${p}`, 'ascii'), { key, dsaEncoding: 'ieee-p1363' });
  return `${h}.${p}.${sig.toString('base64url')}`;
}

async function signRaw(header: object, payload: string | object, key: KeyObject): Promise<string> {
  const bytes = new TextEncoder().encode(typeof payload === 'string' ? payload : JSON.stringify(payload));
  return new CompactSign(bytes).setProtectedHeader(header as never).sign(key);
}

/** a synthetic card record as card.read returns it (no real person) */
function card(nik: string, nama: string): Record<string, unknown> {
  return {
    chipSerial: '04A1B2C3D4E5F6',
    documentSignature: 'valid',
    nik,
    nama,
    tempatLahir: 'BANDUNG',
    tanggalLahir: '1990-01-25',
    jenisKelamin: 'PEREMPUAN',
    golonganDarah: 'O',
    alamat: 'JL. CIKINI RAYA NO. 7 – BLOK "C"',
    rt: '001',
    rw: '002',
    kelurahan: 'CIKINI',
    kecamatan: 'MENTENG',
    kabupaten: 'JAKARTA PUSAT',
    provinsi: 'DKI JAKARTA',
    agama: 'ISLAM',
    statusPerkawinan: 'KAWIN',
    pekerjaan: 'KARYAWAN SWASTA',
    kewarganegaraan: 'WNI',
    berlakuHingga: 'SEUMUR HIDUP',
    tanggalTerbit: '2018-03-12',
    nikConsistent: true,
    photo: randomBytes(48).toString('base64'),
    signatureImage: { mediaType: 'image/png', data: randomBytes(24).toString('base64') },
    fingers: [
      { position: 2, minutiaeCount: 41, quality: 80 },
      { position: 7, minutiaeCount: 37, quality: 65 },
    ],
  };
}

/** the same object with its keys in reverse order: the digest must not change */
function reversed(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).reverse());
}

interface Entry {
  jws: string;
  card?: Record<string, unknown>;
  image?: string;
  candidates?: { id: string; score: number }[];
  nonce?: string;
}
interface ReceiptVector {
  name: string;
  description: string;
  expect: 'valid' | 'invalid';
  reason?: string;
  /** index of the entry that fails */
  index?: number;
  fromGenesis?: boolean;
  entries: Entry[];
}

async function main(): Promise<void> {
  const k = await keys();
  const deviceKey = keyObject(k.device.privateJwk);
  const tmp = mkdtempSync(join(tmpdir(), 'ektp-vectors-'));
  let clock = NOW - 600;
  const signer = createReceiptSigner({
    deviceKey: { deviceId: k.device.id, privateKey: deviceKey },
    chainFile: join(tmp, 'chain.json'),
    now: () => {
      clock += 7;
      return clock * 1000;
    },
  });

  const cardA = card('3273016501900002', 'SITI NURHALIZA');
  const cardFingersOnly = {
    chipSerial: '04A1B2C3D4E5F6',
    documentSignature: 'valid',
    fingers: cardA.fingers,
  };
  const png = encodePng({
    width: 4,
    height: 3,
    dpi: 500,
    pixels: Uint8Array.from({ length: 12 }, (_, i) => i * 20),
  });
  const image = png.toString('base64');
  const common = { origin: ORIGIN, daemonVersion: '0.2.0' };
  const sensor = {
    sensor: 'simulated',
    sensorDriver: 'simulated',
    sensorModel: 'Simulated fingerprint sensor',
    sensorSerial: 'SIM-0001',
  };
  const nonces = ['n-read-1', 'n-verify-1', 'n-capture-1', 'n-read-2'];
  const read: ReceiptInput = {
    op: 'card.read',
    nonce: nonces[0],
    ...common,
    nik: cardA.nik as string,
    chipSerial: cardA.chipSerial as string,
    documentSignature: 'valid',
    cardDigest: cardDigestOf(cardA),
  };
  const r0 = await signer.sign(read);
  const r1 = await signer.sign({
    op: 'finger.verify',
    nonce: nonces[1],
    ...common,
    nik: read.nik,
    chipSerial: read.chipSerial,
    documentSignature: 'valid',
    cardDigest: read.cardDigest,
    templatesDigest: sha256Digest('iso-19794-2 records of the card'),
    matched: true,
    finger: 2,
    score: 0.4123,
    threshold: 0.2391,
    ...sensor,
  });
  const r2 = await signer.sign({
    op: 'finger.capture',
    nonce: nonces[2],
    ...common,
    imageDigest: sha256Digest(png),
    ...sensor,
  });
  const r3 = await signer.sign({
    op: 'card.read',
    nonce: nonces[3],
    ...common,
    chipSerial: read.chipSerial,
    documentSignature: 'valid',
    cardDigest: cardDigestOf(cardFingersOnly),
  });
  const candidates = [
    { id: 'person-04711', score: 0.3912 },
    { id: 'person-00017', score: 0.0813 },
  ];
  const r4 = await signer.sign({
    op: 'finger.identify',
    nonce: 'n-identify-1',
    ...common,
    gallery: 'branch-0101',
    galleryDigest: sha256Digest('the gallery file'),
    candidatesDigest: sha256Digest(canonicalJson(candidates)),
    ...sensor,
  });
  // a receipt as daemons before cardDigest signed it: nik "" and no digest, still valid
  const legacy = await signer.sign({
    op: 'card.read',
    nonce: 'n-legacy',
    origin: ORIGIN,
    nik: '',
    chipSerial: read.chipSerial,
    documentSignature: 'not-checked',
  });
  const e = (jws: string, extra: Omit<Entry, 'jws'> = {}): Entry => ({ jws, ...extra });
  const readEntry = e(r0, { card: cardA, nonce: nonces[0] });
  const verifyEntry = e(r1, { card: cardA, nonce: nonces[1] });
  const captureEntry = e(r2, { image, nonce: nonces[2] });
  const identifyEntry = e(r4, { candidates, nonce: 'n-identify-1' });

  const c0 = claimsOf(r0);
  const p0 = parts(r0)[1];
  if (!/[+/]/.test(image)) throw new Error('the capture image must have + or / in its base64');
  const deviceHeader = { alg: 'ES256', typ: 'JWT', kid: k.device.id };
  const tamperedPayload = `${parts(r1)[0]}.${b64u(JSON.stringify({ ...claimsOf(r1), matched: true, score: 0.9 }))}.${parts(r1)[2]}`;
  const edited = { ...claimsOf(r1), matched: false };
  const [h1, p1, s1] = parts(r1);
  const der = derOf(Buffer.from(s1, 'base64url'));
  const hsHeader = b64u(JSON.stringify({ alg: 'HS256', typ: 'JWT', kid: k.device.id }));
  const hsSig = createHmac('sha256', JSON.stringify(k.device.publicJwk))
    .update(`${hsHeader}.${p1}`)
    .digest('base64url');
  const future = createReceiptSigner({
    deviceKey: { deviceId: k.device.id, privateKey: deviceKey },
    chainFile: join(tmp, 'future.json'),
    now: () => (NOW + 120) * 1000,
  });

  const receipts: ReceiptVector[] = [
    {
      name: 'read-valid',
      description: 'a card.read receipt and the card record forwarded with it',
      expect: 'valid',
      entries: [readEntry],
    },
    {
      name: 'chain-from-genesis',
      description:
        'read, verify (same card), capture, fingers-only read, identify: the first receipts of a device',
      expect: 'valid',
      fromGenesis: true,
      entries: [
        readEntry,
        verifyEntry,
        captureEntry,
        e(r3, { card: cardFingersOnly, nonce: nonces[3] }),
        identifyEntry,
      ],
    },
    {
      name: 'card-keys-reordered',
      description:
        'the forwarded card with its members in another order: canonical JSON gives the same digest',
      expect: 'valid',
      entries: [e(r0, { card: reversed(cardA) })],
    },
    {
      name: 'fingers-only-read-has-no-nik',
      description: 'a read without biodata: the receipt has no nik claim at all',
      expect: 'valid',
      entries: [e(r3, { card: cardFingersOnly })],
    },
    {
      name: 'legacy-receipt',
      description:
        'a receipt from before cardDigest existed (nik "", no digest): still verifies when no card is checked',
      expect: 'valid',
      entries: [e(legacy)],
    },
    {
      name: 'card-tampered',
      description: 'the browser changed the address before forwarding the card',
      expect: 'invalid',
      reason: 'CARD_DIGEST_MISMATCH',
      index: 0,
      entries: [e(r0, { card: { ...cardA, alamat: 'JL. LAIN NO. 1' } })],
    },
    {
      name: 'card-photo-removed',
      description: 'the browser dropped the photo before forwarding the card',
      expect: 'invalid',
      reason: 'CARD_DIGEST_MISMATCH',
      index: 0,
      entries: [e(r0, { card: { ...cardA, photo: undefined } })],
    },
    {
      name: 'verify-other-card',
      description: 'a verify receipt presented with a card record other than the one it was bound to',
      expect: 'invalid',
      reason: 'CARD_DIGEST_MISMATCH',
      index: 1,
      entries: [readEntry, e(r1, { card: { ...cardA, nik: '3273016501900003' } })],
    },
    {
      name: 'image-tampered',
      description: 'a capture receipt with another image',
      expect: 'invalid',
      reason: 'IMAGE_DIGEST_MISMATCH',
      index: 0,
      entries: [
        e(r2, {
          image: encodePng({ width: 1, height: 1, dpi: 500, pixels: Uint8Array.of(7) }).toString('base64'),
        }),
      ],
    },
    {
      name: 'candidates-reordered',
      description: 'identify candidates forwarded with the first two swapped',
      expect: 'invalid',
      reason: 'CANDIDATES_DIGEST_MISMATCH',
      index: 0,
      entries: [e(r4, { candidates: [candidates[1], candidates[0]] })],
    },
    {
      name: 'nonce-mismatch',
      description: 'a receipt offered for a ticket it was not made for',
      expect: 'invalid',
      reason: 'NONCE_MISMATCH',
      index: 0,
      entries: [e(r0, { nonce: 'n-some-other-ticket' })],
    },
    {
      name: 'payload-edited',
      description: 'score and matched changed after signing, signature kept',
      expect: 'invalid',
      reason: 'BAD_SIGNATURE',
      index: 0,
      entries: [e(tamperedPayload)],
    },
    {
      name: 'signed-by-another-key',
      description: 'well-formed, but signed by a key that is not the device key',
      expect: 'invalid',
      reason: 'BAD_SIGNATURE',
      index: 0,
      entries: [e(await signRaw(deviceHeader, edited, keyObject(k.other.privateJwk)))],
    },
    {
      name: 'der-signature',
      description: 'the signature in ASN.1 DER instead of JWS r||s (64 bytes)',
      expect: 'invalid',
      reason: 'BAD_SIGNATURE',
      index: 0,
      entries: [e(`${h1}.${p1}.${b64u(der)}`)],
    },
    {
      name: 'alg-none',
      description: 'header alg "none"',
      expect: 'invalid',
      reason: 'ALG_NOT_ES256',
      index: 0,
      entries: [e(`${b64u(JSON.stringify({ alg: 'none', typ: 'JWT' }))}.${p1}.AAAA`)],
    },
    {
      name: 'alg-hs256',
      description: 'header alg HS256, HMAC keyed with the public JWK (the classic confusion)',
      expect: 'invalid',
      reason: 'ALG_NOT_ES256',
      index: 0,
      entries: [e(`${hsHeader}.${p1}.${hsSig}`)],
    },
    {
      name: 'wrong-issuer',
      description: 'signed by the device key, but iss names another device',
      expect: 'invalid',
      reason: 'WRONG_ISSUER',
      index: 0,
      entries: [e(await signRaw(deviceHeader, { ...c0, iss: k.other.id }, deviceKey))],
    },
    {
      name: 'kid-mismatch',
      description: 'signed by the device key, header kid names another device',
      expect: 'invalid',
      reason: 'WRONG_ISSUER',
      index: 0,
      entries: [e(await signRaw({ ...deviceHeader, kid: k.other.id }, c0, deviceKey))],
    },
    {
      name: 'missing-prev',
      description: 'no prev claim',
      expect: 'invalid',
      reason: 'MISSING_CLAIM',
      index: 0,
      entries: [e(await signRaw(deviceHeader, { ...c0, prev: undefined }, deviceKey))],
    },
    {
      name: 'payload-not-json',
      description: 'signed, but the payload is not JSON',
      expect: 'invalid',
      reason: 'MALFORMED',
      index: 0,
      entries: [e(await signRaw(deviceHeader, 'matched=true', deviceKey))],
    },
    {
      name: 'two-parts',
      description: 'not a compact JWS',
      expect: 'invalid',
      reason: 'MALFORMED',
      index: 0,
      entries: [e(`${h1}.${p1}`)],
    },
    {
      name: 'iat-in-future',
      description: 'issued 120 s after the verification time (more than the 30 s skew)',
      expect: 'invalid',
      reason: 'IAT_IN_FUTURE',
      index: 0,
      entries: [e(await future.sign(read))],
    },
    {
      name: 'header-not-json',
      description: 'signed by the device key, but the header is not JSON',
      expect: 'invalid',
      reason: 'MALFORMED',
      index: 0,
      entries: [e(signParts(b64u('xyz'), b64u(JSON.stringify(c0)), deviceKey))],
    },
    {
      name: 'header-crit',
      description: 'alg ES256, correctly signed, but the header has crit: refused, never interpreted',
      expect: 'invalid',
      reason: 'MALFORMED',
      index: 0,
      entries: [
        e(signParts(b64u(JSON.stringify({ ...deviceHeader, crit: ['exp'], exp: NOW })), p0, deviceKey)),
      ],
    },
    {
      name: 'header-crit-alg-none',
      description: 'alg none and crit: alg is checked before crit, so ALG_NOT_ES256',
      expect: 'invalid',
      reason: 'ALG_NOT_ES256',
      index: 0,
      entries: [e(`${b64u(JSON.stringify({ alg: 'none', crit: ['exp'], exp: NOW }))}.${p0}.AAAA`)],
    },
    {
      name: 'payload-not-utf8',
      description: 'signed, but the payload JSON is latin-1, not UTF-8 (one byte 0xE9 in the nonce)',
      expect: 'invalid',
      reason: 'MALFORMED',
      index: 0,
      entries: [
        e(
          signParts(
            b64u(JSON.stringify(deviceHeader)),
            b64u(Buffer.from(JSON.stringify({ ...c0, nonce: 'n-read-\u00e9' }), 'latin1')),
            deviceKey,
          ),
        ),
      ],
    },
    {
      name: 'image-base64url',
      description:
        'the right image, but forwarded in the base64url alphabet without padding instead of the standard base64 the daemon sends',
      expect: 'invalid',
      reason: 'IMAGE_DIGEST_MISMATCH',
      index: 0,
      entries: [e(r2, { image: png.toString('base64url'), nonce: nonces[2] })],
    },
    {
      name: 'chain-broken-and-card-tampered',
      description:
        'entry 1 both breaks the chain (a receipt is missing before it) and comes with a changed card: its own check is reported, not CHAIN_BROKEN',
      expect: 'invalid',
      reason: 'CARD_DIGEST_MISMATCH',
      index: 1,
      fromGenesis: true,
      entries: [readEntry, e(r3, { card: { ...cardFingersOnly, chipSerial: '04FFFFFFFFFFFF' } })],
    },
    {
      name: 'chain-receipt-removed',
      description: 'the verify receipt between the read and the capture is missing',
      expect: 'invalid',
      reason: 'CHAIN_BROKEN',
      index: 1,
      fromGenesis: true,
      entries: [readEntry, captureEntry],
    },
    {
      name: 'chain-reordered',
      description: 'two consecutive receipts swapped',
      expect: 'invalid',
      reason: 'CHAIN_BROKEN',
      index: 1,
      entries: [verifyEntry, readEntry],
    },
    {
      name: 'chain-not-from-genesis',
      description: 'said to start the chain, but the first receipt has a predecessor',
      expect: 'invalid',
      reason: 'CHAIN_BROKEN',
      index: 0,
      fromGenesis: true,
      entries: [verifyEntry, captureEntry],
    },
  ];
  for (const v of receipts) {
    write(`receipts/${v.name}.json`, {
      description: v.description,
      fromGenesis: v.fromGenesis ?? false,
      entries: v.entries,
    });
  }
  write('receipts/manifest.json', {
    description:
      "Receipt vectors (docs/receipts-and-tickets.md). Check every entry of a file in order, with the device key of ../keys.json (keys.device.publicJwk) at time `now`, applying each entry's card / image / nonce when present, and the chain rule between consecutive entries (genesis for the first when fromGenesis). expect=valid: every entry passes. expect=invalid: entries before `index` pass and entry `index` fails with `reason`.",
    now: NOW,
    vectors: receipts.map(({ name, description, expect, reason, index }) => ({
      file: `${name}.json`,
      description,
      expect,
      reason,
      index,
    })),
  });

  // ---- tickets ----
  const backend = keyObject(k.backend.privateJwk);
  const base: TicketClaims = {
    aud: k.device.id,
    origin: ORIGIN,
    op: 'card.read',
    scope: ['biodata', 'photo'],
    nonce: 'x',
    iat: NOW - 10,
    exp: NOW + 110,
  };
  const T = (over: Partial<TicketClaims> & Record<string, unknown> = {}, key: KeyObject = backend) =>
    mintTicket(key, { ...base, nonce: randomBytes(12).toString('base64url'), ...over } as TicketClaims, {
      kid: 'backend-1',
    });
  const good = await T();
  /** a valid ticket of exactly `length` characters, padded with a long scope entry */
  const sized = async (length: number): Promise<string> => {
    // a base64url part is never 1 more than a multiple of 4 long: a longer kid moves the header's
    for (const kid of ['backend-1', 'backend-01', 'backend-001']) {
      for (let pad = Math.floor((length * 3) / 4) - 400; pad < length; pad++) {
        const claims = {
          ...base,
          nonce: randomBytes(12).toString('base64url'),
          scope: ['biodata', 'x'.repeat(pad)],
        };
        const t = await mintTicket(backend, claims, { kid });
        if (t.length === length) return t;
        if (t.length > length) break;
      }
    }
    throw new Error(`no ticket of ${length} characters`);
  };
  const [th, tp] = parts(good);
  const tHs = b64u(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const context = { deviceId: k.device.id, origin: ORIGIN, op: 'card.read', now: NOW };
  const tickets: {
    name: string;
    description: string;
    expect: 'valid' | 'invalid';
    reason?: string;
    tickets: string[];
  }[] = [
    {
      name: 'valid',
      description: 'a ticket for this device, origin and method',
      expect: 'valid',
      tickets: [good],
    },
    {
      name: 'any-device',
      description: 'aud "*" is accepted by every device',
      expect: 'valid',
      tickets: [await T({ aud: '*' })],
    },
    {
      name: 'expired-within-skew',
      description: 'exp 20 s ago: still inside the 30 s clock skew',
      expect: 'valid',
      tickets: [await T({ iat: NOW - 140, exp: NOW - 20 })],
    },
    {
      name: 'expired',
      description: 'exp 31 s ago',
      expect: 'invalid',
      reason: 'EXPIRED',
      tickets: [await T({ iat: NOW - 151, exp: NOW - 31 })],
    },
    {
      name: 'issued-in-future',
      description: 'iat 60 s ahead of the daemon clock',
      expect: 'invalid',
      reason: 'NOT_YET_VALID',
      tickets: [await T({ iat: NOW + 60, exp: NOW + 180 })],
    },
    {
      name: 'lifetime-too-long',
      description: 'exp 301 s after iat',
      expect: 'invalid',
      reason: 'LIFETIME_TOO_LONG',
      tickets: [await T({ iat: NOW - 1, exp: NOW + 300 })],
    },
    {
      name: 'exp-before-iat',
      description: 'exp not after iat',
      expect: 'invalid',
      reason: 'LIFETIME_TOO_LONG',
      tickets: [await T({ iat: NOW, exp: NOW })],
    },
    {
      name: 'wrong-audience',
      description: 'aud names another device',
      expect: 'invalid',
      reason: 'WRONG_AUDIENCE',
      tickets: [await T({ aud: k.other.id })],
    },
    {
      name: 'wrong-origin',
      description: "origin is not the connection's",
      expect: 'invalid',
      reason: 'WRONG_ORIGIN',
      tickets: [await T({ origin: 'https://evil.example' })],
    },
    {
      name: 'wrong-op',
      description: 'a finger.verify ticket presented to card.read',
      expect: 'invalid',
      reason: 'WRONG_OP',
      tickets: [await T({ op: 'finger.verify' })],
    },
    {
      name: 'replayed',
      description: 'the same ticket presented twice: the second is refused',
      expect: 'invalid',
      reason: 'NONCE_REPLAYED',
      tickets: [good, good],
    },
    {
      name: 'signed-by-another-key',
      description: 'signed by a key that is not a configured backend key',
      expect: 'invalid',
      reason: 'BAD_SIGNATURE',
      tickets: [await T({}, keyObject(k.other.privateJwk))],
    },
    {
      name: 'payload-edited',
      description: 'scope widened after signing',
      expect: 'invalid',
      reason: 'BAD_SIGNATURE',
      tickets: [
        `${th}.${b64u(JSON.stringify({ ...claimsOf(good), scope: ['biodata', 'photo', 'fingers'] }))}.${parts(good)[2]}`,
      ],
    },
    {
      name: 'alg-none',
      description: 'header alg "none"',
      expect: 'invalid',
      reason: 'ALG_NOT_ES256',
      tickets: [`${b64u(JSON.stringify({ alg: 'none' }))}.${tp}.AAAA`],
    },
    {
      name: 'alg-hs256',
      description: 'HS256 keyed with the backend public JWK',
      expect: 'invalid',
      reason: 'ALG_NOT_ES256',
      tickets: [
        `${tHs}.${tp}.${createHmac('sha256', JSON.stringify(k.backend.publicJwk)).update(`${tHs}.${tp}`).digest('base64url')}`,
      ],
    },
    {
      name: 'missing-nonce',
      description: 'no nonce claim',
      expect: 'invalid',
      reason: 'MISSING_CLAIM',
      tickets: [
        await signRaw({ alg: 'ES256', typ: 'JWT' }, { ...claimsOf(good), nonce: undefined }, backend),
      ],
    },
    {
      name: 'scope-not-array',
      description: 'scope is a string',
      expect: 'invalid',
      reason: 'MISSING_CLAIM',
      tickets: [await T({ scope: 'biodata' as never })],
    },
    {
      name: 'nonce-256-ascii',
      description: 'a nonce of 256 characters: the longest allowed',
      expect: 'valid',
      tickets: [await T({ nonce: 'a'.repeat(256) })],
    },
    {
      name: 'nonce-256-emoji',
      description:
        'a nonce of 256 code points outside the BMP (512 UTF-16 code units): the length counts code points',
      expect: 'valid',
      tickets: [await T({ nonce: '\u{1F600}'.repeat(256) })],
    },
    {
      name: 'nonce-257-ascii',
      description: 'a nonce of 257 characters',
      expect: 'invalid',
      reason: 'MISSING_CLAIM',
      tickets: [await T({ nonce: 'a'.repeat(257) })],
    },
    {
      name: 'nonce-257-emoji',
      description: 'a nonce of 257 code points outside the BMP',
      expect: 'invalid',
      reason: 'MISSING_CLAIM',
      tickets: [await T({ nonce: '\u{1F600}'.repeat(257) })],
    },
    {
      name: 'nonce-lone-surrogate',
      description: 'the nonce holds a lone surrogate (JSON escape \\ud800): not well-formed Unicode',
      expect: 'invalid',
      reason: 'MISSING_CLAIM',
      tickets: [await T({ nonce: 'n-\ud800' })],
    },
    {
      name: 'at-size-limit',
      description: `a ticket of exactly ${MAX_TICKET_LENGTH} characters (a long scope entry)`,
      expect: 'valid',
      tickets: [await sized(MAX_TICKET_LENGTH)],
    },
    {
      name: 'too-long',
      description: `a well-signed ticket of more than ${MAX_TICKET_LENGTH} characters`,
      expect: 'invalid',
      reason: 'MALFORMED',
      tickets: [await sized(MAX_TICKET_LENGTH + 1)],
    },
    {
      name: 'header-not-json',
      description: 'signed by the backend key, but the header is not JSON',
      expect: 'invalid',
      reason: 'MALFORMED',
      tickets: [signParts(b64u('xyz'), tp, backend)],
    },
    {
      name: 'header-not-object',
      description: 'signed by the backend key, but the header is a JSON array',
      expect: 'invalid',
      reason: 'MALFORMED',
      tickets: [signParts(b64u('["ES256"]'), tp, backend)],
    },
    {
      name: 'header-crit',
      description: 'alg ES256, correctly signed, but the header has crit',
      expect: 'invalid',
      reason: 'MALFORMED',
      tickets: [
        signParts(b64u(JSON.stringify({ alg: 'ES256', typ: 'JWT', crit: ['exp'], exp: NOW })), tp, backend),
      ],
    },
    {
      name: 'header-crit-alg-none',
      description: 'alg none and crit: alg is checked before crit, so ALG_NOT_ES256',
      expect: 'invalid',
      reason: 'ALG_NOT_ES256',
      tickets: [`${b64u(JSON.stringify({ alg: 'none', crit: ['exp'], exp: NOW }))}.${tp}.AAAA`],
    },
    {
      name: 'payload-not-utf8',
      description: 'signed, but the payload JSON is latin-1, not UTF-8 (one byte 0xE9 in the nonce)',
      expect: 'invalid',
      reason: 'MALFORMED',
      tickets: [
        signParts(
          b64u(JSON.stringify({ alg: 'ES256', typ: 'JWT' })),
          b64u(Buffer.from(JSON.stringify({ ...claimsOf(good), nonce: 'n-\u00e9' }), 'latin1')),
          backend,
        ),
      ],
    },
    {
      name: 'malformed',
      description: 'not a compact JWS',
      expect: 'invalid',
      reason: 'MALFORMED',
      tickets: [`${th}.${tp}`],
    },
  ];
  for (const v of tickets)
    write(`tickets/${v.name}.json`, { description: v.description, tickets: v.tickets });
  write('tickets/manifest.json', {
    description:
      'Ticket vectors: what the daemon checks (docs/receipts-and-tickets.md "Checking a ticket"). Present the file\'s tickets in order to one daemon whose context is below and whose trusted key is ../keys.json keys.backend.publicJwk; every ticket but the last is accepted; the last has the stated outcome.',
    context,
    vectors: tickets.map(({ name, description, expect, reason }) => ({
      file: `${name}.json`,
      description,
      expect,
      reason,
    })),
  });
  rmSync(tmp, { recursive: true, force: true });
  console.log(`${receipts.length} receipt vectors, ${tickets.length} ticket vectors in ${DIR}`);
}

/** an IEEE P1363 (r||s) ECDSA signature as ASN.1 DER */
function derOf(sig: Buffer): Buffer {
  const int = (b: Buffer) => {
    let v = b;
    while (v.length > 1 && v[0] === 0 && v[1] < 0x80) v = v.subarray(1);
    if (v[0] >= 0x80) v = Buffer.concat([Buffer.of(0), v]);
    return Buffer.concat([Buffer.of(0x02, v.length), v]);
  };
  const body = Buffer.concat([int(sig.subarray(0, 32)), int(sig.subarray(32))]);
  return Buffer.concat([Buffer.of(0x30, body.length), body]);
}

await main();
