import { createHash, generateKeyPairSync } from 'node:crypto';
import {
  existsSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CompactSign } from 'jose';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { signGallery } from '../../../packages/verifier/src/index.ts';
import { encodeIso19794_2v2011Views } from '../../../protocols/biometrics/iso19794-2-2011.ts';
import { isBridgeError } from '../../../protocols/errors.ts';
import { MatchPool } from '../../../src/biometrics/pool/index.ts';
import { verifyGalleryFile } from '../../../src/gallery/gallery-file.ts';
import { GalleryStore } from '../../../src/gallery/gallery-store.ts';
import { redactDeep } from '../../../src/log/redact.ts';
import { liveImpression, syntheticEntries } from './synthetic-gallery.ts';

const backend = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const stranger = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const DEVICE = 'device-under-test';
const LIMITS = { maxEntries: 20_000, maxFileBytes: 64 * 1024 * 1024 };

async function refusal(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    expect(isBridgeError(e, 'INVALID_PARAMS')).toBe(true);
    return e as Error;
  }
  throw new Error('the gallery was accepted');
}

describe('gallery files: everything checked before anything is used', () => {
  const entries = syntheticEntries(8, 7);
  const verify = (text: string, deviceId = DEVICE) =>
    verifyGalleryFile(text, [backend.publicKey], deviceId, LIMITS, 'test.gallery');

  it('accepts a gallery signed by a configured key, for any device or this one', async () => {
    const g = await verify(await signGallery(backend.privateKey, { name: 'branch-0101', aud: '*', entries }));
    expect(g.name).toBe('branch-0101');
    expect(g.ids).toEqual(entries.map((e) => e.id));
    expect(g.sets[3].minutiae.length).toBe(entries[3].set.minutiae.length);
    await verify(await signGallery(backend.privateKey, { name: 'mine', aud: DEVICE, entries }));
  });

  it('takes records of either edition of ISO/IEC 19794-2 (:2005 as on the card, :2011 from a newer AFIS)', async () => {
    const mixed = entries.map((e, i) => (i % 2 ? { ...e, iso: encodeIso19794_2v2011Views([e.set]) } : e));
    expect(mixed[1].iso[4]).toBe(0x30); // '030\0'
    const g = await verify(
      await signGallery(backend.privateKey, { name: 'mixed', aud: '*', entries: mixed }),
    );
    const plain = await verify(await signGallery(backend.privateKey, { name: 'plain', aud: '*', entries }));
    expect(g.sets).toEqual(plain.sets);
  });

  it('refuses another key, alg none, an edited payload, another device, and says which check failed', async () => {
    const good = await signGallery(backend.privateKey, { name: 'g', aud: '*', entries });
    expect(
      (await refusal(verify(await signGallery(stranger.privateKey, { name: 'g', aud: '*', entries }))))
        .message,
    ).toMatch(/signature/);
    const [h, p, s] = good.split('.');
    const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${p}.${s}`;
    expect((await refusal(verify(none))).message).toMatch(/alg/);
    const edited = JSON.parse(Buffer.from(p, 'base64url').toString());
    edited.entries.pop();
    const editedJws = `${h}.${Buffer.from(JSON.stringify(edited)).toString('base64url')}.${s}`;
    expect((await refusal(verify(editedJws))).message).toMatch(/signature/);
    const other = await signGallery(backend.privateKey, { name: 'g', aud: 'another-device', entries });
    expect((await refusal(verify(other))).message).toMatch(/aud/);
    expect((await refusal(verify('not a gallery'))).message).toMatch(/compact JWS/);
  });

  it('refuses a bad record, a repeated id or a bad name, naming the entry but never an id', async () => {
    const bad = entries.map((e, i) => (i === 3 ? { ...e, iso: Uint8Array.of(1, 2, 3, 4) } : e));
    const e1 = await refusal(
      verify(await signGallery(backend.privateKey, { name: 'g', aud: '*', entries: bad })),
    );
    expect(e1.message).toMatch(/entry 3: not an ISO\/IEC 19794-2 record/);
    for (const { id } of entries) expect(e1.message).not.toContain(id);
    const dup = [...entries, { ...entries[0], id: entries[2].id }];
    expect(
      (await refusal(verify(await signGallery(backend.privateKey, { name: 'g', aud: '*', entries: dup }))))
        .message,
    ).toMatch(/entry 8: id repeats/);
    expect(
      (await refusal(verify(await signGallery(backend.privateKey, { name: '../etc', aud: '*', entries }))))
        .message,
    ).toMatch(/name/);
    expect(
      (await refusal(verify(await signGallery(backend.privateKey, { name: 'g', aud: '*', entries: [] }))))
        .message,
    ).toMatch(/empty/);
    const wrongType = await new CompactSign(
      Buffer.from(JSON.stringify({ typ: 'x', name: 'g', aud: '*', iat: 1, entries: [] })),
    )
      .setProtectedHeader({ alg: 'ES256' })
      .sign(backend.privateKey);
    expect((await refusal(verify(wrongType))).message).toMatch(/typ/);
    const small = { ...LIMITS, maxEntries: 4 };
    const tooMany = await signGallery(backend.privateKey, { name: 'g', aud: '*', entries });
    expect((await refusal(verifyGalleryFile(tooMany, [backend.publicKey], DEVICE, small))).message).toMatch(
      /more than 4/,
    );
  });
});

describe('GalleryStore on the match pool: 10,000 synthetic entries', () => {
  const SIZE = 10_000;
  const entries = syntheticEntries(SIZE, 11);
  let dir: string;
  let pool: MatchPool;
  let store: GalleryStore;
  const logged: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'galleries-'));
    writeFileSync(
      join(dir, 'branch.gallery'),
      await signGallery(backend.privateKey, { name: 'branch', aud: '*', entries, iat: 100 }),
    );
    writeFileSync(join(dir, 'broken.gallery'), 'garbage');
    pool = new MatchPool({ threads: 2 });
    store = new GalleryStore({
      dir,
      keys: [backend.publicKey],
      deviceId: DEVICE,
      limits: LIMITS,
      pool,
      log: (level, msg, extra) => logged.push(JSON.stringify({ level, msg, ...extra })),
    });
    await store.start();
  });
  afterAll(async () => {
    store?.close();
    await pool?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('loads the signed file at start and refuses the broken one', () => {
    expect(store.summary()).toEqual([{ name: 'branch', entries: SIZE }]);
    expect(logged.some((l) => l.includes('broken.gallery') && l.includes('refused'))).toBe(true);
  });

  it('identifies the right person top-1 from a live impression', async () => {
    for (const who of [0, 4321, 9999]) {
      const probe = liveImpression(entries[who].set, who + 5);
      const { candidates } = await store.identify('branch', probe, 5);
      expect(candidates).toHaveLength(5);
      expect(candidates[0].id).toBe(entries[who].id);
      expect(candidates[0].score).toBeGreaterThan(candidates[1].score);
    }
  });

  it('a refused replacement leaves the loaded gallery whole; a valid one replaces it', async () => {
    const bad = entries.slice(0, 50).map((e, i) => (i === 49 ? { ...e, iso: Uint8Array.of(9) } : e));
    writeFileSync(
      join(dir, 'branch.gallery'),
      await signGallery(backend.privateKey, { name: 'branch', aud: '*', entries: bad, iat: 200 }),
    );
    await refusal(store.loadFile(join(dir, 'branch.gallery')));
    expect(store.summary()).toEqual([{ name: 'branch', entries: SIZE }]);
    const probe = liveImpression(entries[77].set, 3);
    expect((await store.identify('branch', probe, 1)).candidates[0].id).toBe(entries[77].id);

    const smaller = entries.slice(0, 100);
    writeFileSync(
      join(dir, 'branch.gallery'),
      await signGallery(backend.privateKey, { name: 'branch', aud: '*', entries: smaller, iat: 300 }),
    );
    await store.loadFile(join(dir, 'branch.gallery'));
    expect(store.summary()).toEqual([{ name: 'branch', entries: 100 }]);
    expect((await store.identify('branch', probe, 1)).candidates[0].id).toBe(entries[77].id);
  });

  it('picks up a new file written into the directory (the admin path)', async () => {
    const small = entries.slice(500, 520);
    writeFileSync(
      join(dir, 'kiosk.gallery'),
      await signGallery(backend.privateKey, { name: 'kiosk', aud: '*', entries: small }),
    );
    for (let i = 0; i < 100 && !store.names().includes('kiosk'); i++)
      await new Promise((r) => setTimeout(r, 50));
    expect(store.names()).toContain('kiosk');
    await expect(store.identify('nowhere', small[0].set, 1)).rejects.toMatchObject({
      code: 'INVALID_PARAMS',
    });
  });

  it('never logs an id', () => {
    const all = logged.join('\n');
    expect(all).toContain('gallery loaded');
    for (const e of entries.slice(0, 600)) expect(all).not.toContain(e.id);
  });
});

describe('what is on disk matches what was accepted: restarts load the gallery in use', () => {
  const entries = syntheticEntries(12, 5);
  const sign = (iat: number, es = entries) =>
    signGallery(backend.privateKey, { name: 'branch-0101', aud: '*', entries: es, iat });
  const FILE = 'branch-0101.gallery';
  let dir: string;
  let logged: Record<string, unknown>[];
  const stores: GalleryStore[] = [];

  // a stand-in for the pool: what matters here is which version is loaded, not the search
  const fakePool = () => ({
    loadGallery: async () => {},
    unloadGallery: () => {},
    identify: async (_id: string, _probe: unknown) => new Float64Array(entries.length),
  });
  const open = async () => {
    const store = new GalleryStore({
      dir,
      keys: [backend.publicKey],
      deviceId: DEVICE,
      limits: LIMITS,
      pool: fakePool() as never,
      log: (level, msg, extra) => logged.push({ level, msg, ...extra }),
    });
    stores.push(store);
    await store.start();
    return store;
  };
  const digestOf = (jws: string) => createHash('sha256').update(jws, 'ascii').digest('base64url');
  const inUse = async (store: GalleryStore) =>
    (await store.identify('branch-0101', entries[0].set, 1)).digest;
  /** a delivery the way the agency's tools make one: a rename over the file */
  const deliver = (text: string) => {
    writeFileSync(join(dir, 'incoming.tmp'), text);
    renameSync(join(dir, 'incoming.tmp'), join(dir, FILE));
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'galleries-restart-'));
    logged = [];
  });
  afterEach(() => {
    for (const s of stores.splice(0)) s.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a refused file (a bad record, a bad signature) does not replace the good gallery at the next start', async () => {
    const good = await sign(100);
    deliver(good);
    const first = await open();
    expect(await inUse(first)).toBe(digestOf(good));
    expect(readFileSync(join(dir, 'accepted', FILE), 'utf8')).toBe(good);

    const badRecord = await sign(
      200,
      entries.map((e, i) => (i === 5 ? { ...e, iso: Uint8Array.of(1, 2, 3) } : e)),
    );
    const [h, p] = good.split('.');
    const badSignature = `${h}.${p}.${(await sign(300)).split('.')[2]}`;
    for (const bad of [badRecord, badSignature]) {
      deliver(bad);
      await refusal(first.loadFile(join(dir, FILE)));
      first.close();
      const again = await open();
      expect(again.summary()).toEqual([{ name: 'branch-0101', entries: 12 }]);
      expect(await inUse(again)).toBe(digestOf(good));
      // the delivered file is refused again, and says which version stays in use
      expect(logged.at(-1)).toMatchObject({
        msg: 'gallery refused',
        file: FILE,
        inUseDigest: digestOf(good),
      });
      again.close();
    }
  });

  it('an older file (rollback) refused while running is refused again at the next start: the newer stays', async () => {
    const v1 = await sign(100);
    const v2 = await sign(200, entries.slice(0, 10));
    deliver(v1);
    const store = await open();
    deliver(v2);
    await store.loadFile(join(dir, FILE));
    deliver(v1);
    expect((await refusal(store.loadFile(join(dir, FILE)))).message).toMatch(/older \(iat 100\).*iat 200/);
    store.close();
    const again = await open();
    expect(again.summary()).toEqual([{ name: 'branch-0101', entries: 10 }]);
    expect(await inUse(again)).toBe(digestOf(v2));
    expect(readFileSync(join(dir, 'accepted', FILE), 'utf8')).toBe(v2);
  });

  it('a newer delivered file wins at start, and its accepted copy is kept byte for byte', async () => {
    deliver(await sign(100));
    (await open()).close();
    const v2 = `\n${await sign(200)}\r\n`;
    deliver(v2); // while the daemon was stopped
    const store = await open();
    expect(await inUse(store)).toBe(digestOf(v2.trim()));
    expect(readFileSync(join(dir, 'accepted', FILE), 'utf8')).toBe(v2);
  });

  it('the watcher loads a delivery once: keeping its accepted copy is not taken for another delivery', async () => {
    deliver(await sign(100));
    const store = await open();
    const v2 = await sign(200, entries.slice(0, 7));
    deliver(v2);
    for (let i = 0; i < 100 && store.summary()[0].entries !== 7; i++)
      await new Promise((r) => setTimeout(r, 50));
    expect(store.summary()).toEqual([{ name: 'branch-0101', entries: 7 }]);
    await new Promise((r) => setTimeout(r, 600));
    expect(logged.filter((l) => l.msg === 'gallery loaded' && l.galleryDigest === digestOf(v2))).toHaveLength(
      1,
    );
  });

  it('removing the file removes the gallery and its accepted copy, while running or stopped', async () => {
    deliver(await sign(100));
    const store = await open();
    unlinkSync(join(dir, FILE));
    for (let i = 0; i < 100 && store.names().length > 0; i++) await new Promise((r) => setTimeout(r, 50));
    expect(store.names()).toEqual([]);
    expect(existsSync(join(dir, 'accepted', FILE))).toBe(false);
    store.close();

    deliver(await sign(100));
    (await open()).close();
    unlinkSync(join(dir, FILE));
    const again = await open();
    expect(again.names()).toEqual([]);
    expect(existsSync(join(dir, 'accepted', FILE))).toBe(false);
  });

  it('logs the gallery name, entries and galleryDigest (what receipts carry), past the log redaction; never an id', async () => {
    const jws = await sign(100);
    deliver(jws);
    await open();
    const line = redactDeep(logged.find((l) => l.msg === 'gallery loaded')) as Record<string, unknown>;
    expect(line).toMatchObject({ galleryName: 'branch-0101', entries: 12, galleryDigest: digestOf(jws) });
    for (const e of entries) expect(JSON.stringify(logged)).not.toContain(e.id);
  });

  it('an unknown gallery is INVALID_PARAMS naming the field and the loaded galleries', async () => {
    deliver(await sign(100));
    const store = await open();
    await expect(store.identify('nowhere', entries[0].set, 1)).rejects.toMatchObject({
      code: 'INVALID_PARAMS',
      detail: { field: 'gallery', galleries: ['branch-0101'] },
    });
  });
});

describe('galleryDigest: SHA-256 of the compact JWS as ASCII, whatever whitespace surrounds it in the file', () => {
  it('is the same for the bare JWS and for files with a final LF, CRLF, leading blank lines or a BOM', async () => {
    const jws = await signGallery(backend.privateKey, {
      name: 'g',
      aud: '*',
      entries: syntheticEntries(3, 2),
    });
    const expected = createHash('sha256').update(jws, 'ascii').digest('base64url');
    for (const text of [jws, `${jws}\n`, `${jws}\r\n`, `\n\n  ${jws}\t\n`, `\uFEFF${jws}\n`]) {
      expect((await verifyGalleryFile(text, [backend.publicKey], DEVICE, LIMITS)).digest).toBe(expected);
    }
    // not the digest of the file's bytes when they carry a newline
    expect(createHash('sha256').update(`${jws}\n`).digest('base64url')).not.toBe(expected);
  });
});
