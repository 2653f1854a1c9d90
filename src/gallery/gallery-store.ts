/**
 * The galleries finger.identify searches (docs/gallery.md). Each is a signed file
 * `dataDir/galleries/<name>.gallery`, loaded when the daemon starts and again whenever the file is
 * replaced (`ektp-bridge gallery load FILE` writes it atomically; the directory is watched).
 *
 * A file is verified completely (gallery-file.ts) before the pool sees any of it, and the pool swaps
 * the named gallery in one step, so a search runs on the old gallery or the new one, never a mix; a
 * refused file leaves the loaded version in place. Ids and records never reach a log line: only the
 * name, the entry count and the file's digest do.
 */

import type { KeyObject } from 'node:crypto';
import { existsSync, type FSWatcher, mkdirSync, readdirSync, readFileSync, watch } from 'node:fs';
import { basename, join } from 'node:path';
import type { MinutiaeSet } from '../../protocols/biometrics/types.ts';
import { BridgeError, toBridgeError } from '../../protocols/errors.ts';
import type { MatchPool } from '../biometrics/pool/index.ts';
import { type GalleryLimits, verifyGalleryFile } from './gallery-file.ts';

export const GALLERY_DIR = 'galleries';
export const GALLERY_SUFFIX = '.gallery';
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

export class GalleryStore {
  private readonly loaded = new Map<string, Loaded>();
  private watcher?: FSWatcher;
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(private readonly o: GalleryStoreOptions) {}

  /** Loads every gallery file of the directory (a bad one is logged and skipped) and starts watching. */
  async start(): Promise<void> {
    mkdirSync(this.o.dir, { recursive: true, mode: 0o700 });
    for (const f of readdirSync(this.o.dir)
      .filter((n) => n.endsWith(GALLERY_SUFFIX))
      .sort()) {
      await this.loadFile(join(this.o.dir, f)).catch((e) => this.refusedLog(f, e));
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
   * INVALID_PARAMS for any defect, leaving what was loaded before untouched.
   */
  async loadFile(path: string): Promise<{ name: string; entries: number }> {
    const file = basename(path);
    const g = await verifyGalleryFile(
      readFileSync(path, 'utf8'),
      this.o.keys,
      this.o.deviceId,
      this.o.limits,
      file,
    );
    if (file !== `${g.name}${GALLERY_SUFFIX}`) {
      throw new BridgeError('INVALID_PARAMS', `gallery ${file} refused: it names itself "${g.name}"`);
    }
    const before = this.loaded.get(g.name);
    if (before?.digest === g.digest) return { name: g.name, entries: g.ids.length };
    if (before && g.iat < before.iat) {
      throw new BridgeError('INVALID_PARAMS', `gallery ${file} refused: older (iat) than the one loaded`);
    }
    // One synchronous step: the pool's named gallery and its ids change together.
    const warm = this.o.pool.loadGallery(poolId(g.name), g.sets);
    this.loaded.set(g.name, { ids: g.ids, iat: g.iat, digest: g.digest });
    this.o.log('info', 'gallery loaded', { gallery: g.name, entries: g.ids.length, digest: g.digest });
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
        if (this.loaded.delete(name)) {
          this.o.pool.unloadGallery(poolId(name));
          this.o.log('info', 'gallery removed', { gallery: name });
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
    this.o.log('warn', 'gallery refused', { file, error: toBridgeError(e).message });
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
