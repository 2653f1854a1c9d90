/**
 * The matcher pool the services use: extraction and comparison always run on worker threads, never
 * on the main thread, which stays free for devices and clients.
 *
 * 1:N: a gallery is packed once into shared memory (packed-sets.ts), either registered by id
 * (loadGallery / identify) or, for compareMany, cached per array. Each call posts the same shared
 * gallery to every thread (sharing, not copying); the threads claim chunks of it (chunk-claims.ts),
 * keep the entries they prepared (gallery-scan.ts) and write their scores into one shared result.
 * The main thread only packs (once per gallery) and copies the result out.
 */
import type { GrayImage, MinutiaeSet } from '../../../protocols/biometrics/types.ts';
import { BridgeError } from '../../../protocols/errors.ts';
import type { ExtractionResult } from '../extract/index.ts';
import { LIVE_VIEWS } from '../extract/parameters.ts';
import { cancelChunks, newChunkPlan, newOwners } from './chunk-claims.ts';
import type { ScanJob } from './gallery-scan.ts';
import { packSetsShared, type SharedSets } from './packed-sets.ts';
import { newRankShards, type RankShard } from './rank-shards.ts';
import { cancelRanking, newShortlistPlan, type ShortlistPlan, shortlistSize } from './shortlist-plan.ts';
import { MATCH_TASKS, type TaskRegistry } from './task-registry.ts';
import { type PoolStats, WorkerPool, type WorkerPoolOptions } from './worker-pool.ts';

export interface MatchPoolOptions extends WorkerPoolOptions {
  /** galleries smaller than this go to one worker: below it, splitting costs more than it saves */
  minShardSize?: number;
  /** tests only: another task table with the same task names */
  registry?: TaskRegistry;
  /** how identify() searches when the call does not say (default: the shortlist stage on) */
  identify?: IdentifyOptions;
}

/**
 * The 1:N shortlist stage (docs/matching.md, "1:N shortlist"): a cheap vote ranks the whole gallery
 * and only the best-ranked entries get the full comparison; the others score 0. The scores of the
 * entries compared are exactly those of an exhaustive search.
 */
export interface IdentifyOptions {
  /** false = compare with every entry (exhaustive) */
  shortlist?: boolean;
  /** share of the gallery that gets the full comparison (default 0.05) */
  shortlistFraction?: number;
  /** at least this many entries get it (default 200): small galleries are searched exhaustively */
  shortlistMin?: number;
  /**
   * Of the shortlisted entries, each thread gives the fused score (Hough + MCC, what compare()
   * returns) to its `fuseTop` best by the Hough score alone and scores the rest 0 (default 10;
   * 0 = fuse every shortlisted entry). The fused score costs ~12x the Hough score.
   */
  fuseTop?: number;
}

/** What identify() did besides scoring, for benchmarks and tests. */
export interface IdentifyStats {
  /** entries that got the full comparison */
  compared: number;
  /** entries that got the fused score (the others of `compared` got the Hough score only, and 0) */
  fused: number;
}

/** The shortlist's cut for one search: entries fully compared, and per thread how many get fused. */
interface ShortlistCut {
  keep: number;
  fuseTop: number;
}

interface LoadedGallery {
  /** unique per packing: workers key the entries they prepared by it */
  key: string;
  packed: SharedSets;
  chunkSize: number;
  /** which thread prepared each chunk first (chunk-claims.ts), kept across calls */
  owners: Int32Array;
  /** the shortlist's shared indexes (rank-shards.ts), allocated by the first search that uses them */
  rankShards?: RankShard[];
}

const DEFAULT_MIN_SHARD = 32;
const DEFAULT_IDENTIFY: Required<IdentifyOptions> = {
  shortlist: true,
  shortlistFraction: 0.05,
  shortlistMin: 200,
  fuseTop: 10,
};
/** Largest chunk a thread claims at once: small enough that sharing stays even near the end. */
const MAX_CHUNK = 64;
/** Galleries compareMany packed on its own (per array) that workers keep prepared, most recent first. */
const MAX_ARRAY_GALLERIES = 4;
let nextKey = 1;
/**
 * Warm-up rounds per worker (each: a pair extracted and compared, two noisy variants extracted).
 * With the faster extractor (no allocation, specialised filter loops) 4 rounds of the pair alone
 * left the first real extractions at 2-4x a steady one (re-compilations on paths the warm-up had
 * not reached); see warm-up.ts for what the variants add. ~1 s of background CPU at start.
 */
const WARM_UP_ROUNDS = 8;
/** Scores 0 against anything without any matching work: a scan with it only prepares the gallery. */
const EMPTY_PROBE: MinutiaeSet = {
  width: 0,
  height: 0,
  dpiX: 500,
  dpiY: 500,
  quality: 0,
  fingerPosition: 0,
  minutiae: [],
};

export class MatchPool {
  private readonly pool: WorkerPool;
  private readonly minShardSize: number;
  /** galleries registered by the caller's id */
  private readonly named = new Map<string, LoadedGallery>();
  /**
   * Galleries compareMany was given directly, packed once per array. Treat such an array as
   * immutable once compared: to change it, build a new array.
   */
  private readonly byArray = new WeakMap<readonly MinutiaeSet[], LoadedGallery>();
  private recentArrayKeys: string[] = [];
  private readonly identifyDefaults: Required<IdentifyOptions>;
  private lastStats: IdentifyStats = { compared: 0, fused: 0 };

  constructor(options: MatchPoolOptions = {}) {
    this.pool = new WorkerPool(options.registry ?? MATCH_TASKS, options);
    this.minShardSize = Math.max(1, options.minShardSize ?? DEFAULT_MIN_SHARD);
    this.identifyDefaults = { ...DEFAULT_IDENTIFY, ...options.identify };
  }

  /**
   * Runs extraction and comparison on every worker until V8 has compiled them (warm-up.ts), so the
   * first finger.verify after start is as fast as the next. One job per thread, posted together and
   * held by a shared barrier until all have started, so each lands on a different worker. Resolves
   * with each job's genuine score when all are done; jobs posted meanwhile queue behind them.
   */
  async warmUp(signal?: AbortSignal): Promise<number[]> {
    const threads = this.pool.threads;
    const barrier = new Int32Array(new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT));
    barrier[1] = threads;
    const scores = await Promise.all(
      Array.from({ length: threads }, () =>
        this.pool.run<number>('warmUp', [WARM_UP_ROUNDS, barrier], signal),
      ),
    );
    // this thread's side of a verify's compareMany (packing, chunk plan, result), on empty sets
    await this.compareMany(EMPTY_PROBE, [EMPTY_PROBE, EMPTY_PROBE], signal);
    return scores;
  }

  /**
   * Minutiae of a captured image: its live view `view` (extract/live-views.ts; 0, the default, is the
   * extractor as it is). The image's pixels are moved to the worker: `img.pixels` is empty afterwards.
   */
  extract(img: GrayImage, signal?: AbortSignal, view = 0): Promise<ExtractionResult> {
    const parameters = LIVE_VIEWS[view];
    if (!parameters) return Promise.reject(new RangeError(`no live view ${view}`));
    return this.pool.run<ExtractionResult>('extract', view === 0 ? [img] : [img, { parameters }], signal);
  }

  /** Similarity in [0, 1] (see src/biometrics/match). */
  compare(probe: MinutiaeSet, candidate: MinutiaeSet, signal?: AbortSignal): Promise<number> {
    return this.pool.run<number>('compare', [probe, candidate], signal);
  }

  /**
   * Registers (or replaces) a gallery the pool keeps for identify(). The sets are copied into shared
   * memory now (later changes to `sets` are not seen: load again). The returned promise resolves once
   * the workers have prepared every entry and run one search (with one of its own entries as the
   * probe, so the matching code is compiled too): the first identify() is then as fast as the next
   * ones. identify() works before that too, preparing what is still missing.
   */
  loadGallery(id: string, sets: readonly MinutiaeSet[], signal?: AbortSignal): Promise<void> {
    const g = this.pack(sets);
    this.named.set(id, g);
    const warmProbe = sets.find((s) => s.minutiae.length >= 2) ?? EMPTY_PROBE;
    // searched as identify() will search it, so the shortlist's compact forms are built now too
    return this.scan(g, warmProbe, signal, this.keepFor(g, {})).then(() => undefined);
  }

  /** Forgets a gallery; workers drop what they prepared for it on their next 1:N call. */
  unloadGallery(id: string): boolean {
    return this.named.delete(id);
  }

  /**
   * Scores of `probe` against the entries of gallery `id`, in gallery order. With the shortlist
   * stage (the default, `options`) only the best-ranked entries are compared and the rest score 0.
   * Unknown id: INVALID_PARAMS.
   */
  identify(
    id: string,
    probe: MinutiaeSet,
    signal?: AbortSignal,
    options: IdentifyOptions = {},
  ): Promise<Float64Array> {
    const g = this.named.get(id);
    if (!g) return Promise.reject(new BridgeError('INVALID_PARAMS', `no gallery loaded as '${id}'`));
    return this.scan(g, probe, signal, this.keepFor(g, options));
  }

  /** What the shortlist lets through; undefined = compare all (stage off, or small gallery). */
  private keepFor(g: LoadedGallery, options: IdentifyOptions): ShortlistCut | undefined {
    const o = { ...this.identifyDefaults, ...options };
    const keep = shortlistSize(g.packed.count, o.shortlistFraction, o.shortlistMin);
    return o.shortlist && keep < g.packed.count ? { keep, fuseTop: Math.max(0, o.fuseTop) } : undefined;
  }

  /** What the last identify() or compareMany() that finished did (entries fully compared). */
  identifyStats(): IdentifyStats {
    return { ...this.lastStats };
  }

  /** Scores of `probe` against every gallery entry, in gallery order, spread over all threads. */
  compareMany(
    probe: MinutiaeSet,
    gallery: readonly MinutiaeSet[],
    signal?: AbortSignal,
  ): Promise<Float64Array> {
    let g = this.byArray.get(gallery);
    if (!g || g.packed.count !== gallery.length) {
      g = this.pack(gallery);
      this.byArray.set(gallery, g);
    }
    this.recentArrayKeys = [g.key, ...this.recentArrayKeys.filter((k) => k !== g.key)].slice(
      0,
      MAX_ARRAY_GALLERIES,
    );
    return this.scan(g, probe, signal);
  }

  private pack(sets: readonly MinutiaeSet[]): LoadedGallery {
    const chunkSize = Math.max(
      1,
      Math.min(MAX_CHUNK, Math.ceil(sets.length / (this.pool.threads * 16)), this.minShardSize),
    );
    return {
      key: `g${nextKey++}`,
      packed: packSetsShared(sets),
      chunkSize,
      owners: newOwners(sets.length, chunkSize),
    };
  }

  /** `cut`: what the shortlist stage lets through to the full comparison; undefined = all. */
  private async scan(
    g: LoadedGallery,
    probe: MinutiaeSet,
    signal?: AbortSignal,
    cut?: ShortlistCut,
  ): Promise<Float64Array> {
    const count = g.packed.count;
    if (count === 0) return new Float64Array(0);
    const threads = Math.max(1, Math.min(this.pool.threads, Math.floor(count / this.minShardSize)));
    const plan = newChunkPlan(count, g.chunkSize, g.owners, threads);
    if (cut !== undefined && !g.rankShards) g.rankShards = newRankShards(g.packed);
    const shortlist: ShortlistPlan | undefined =
      cut === undefined || !g.rankShards
        ? undefined
        : newShortlistPlan(count, g.rankShards, cut.keep, cut.fuseTop);
    const job: ScanJob = {
      key: g.key,
      live: [...[...this.named.values()].map((n) => n.key), ...this.recentArrayKeys],
      gallery: g.packed,
      plan,
      out: new Float64Array(new SharedArrayBuffer(count * Float64Array.BYTES_PER_ELEMENT)),
      shortlist,
    };
    // One failing thread cancels its siblings, so a dead or busy pool is not kept busy for nothing.
    const siblings = new AbortController();
    const taskSignal = signal ? AbortSignal.any([signal, siblings.signal]) : siblings.signal;
    const stop = (): void => {
      cancelChunks(plan);
      if (shortlist) cancelRanking(shortlist, count);
    };
    taskSignal.addEventListener('abort', stop, { once: true });
    const parts = Array.from({ length: threads }, () =>
      this.pool.run<number>('compareMany', [probe, job], taskSignal).catch((e: unknown) => {
        siblings.abort();
        throw e;
      }),
    );
    try {
      const scored = await Promise.all(parts).catch(async (e: unknown) => {
        await Promise.allSettled(parts);
        throw e;
      });
      const total = scored.reduce((a, b) => a + b, 0);
      if (total !== count) {
        throw new BridgeError('INTERNAL', `1:N scored ${total} of ${count} gallery entries`);
      }
      this.lastStats = shortlist
        ? { compared: shortlist.compared[0], fused: shortlist.fused[0] }
        : { compared: count, fused: count };
    } finally {
      taskSignal.removeEventListener('abort', stop);
    }
    return job.out.slice();
  }

  stats(): PoolStats {
    return this.pool.stats();
  }

  /** Queued jobs are rejected with CANCELLED, running ones finish, then the threads stop. */
  close(): Promise<void> {
    return this.pool.close();
  }
}
