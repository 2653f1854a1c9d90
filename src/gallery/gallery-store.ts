/**
 * The galleries finger.identify searches (docs/gallery.md). Each is a signed file
 * `dataDir/galleries/<name>.gallery`, loaded when the daemon starts and again whenever the file is
 * replaced (`ektp-bridge gallery load FILE` writes it atomically; the directory is watched).
 *
 * A file is verified completely (gallery-file.ts) before the pool sees any of it, and the pool swaps
 * the named gallery in one step, so a search runs on the old gallery or the new one, never a mix; a
 * refused file leaves the loaded version in place. Ids and records never reach a log line: only the
 * name, the entry count and the gallery's digest do.
 *
 * What was accepted survives a restart even when the file delivered after it was refused: each
 * accepted file's exact bytes are kept in `galleries/accepted/<name>.gallery` before the pool loads
 * it, and at start a gallery is loaded from its delivered file only when that file passes every
 * check and is not older than the accepted copy; otherwise from the accepted copy. The daemon never
 * writes a delivered file, and the watcher sees only the top folder, so keeping a copy is never
 * taken for a new delivery.
 */

import type { KeyObject } from 'node:crypto';
import {
  existsSync,
  type FSWatcher,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  unlinkSync,
  watch,
} from 'node:fs';
import { basename, join } from 'node:path';
import type { MinutiaeSet } from '../../protocols/biometrics/types.ts';
import { BridgeError, isBridgeError, toBridgeError } from '../../protocols/errors.ts';
import type { MatchPool } from '../biometrics/pool/index.ts';
import { removeStaleTempFiles, writeFileAtomic } from '../receipts/atomic-file.ts';
import { type GalleryLimits, type VerifiedGallery, verifyGalleryFile } from './gallery-file.ts';

export const GALLERY_DIR = 'galleries';
export const GALLERY_SUFFIX = '.gallery';
/** dataDir/galleries/accepted: the last accepted file of each gallery, what a restart loads */
export const ACCEPTED_DIR = 'accepted';
/** a replaced file is read once it has been quiet this long (a rename gives several events) */
const SETTLE_MS = 150;

export interface GalleryStoreOptions {
  /** dataDir/galleries */
  dir: string;
  /** gallery.keys, imported */
  keys: readonly KeyObject[];
  deviceId: string;
  limits: GalleryLimits;
  pool: Pick<MatchPool, 'loadGallery' | 'unloadGallery' | 'identify'>;
  log: (level: 'info' | 'warn', msg: string, extra?: Record<string, unknown>) => void;
}

interface Loaded {
  ids: string[];
  iat: number;
  digest: string;
}

export interface Candidate {
  id: string;
  score: number;
}

/** what a gallery file is checked against: gallery.keys, this device's id, the limits */
export interface GalleryChecks {
  keys: readonly KeyObject[];
  deviceId: string | undefined;
  limits: GalleryLimits;
}

/** a gallery file that passed every check, with the exact bytes it was read from */
export interface CheckedFile {
  g: VerifiedGallery;
  bytes: Buffer;
}

/**
 * Reads and checks one gallery file (gallery-file.ts), and that it is named after the gallery it
 * holds; throws INVALID_PARAMS naming the file (`where`) and the first defect.
 */
export async function checkGalleryFile(
  path: string,
  checks: GalleryChecks,
  where = basename(path),
): Promise<CheckedFile> {
  const bytes = readFileSync(path);
  const g = await verifyGalleryFile(
    bytes.toString('utf8'),
    checks.keys,
    checks.deviceId,
    checks.limits,
    where,
  );
  if (basename(path) !== `${g.name}${GALLERY_SUFFIX}`) {
    throw new BridgeError('INVALID_PARAMS', `gallery ${where} refused: it names itself "${g.name}"`, {
      check: 'the file is not named after the gallery',
    });
  }
  return { g, bytes };
}

export function olderRefusal(where: string, g: VerifiedGallery, inUse: { iat: number }): BridgeError {
  return new BridgeError(
    'INVALID_PARAMS',
    `gallery ${where} refused: older (iat ${g.iat}) than the gallery "${g.name}" in use (iat ${inUse.iat}), no rollback`,
    { check: 'older (iat) than the gallery in use' },
  );
}

/**
 * The version of gallery `name` that the daemon loads at start from `dir` (dataDir/galleries): the
 * delivered file `<name>.gallery` when it passes every check and is not older than the accepted copy
 * `accepted/<name>.gallery`, else the accepted copy when it passes. `refused` says why a file present
 * was not chosen. `gallery load` asks the same question, so it refuses what the daemon would.
 */
export async function installedGallery(
  dir: string,
  name: string,
  checks: GalleryChecks,
): Promise<{ chosen?: CheckedFile & { fromCopy: boolean }; copyDigest?: string; refused: RefusedFile[] }> {
  const file = `${name}${GALLERY_SUFFIX}`;
  const refused: RefusedFile[] = [];
  const attempt = async (path: string, where: string) => {
    if (!existsSync(path)) return undefined;
    try {
      return await checkGalleryFile(path, checks, where);
    } catch (e) {
      // a file that cannot be read is no answer: the caller must not take it for "none installed"
      if (!isBridgeError(e, 'INVALID_PARAMS')) throw e;
      refused.push({ file: where, error: e });
      return undefined;
    }
  };
  const delivered = await attempt(join(dir, file), file);
  const copy = await attempt(join(dir, ACCEPTED_DIR, file), `${ACCEPTED_DIR}/${file}`);
  const copyDigest = copy?.g.digest;
  if (delivered && (!copy || delivered.g.iat >= copy.g.iat)) {
    return { chosen: { ...delivered, fromCopy: false }, copyDigest, refused };
  }
  if (delivered && copy) refused.push({ file, error: olderRefusal(file, delivered.g, copy.g) });
  return { chosen: copy && { ...copy, fromCopy: true }, copyDigest, refused };
}

export interface RefusedFile {
  file: string;
  error: BridgeError;
}

export class GalleryStore {
  private readonly loaded = new Map<string, Loaded>();
  private watcher?: FSWatcher;
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(private readonly o: GalleryStoreOptions) {}

  private get copies(): string {
    return join(this.o.dir, ACCEPTED_DIR);
  }

  /**
   * Loads each gallery of the directory (its delivered file, or its accepted copy when that file is
   * refused or older: installedGallery), forgets the accepted copies whose file was removed while
   * the daemon was stopped, and starts watching.
   */
  async start(): Promise<void> {
    mkdirSync(this.copies, { recursive: true, mode: 0o700 });
    removeStaleTempFiles(this.o.dir);
    removeStaleTempFiles(this.copies);
    const delivered = readdirSync(this.o.dir)
      .filter((n) => n.endsWith(GALLERY_SUFFIX) && statSync(join(this.o.dir, n)).isFile())
      .sort();
    for (const f of readdirSync(this.copies).filter((n) => n.endsWith(GALLERY_SUFFIX))) {
      if (!delivered.includes(f)) {
        unlinkSync(join(this.copies, f));
        this.o.log('info', 'gallery removed', { galleryName: f.slice(0, -GALLERY_SUFFIX.length) });
      }
    }
    for (const f of delivered) {
      try {
        const { chosen, copyDigest, refused } = await installedGallery(
          this.o.dir,
          f.slice(0, -GALLERY_SUFFIX.length),
          this.o,
        );
        if (chosen) await this.install(chosen, chosen.g.digest !== copyDigest);
        // logged once the version in use is known
        for (const r of refused) this.refusedLog(r.file, r.error);
      } catch (e) {
        this.refusedLog(f, e);
      }
    }
    this.watcher = watch(this.o.dir, (_event, file) => {
      if (typeof file === 'string' && file.endsWith(GALLERY_SUFFIX)) this.settle(file);
    });
    this.watcher.on('error', (e) =>
      this.o.log('warn', 'gallery directory watch failed', { error: e.message }),
    );
  }

  /**
   * Verifies a gallery file and makes it the one identify() searches under its name. Throws
   * INVALID_PARAMS for any defect, or when it is older than the gallery loaded, leaving what was
   * loaded before untouched (and its accepted copy, which a restart loads).
   */
  async loadFile(path: string): Promise<{ name: string; entries: number }> {
    const checked = await checkGalleryFile(path, this.o);
    const before = this.loaded.get(checked.g.name);
    if (before?.digest === checked.g.digest) return { name: checked.g.name, entries: checked.g.ids.length };
    if (before && checked.g.iat < before.iat) throw olderRefusal(basename(path), checked.g, before);
    return this.install(checked, true);
  }

  /** keeps the accepted copy (when asked), then swaps the gallery into the pool */
  private async install(
    { g, bytes }: CheckedFile,
    keepCopy: boolean,
  ): Promise<{ name: string; entries: number }> {
    const file = `${g.name}${GALLERY_SUFFIX}`;
    // first the copy: a gallery in use always has its exact bytes where a restart finds them
    if (keepCopy) writeFileAtomic(join(this.copies, file), bytes);
    // One synchronous step: the pool's named gallery and its ids change together.
    const warm = this.o.pool.loadGallery(poolId(g.name), g.sets);
    this.loaded.set(g.name, { ids: g.ids, iat: g.iat, digest: g.digest });
    this.o.log('info', 'gallery loaded', {
      galleryName: g.name,
      entries: g.ids.length,
      iat: g.iat,
      galleryDigest: g.digest,
    });
    await warm;
    return { name: g.name, entries: g.ids.length };
  }

  names(): string[] {
    return [...this.loaded.keys()].sort();
  }

  /** name and size of each gallery (for system.info; never its content) */
  summary(): { name: string; entries: number }[] {
    return this.names().map((name) => ({ name, entries: this.loaded.get(name)!.ids.length }));
  }

  /** The `topK` best entries of gallery `name` for a live finger, best first, and the version searched. */
  async identify(
    name: string,
    probe: MinutiaeSet,
    topK: number,
    signal?: AbortSignal,
  ): Promise<{ candidates: Candidate[]; digest: string }> {
    const g = this.loaded.get(name);
    if (!g) {
      throw new BridgeError('INVALID_PARAMS', `gallery "${name}" does not exist on this device`, {
        field: 'gallery',
        galleries: this.names(),
      });
    }
    // ids taken with the pool's gallery of the same moment: a reload during the search cannot mix them
    const { ids, digest } = g;
    const scores = await this.o.pool.identify(poolId(name), probe, signal);
    const candidates = best(scores, topK).map((i) => ({
      id: ids[i],
      score: Math.round(scores[i] * 1e4) / 1e4,
    }));
    return { candidates, digest };
  }

  close(): void {
    this.watcher?.close();
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }

  private settle(file: string): void {
    clearTimeout(this.timers.get(file));
    const t = setTimeout(() => {
      this.timers.delete(file);
      const path = join(this.o.dir, file);
      if (!existsSync(path)) {
        const name = file.slice(0, -GALLERY_SUFFIX.length);
        // removing the file removes the gallery: its accepted copy goes too, so a restart agrees
        const copy = join(this.copies, file);
        if (existsSync(copy)) unlinkSync(copy);
        if (this.loaded.delete(name)) {
          this.o.pool.unloadGallery(poolId(name));
          this.o.log('info', 'gallery removed', { galleryName: name });
        }
        return;
      }
      this.loadFile(path).catch((e) => this.refusedLog(file, e));
    }, SETTLE_MS);
    t.unref();
    this.timers.set(file, t);
  }

  private refusedLog(file: string, e: unknown): void {
    // the message names the file and the defect only (gallery-file.ts)
    const name = basename(file).slice(0, -GALLERY_SUFFIX.length);
    const inUse = this.loaded.get(name);
    this.o.log('warn', 'gallery refused', {
      file,
      error: toBridgeError(e).message,
      // which version stays in use (none: the gallery is not loaded)
      inUseDigest: inUse?.digest ?? null,
    });
  }
}

function poolId(name: string): string {
  return `gallery:${name}`;
}

/** indices of the k highest scores, highest first */
function best(scores: Float64Array, k: number): number[] {
  const top: number[] = [];
  for (let i = 0; i < scores.length; i++) {
    if (top.length === k && scores[i] <= scores[top[k - 1]]) continue;
    let j = top.length === k ? k - 1 : top.length;
    while (j > 0 && scores[top[j - 1]] < scores[i]) j--;
    top.splice(j, 0, i);
    if (top.length > k) top.pop();
  }
  return top;
}
