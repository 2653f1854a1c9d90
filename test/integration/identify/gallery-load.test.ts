/**
 * `ektp-bridge gallery load` refuses what the daemon would refuse, before it replaces anything: an
 * older file (earlier `iat`) than the gallery of the same name installed, whether that is the
 * delivered file or the accepted copy a running daemon kept after refusing a rollback
 * (docs/gallery.md "Loading").
 */
import { generateKeyPairSync } from 'node:crypto';
import { chownSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signGallery } from '../../../packages/verifier/src/index.ts';
import { IS_ROOT, NOBODY } from '../../as-user.ts';
import { runCli } from '../../e2e/helpers.ts';
import { syntheticEntries } from '../../unit/gallery/synthetic-gallery.ts';

const galleryKey = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const entries = syntheticEntries(6, 4).map(({ id, iso }) => ({ id, iso }));

const cli = (args: string[]) => runCli(args, process.env);

describe('gallery load: no rollback, checked before anything is replaced', () => {
  let dir: string;
  let configFile: string;
  const installed = () => readFileSync(join(dir, 'data', 'galleries', 'branch-0101.gallery'), 'utf8');
  const load = async (iat: number) => {
    const file = join(dir, `in-${iat}.gallery`);
    const jws = await signGallery(galleryKey.privateKey, { name: 'branch-0101', aud: '*', entries, iat });
    writeFileSync(file, `${jws}\n`);
    return { jws, r: await cli(['gallery', 'load', file, '--config', configFile]) };
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ektp-gallery-load-'));
    configFile = join(dir, 'config.json');
    writeFileSync(
      configFile,
      JSON.stringify({
        port: 0,
        dataDir: join(dir, 'data'),
        gallery: { keys: [await exportJWK(galleryKey.publicKey)] },
      }),
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses a file older than the installed one, naming the check, and leaves the installed file', async () => {
    const v2 = await load(200);
    expect(v2.r.code).toBe(0);
    expect(installed()).toBe(`${v2.jws}\n`);
    const v1 = await load(100);
    expect(v1.r.code).not.toBe(0);
    expect(v1.r.stdout).toBe('');
    expect(v1.r.stderr).toMatch(/INVALID_PARAMS.*older \(iat 100\).*in use \(iat 200\)/);
    expect(installed()).toBe(`${v2.jws}\n`);
    // the same iat again is not a rollback (the daemon takes it too)
    expect((await load(200)).r.code).toBe(0);
  });

  it('refuses a file older than the accepted copy a daemon keeps (the version it uses after refusing a rollback)', async () => {
    const copies = join(dir, 'data', 'galleries', 'accepted');
    mkdirSync(copies, { recursive: true });
    const v3 = await signGallery(galleryKey.privateKey, { name: 'branch-0101', aud: '*', entries, iat: 300 });
    writeFileSync(join(copies, 'branch-0101.gallery'), v3);
    const before = installed();
    const r = (await load(250)).r;
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/older \(iat 250\).*iat 300/);
    expect(installed()).toBe(before);
    expect((await load(300)).r.code).toBe(0);
  });

  it.runIf(IS_ROOT)(
    'run as root before the daemon ever made galleries/, leaves folder and file to dataDir’s owner',
    async () => {
      const data = join(dir, 'service-data');
      mkdirSync(data, { mode: 0o700 });
      chownSync(data, NOBODY.uid, NOBODY.gid);
      const serviceConfig = join(dir, 'service-config.json');
      const config = JSON.parse(readFileSync(configFile, 'utf8'));
      writeFileSync(serviceConfig, JSON.stringify({ ...config, dataDir: data }));
      const file = join(dir, 'root.gallery');
      writeFileSync(file, await signGallery(galleryKey.privateKey, { name: 'b', aud: '*', entries, iat: 1 }));
      const r = await cli(['gallery', 'load', file, '--config', serviceConfig]);
      expect(r.code, r.stderr).toBe(0);
      for (const p of [join(data, 'galleries'), join(data, 'galleries', 'b.gallery')]) {
        expect(statSync(p), p).toMatchObject({ uid: NOBODY.uid, gid: NOBODY.gid });
      }
    },
  );
});
