/**
 * The matcher pool the services use: extraction and comparison always run on worker threads, never
 * on the main thread, which stays free for devices and clients.
 *
 * 1:N comparison splits the gallery into one contiguous shard per thread, sends each shard packed
 * (packed-sets.ts), and merges the shards' scores back in gallery order.
 */
import type { GrayImage, MinutiaeSet } from '../../../protocols/biometrics/types.ts';
import type { ExtractionResult } from '../extract/index.ts';
import { minutiaOffsets, type PackedSets, packedSlice, packSets } from './packed-sets.ts';
import { MATCH_TASKS, type TaskRegistry } from './task-registry.ts';
import { type PoolStats, WorkerPool, type WorkerPoolOptions } from './worker-pool.ts';

export interface MatchPoolOptions extends WorkerPoolOptions {
  /** galleries smaller than this go to one worker: below it, splitting costs more than it saves */
  minShardSize?: number;
  /** tests only: another task table with the same task names */
  registry?: TaskRegistry;
}

interface PackedGallery {
  /** unique per packing, so workers can cache the shards they have unpacked (packed-compare.ts) */
  id: number;
  length: number;
  packed: PackedSets;
  offsets: Uint32Array;
}

const DEFAULT_MIN_SHARD = 32;
let nextGalleryId = 1;

export class MatchPool {
  private readonly pool: WorkerPool;
  private readonly minShardSize: number;
  /**
   * Galleries kept in memory are packed once here and unpacked and prepared once per worker. So treat
   * a gallery array as immutable once compared: to change it, build a new array.
   */
  private readonly packedGalleries = new WeakMap<readonly MinutiaeSet[], PackedGallery>();

  constructor(options: MatchPoolOptions = {}) {
    this.pool = new WorkerPool(options.registry ?? MATCH_TASKS, options);
    this.minShardSize = Math.max(1, options.minShardSize ?? DEFAULT_MIN_SHARD);
  }

  /** Minutiae of a captured image. The image's pixels are moved to the worker: `img.pixels` is empty afterwards. */
  extract(img: GrayImage, signal?: AbortSignal): Promise<ExtractionResult> {
    return this.pool.run<ExtractionResult>('extract', [img], signal);
  }

  /** Similarity in [0, 1] (see src/biometrics/match). */
  compare(probe: MinutiaeSet, candidate: MinutiaeSet, signal?: AbortSignal): Promise<number> {
    return this.pool.run<number>('compare', [probe, candidate], signal);
  }

  /** Scores of `probe` against every gallery entry, in gallery order, spread over all threads. */
  async compareMany(
    probe: MinutiaeSet,
    gallery: readonly MinutiaeSet[],
    signal?: AbortSignal,
  ): Promise<Float64Array> {
    if (gallery.length === 0) return new Float64Array(0);
    const { id, packed, offsets } = this.packed(gallery);
    const shards = Math.max(1, Math.min(this.pool.threads, Math.floor(gallery.length / this.minShardSize)));
    const bounds = Array.from({ length: shards + 1 }, (_, i) => Math.round((i * gallery.length) / shards));
    // One failing shard cancels its siblings, so a dead or busy pool is not kept busy for nothing.
    const siblings = new AbortController();
    const shardSignal = signal ? AbortSignal.any([signal, siblings.signal]) : siblings.signal;
    const parts = bounds.slice(0, -1).map((from, i) =>
      this.pool
        .run<Float64Array>(
          'compareMany',
          [
            probe,
            { key: `${id}:${from}:${bounds[i + 1]}`, ...packedSlice(packed, offsets, from, bounds[i + 1]) },
          ],
          shardSignal,
        )
        .catch((e: unknown) => {
          siblings.abort();
          throw e;
        }),
    );
    const scores = await Promise.all(parts).catch(async (e: unknown) => {
      await Promise.allSettled(parts);
      throw e;
    });
    const out = new Float64Array(gallery.length);
    for (const [i, part] of scores.entries()) out.set(part, bounds[i]);
    return out;
  }

  private packed(gallery: readonly MinutiaeSet[]): PackedGallery {
    let entry = this.packedGalleries.get(gallery);
    if (!entry || entry.length !== gallery.length) {
      entry = {
        id: nextGalleryId++,
        length: gallery.length,
        packed: packSets(gallery),
        offsets: minutiaOffsets(gallery),
      };
      this.packedGalleries.set(gallery, entry);
    }
    return entry;
  }

  stats(): PoolStats {
    return this.pool.stats();
  }

  /** Queued jobs are rejected with CANCELLED, running ones finish, then the threads stop. */
  close(): Promise<void> {
    return this.pool.close();
  }
}
