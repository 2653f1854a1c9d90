/**
 * finger.identify end to end on the simulated counter: a gallery of 10,000 entries signed by the
 * configured backend key, installed by `ektp-bridge gallery load` (the admin path), picked up by the
 * running daemon, searched with the card holder's live finger (a synthetic image through the
 * simulated sensor and the real extractor): the holder comes out first.
 */
import { execFile } from 'node:child_process';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signGallery, verifyReceipt } from '../../../packages/verifier/src/index.ts';
import { encodeIso19794_2 } from '../../../protocols/biometrics/iso19794-2.ts';
import { THRESHOLDS } from '../../../src/biometrics/match/index.ts';
import { EktpBridgeClient, EktpBridgeError } from '../../../src/client/index.ts';
import { validateConfig } from '../../../src/config/index.ts';
import { type Daemon, startDaemon } from '../../../src/daemon/daemon.ts';
import { silentLogger } from '../../../src/log/index.ts';
import { loadDevBackend } from '../../../src/security/dev-backend.ts';
import { REPO_ROOT } from '../../shared-data.ts';
import { syntheticEntries } from '../../unit/gallery/synthetic-gallery.ts';

const galleryKey = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const stranger = generateKeyPairSync('ec', { namedCurve: 'P-256' });

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['src/cli/bin.js', ...args], { cwd: REPO_ROOT }, (err, stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('finger.identify from a signed gallery, through the daemon', () => {
  let daemon: Daemon;
  let dir: string;
  let configFile: string;
  let client: EktpBridgeClient;
  let origin: string;

  const ticket = async () =>
    (await loadDevBackend(join(dir, 'data'))).mint({
      op: 'finger.identify',
      scope: [],
      origin,
      ttlSeconds: 60,
    });
  const galleries = async () => (await client.call('system.info', {})).galleries as { name: string }[];
  const waitFor = async (name: string) => {
    for (let i = 0; i < 100; i++) {
      if ((await galleries()).some((g) => g.name === name)) return true;
      await new Promise((r) => setTimeout(r, 100));
    }
    return false;
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ektp-identify-'));
    const raw = {
      port: 0,
      dataDir: join(dir, 'data'),
      hosts: ['127.0.0.1'],
      simulate: { residents: 2 },
      gallery: { keys: [await exportJWK(galleryKey.publicKey)] },
    };
    configFile = join(dir, 'config.json');
    writeFileSync(configFile, JSON.stringify(raw));
    daemon = await startDaemon({ config: validateConfig(raw), logger: silentLogger(), simulate: true });
    origin = `http://127.0.0.1:${daemon.port}`;
    client = new EktpBridgeClient({ origin });
    await client.connect(`ws://127.0.0.1:${daemon.port}/v1`);
  });
  afterAll(async () => {
    client?.close();
    await daemon?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('an unknown gallery is INVALID_PARAMS naming the field and listing the loaded ones', async () => {
    const e = await client
      .call('finger.identify', { gallery: 'branch', ticket: await ticket() })
      .catch((x) => x);
    expect(e).toBeInstanceOf(EktpBridgeError);
    expect((e as EktpBridgeError).reason).toBe('INVALID_PARAMS');
    // detail.field, as for every INVALID_PARAMS (docs/api/README.md)
    expect((e as EktpBridgeError).detail).toEqual({ field: 'gallery', galleries: [] });
  });

  it('finds the card holder first among 10,000 entries, from a gallery installed by `gallery load`', async () => {
    const holder = await daemon.fingers!.prepare(0);
    const entries = syntheticEntries(9_999, 3).map(({ id, iso }) => ({ id, iso }));
    // the right index, the finger the simulated sensor presents
    entries.splice(6_000, 0, { id: 'the-holder', iso: encodeIso19794_2(holder.fingers[0]) });
    const file = join(dir, 'branch.gallery');
    const jws = await signGallery(galleryKey.privateKey, { name: 'branch', aud: '*', entries });
    writeFileSync(file, `${jws}\r\n`); // as a backend on Windows writes it
    const loaded = await cli(['gallery', 'load', file, '--config', configFile]);
    expect(loaded.stderr).toBe('');
    expect(JSON.parse(loaded.stdout)).toMatchObject({ gallery: 'branch', entries: 10_000 });
    expect(await waitFor('branch')).toBe(true);

    daemon.fingers!.control.genuineFinger();
    const r = await client.call('finger.identify', { gallery: 'branch', topK: 3, ticket: await ticket() });
    const candidates = r.candidates as { id: string; score: number }[];
    expect(candidates).toHaveLength(3);
    expect(candidates[0].id).toBe('the-holder');
    expect(candidates[0].score).toBeGreaterThanOrEqual(r.threshold as number);
    // the per-comparison threshold at FMR 0.1 % (docs/matching.md), not verify's per-call stage threshold
    expect(r.threshold).toBe(THRESHOLDS.fmr01pct);
    // signed like the other results: the candidates as returned, the gallery by name and version
    const info = await client.call('system.info', {});
    const claims = await verifyReceipt(r.receipt as string, info.devicePublicKey as never, { candidates });
    expect(claims).toMatchObject({ op: 'finger.identify', gallery: 'branch', sensorDriver: 'simulated' });
    // the version: SHA-256 of the JWS as signed, not of the file's bytes with their CRLF
    expect(claims.galleryDigest).toBe(createHash('sha256').update(jws, 'ascii').digest('base64url'));
    await expect(
      verifyReceipt(r.receipt as string, info.devicePublicKey as never, { candidates: candidates.slice(1) }),
    ).rejects.toMatchObject({ reason: 'CANDIDATES_DIGEST_MISMATCH' });
  });

  it('refuses a gallery signed by another key, at the command and in the folder', async () => {
    const entries = syntheticEntries(20, 9).map(({ id, iso }) => ({ id, iso }));
    const file = join(dir, 'evil.gallery');
    writeFileSync(file, await signGallery(stranger.privateKey, { name: 'evil', aud: '*', entries }));
    const r = await cli(['gallery', 'load', file, '--config', configFile]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/INVALID_PARAMS/);
    writeFileSync(
      join(dir, 'data', 'galleries', 'evil.gallery'),
      await signGallery(stranger.privateKey, { name: 'evil', aud: '*', entries }),
    );
    await new Promise((res) => setTimeout(res, 600));
    expect((await galleries()).map((g) => g.name)).toEqual(['branch']);
  });
});
