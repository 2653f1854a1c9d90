import { chownSync, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { BridgeError } from '../../../protocols/errors.ts';
import { verifyGalleryFile } from '../../gallery/gallery-file.ts';
import { GALLERY_DIR, GALLERY_SUFFIX, installedGallery, olderRefusal } from '../../gallery/gallery-store.ts';
import { loadOrCreateDeviceKey } from '../../keys/device-key.ts';
import { ownerForNewFile, writeFileAtomic } from '../../receipts/atomic-file.ts';
import { importTicketKeys } from '../../security/ticket-keys.ts';
import { loadCliConfig, withConfigOption } from '../config-option.ts';
import { printJson } from '../output.ts';

/**
 * `ektp-bridge gallery load FILE`: the documented admin path for finger.identify galleries
 * (docs/gallery.md). The file is checked here exactly as the daemon checks it (signature by a
 * `gallery.keys` key, `aud`, every record, and not older than the gallery of that name the daemon
 * has: installedGallery, what a restart would load), then written atomically to
 * dataDir/galleries/<name>.gallery (mode 0600), where a running daemon picks it up at once and a
 * starting one loads it. A refused file changes nothing.
 */
export function registerGallery(program: Command): void {
  const gallery = program.command('gallery').description('signed galleries that finger.identify searches');
  withConfigOption(
    gallery
      .command('load')
      .description(
        'check a signed gallery file and install it for the daemon (replaces the gallery of the same name; a file older than the one in use is refused)',
      )
      .argument('<file>', 'the gallery file (compact JWS signed by a gallery.keys key)'),
  ).action(async (file: string, opts: { config?: string }) => {
    const config = loadCliConfig(opts);
    if (!existsSync(file)) throw new BridgeError('INVALID_PARAMS', `${file}: no such file`);
    if (statSync(file).size > config.gallery.maxFileBytes) {
      throw new BridgeError('INVALID_PARAMS', `${file} is larger than gallery.maxFileBytes`);
    }
    const bytes = readFileSync(file);
    // never make a device key here: a gallery for this device names the key the daemon already has
    const keyFile = join(config.dataDir, 'device-key.pem');
    const deviceId = existsSync(keyFile) ? (await loadOrCreateDeviceKey(config.dataDir)).deviceId : undefined;
    const checks = {
      keys: importTicketKeys(config.gallery.keys, 'gallery.keys'),
      deviceId,
      limits: config.gallery,
    };
    const g = await verifyGalleryFile(bytes.toString('utf8'), checks.keys, deviceId, config.gallery, file);
    const dir = join(config.dataDir, GALLERY_DIR);
    // no rollback: the daemon would refuse it, and load the newer one again at its next start
    const { chosen } = await installedGallery(dir, g.name, checks);
    if (chosen && g.iat < chosen.g.iat) throw olderRefusal(file, g, chosen.g);
    const made = mkdirSync(dir, { recursive: true, mode: 0o700 });
    // run as root, the folder and the file still belong to the service user who owns dataDir
    const owner = ownerForNewFile(config.dataDir);
    if (made && owner) chownSync(dir, owner.uid, owner.gid);
    const target = join(dir, `${g.name}${GALLERY_SUFFIX}`);
    writeFileAtomic(target, bytes, owner);
    // name and size only: ids may be NIKs
    printJson({ gallery: g.name, entries: g.ids.length, iat: g.iat, digest: g.digest, file: target });
  });
}
