/**
 * Worker side of 1:N ('compareMany' task): score a probe against a gallery that lives in shared
 * memory (packed once by MatchPool, see packed-sets.ts), on the chunks this thread wins
 * (chunk-claims.ts), writing each score straight into the shared result array.
 *
 * Each worker keeps the prepared form of every entry it has scored, per gallery key, so a gallery
 * held by the pool is prepared once and later calls only score. The probe arrives as plain minutiae
 * and is prepared here, once per thread per call (~0.1 ms), never on the main thread.
 */
import { threadId } from 'node:worker_threads';
import type { MinutiaeSet } from '../../../protocols/biometrics/types.ts';
import { type PreparedTemplate, ProbeMatcher, prepareTemplate } from '../match/index.ts';
import { rankFeatures, ShortlistVoter } from '../match/shortlist.ts';
import { type ChunkPlan, runChunks } from './chunk-claims.ts';
import { type SharedSets, unpackSet } from './packed-sets.ts';
import { rankShard } from './rank-shards.ts';
import { rankShards, type ShortlistPlan, selectShortlist, waitRanked } from './shortlist-plan.ts';

export interface ScanJob {
  /** identifies this gallery's content: a reloaded gallery gets a new key */
  key: string;
  /** keys of the galleries the pool still holds: a worker drops what it prepared for any other */
  live: readonly string[];
  gallery: SharedSets;
  plan: ChunkPlan;
  /** scores, in gallery order (shared memory) */
  out: Float64Array;
  /**
   * when set, only the entries the shortlist vote ranks best get the full comparison; the others
   * score 0 (shortlist-plan.ts)
   */
  shortlist?: ShortlistPlan;
}

const cache = new Map<string, (PreparedTemplate | undefined)[]>();

function preparedOf(job: ScanJob): (PreparedTemplate | undefined)[] {
  for (const key of cache.keys()) if (!job.live.includes(key)) cache.delete(key);
  let list = cache.get(job.key);
  if (!list) {
    list = new Array(job.gallery.count).fill(undefined);
    cache.set(job.key, list);
  }
  return list;
}

/** Scores this thread's share of the gallery into job.out; returns how many it scored. */
export function scanGallery(probe: MinutiaeSet, job: ScanJob): number {
  return scanWith(preparedOf(job), probe, job);
}

/**
 * The same, with the entries prepared for this call only: it leaves the per-gallery cache alone
 * (warm-up.ts runs the scan path with it on a made-up gallery at start).
 */
export function scanGalleryUncached(probe: MinutiaeSet, job: ScanJob): number {
  return scanWith(new Array(job.gallery.count).fill(undefined), probe, job);
}

function scanWith(prepared: (PreparedTemplate | undefined)[], probe: MinutiaeSet, job: ScanJob): number {
  const { gallery, plan, out, shortlist } = job;
  const matcher = new ProbeMatcher(prepareTemplate(probe));
  const entry = (i: number): PreparedTemplate => {
    let t = prepared[i];
    if (t === undefined) {
      t = prepareTemplate(unpackSet(gallery, i, gallery.offsets[i]));
      prepared[i] = t;
    }
    return t;
  };
  // entries of a chunk are prepared in order: its last one prepared means all are
  const holds = (c: number): boolean =>
    prepared[Math.min(plan.count, (c + 1) * plan.chunkSize) - 1] !== undefined;
  let chosen: Uint8Array | undefined;
  if (shortlist) {
    const voter = new ShortlistVoter(matcher.probe);
    const features = (i: number) => rankFeatures(entry(i));
    rankShards(shortlist, (shard) => rankShard(shard, voter, shortlist.rank, features));
    waitRanked(shortlist, plan.count);
    chosen = selectShortlist(shortlist.rank, plan.count, shortlist.keep);
  }
  let scored = 0;
  let compared = 0;
  // With a fusion cut, the shortlisted entries first get the Hough score alone (~10 µs); only this
  // thread's fuseTop best of them get the fused score (~120 µs more, the MCC side), the rest 0.
  const cut = chosen && shortlist && shortlist.fuseTop > 0 ? shortlist.fuseTop : 0;
  const mine: number[] = [];
  runChunks(plan, threadId + 1, holds, (from, to) => {
    if (chosen) {
      for (let i = from; i < to; i++) {
        if (chosen[i] === 1) {
          if (cut > 0) {
            out[i] = matcher.houghScore(entry(i));
            mine.push(i);
          } else out[i] = matcher.score(entry(i));
          compared++;
        } else out[i] = 0;
      }
    } else for (let i = from; i < to; i++) out[i] = matcher.score(entry(i));
    scored += to - from;
  });
  if (shortlist) {
    Atomics.add(shortlist.compared, 0, compared);
    Atomics.add(
      shortlist.fused,
      0,
      cut > 0 ? fuseBest(mine, cut, out, (i) => matcher.score(entry(i))) : compared,
    );
  }
  return scored;
}

/**
 * The fusion cut: of `indices` (holding Hough scores in `out`), the `top` best get `fused(i)`, the
 * others 0. Ties at the cut go to the earlier entry. Returns how many were fused.
 */
export function fuseBest(
  indices: number[],
  top: number,
  out: Float64Array,
  fused: (i: number) => number,
): number {
  indices.sort((a, b) => out[b] - out[a] || a - b);
  const n = Math.min(top, indices.length);
  for (let k = n; k < indices.length; k++) out[indices[k]] = 0;
  for (let k = 0; k < n; k++) out[indices[k]] = fused(indices[k]);
  return n;
}
