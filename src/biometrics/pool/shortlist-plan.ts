/**
 * The shared-memory side of the 1:N shortlist (docs/matching.md, "1:N shortlist"): every thread of
 * a call first ranks shards of the gallery (rank-shards.ts: one shared inverted index per run of
 * entries) into one shared array, waits until the whole gallery is ranked, computes the same cut
 * from it, and then gives the full comparison only to the entries at or above the cut
 * (gallery-scan.ts).
 *
 * Pure shared-memory bookkeeping: no I/O, no timers. Main side: newShortlistPlan; worker side:
 * rankShards, waitRanked, selectShortlist.
 */
import type { RankShard } from './rank-shards.ts';

export interface ShortlistPlan {
  /** entries that get the full comparison: the `keep` best ranked, and every entry tied with the last */
  keep: number;
  /** the gallery's shards (kept with the gallery: their indexes are built once and shared) */
  shards: RankShard[];
  /** per entry, its shortlist votes (written once by the thread that ranked it) */
  rank: Int32Array;
  /** per shard, for this call: 0 = free, 1 = taken for ranking */
  claims: Int32Array;
  /** [0] = entries ranked so far; threads wait on it until it reaches the gallery size */
  ranked: Int32Array;
  /** [0] = entries given the full comparison (for benchmarks and tests) */
  compared: Int32Array;
  /**
   * Per thread, how many of the entries it compared get the fused score (Hough + MCC), best Hough
   * score first; the others score 0. 0 = every compared entry is fused (gallery-scan.ts).
   */
  fuseTop: number;
  /** [0] = entries given the fused score (for benchmarks and tests) */
  fused: Int32Array;
}

const shared = (n: number): Int32Array =>
  new Int32Array(new SharedArrayBuffer(Math.max(1, n) * Int32Array.BYTES_PER_ELEMENT));

/** How many to keep: `fraction` of the gallery, at least `min` (all of it when it is smaller). */
export function shortlistSize(count: number, fraction: number, min: number): number {
  return Math.min(count, Math.max(min, Math.ceil(count * fraction)));
}

export function newShortlistPlan(
  count: number,
  shards: RankShard[],
  keep: number,
  fuseTop = 0,
): ShortlistPlan {
  return {
    keep,
    fuseTop,
    fused: shared(1),
    shards,
    rank: shared(count),
    claims: shared(shards.length),
    ranked: shared(1),
    compared: shared(1),
  };
}

/**
 * Worker side, ranking phase: rank(shard) every shard this thread wins. Once built, a shard costs
 * about a millisecond, so the threads simply claim them in turn: a thread busy elsewhere (an
 * extraction) takes none and is never waited for, since every thread that runs this goes on until
 * no shard is free.
 */
export function rankShards(list: ShortlistPlan, rank: (shard: RankShard) => void): void {
  const { claims, shards } = list;
  for (let s = 0; s < shards.length; s++) {
    if (Atomics.compareExchange(claims, s, 0, 1) !== 0) continue;
    rank(shards[s]);
    const n = shards[s].to - shards[s].from;
    if (Atomics.add(list.ranked, 0, n) + n === list.rank.length) Atomics.notify(list.ranked, 0);
  }
}

/**
 * Blocks until every entry is ranked. A shard is taken only by a running thread, which ranks it
 * before it looks for the next, so only running threads are waited for.
 */
export function waitRanked(list: ShortlistPlan, count: number): void {
  for (;;) {
    const done = Atomics.load(list.ranked, 0);
    if (done >= count) return;
    Atomics.wait(list.ranked, 0, done, 50);
  }
}

/**
 * Which entries make the shortlist: the `keep` best ranked; among entries tied at the cut, those
 * first in gallery order. Ranks are small vote counts, so ties at the cut are many, and keeping
 * them all would compare several times `keep`. Every thread computes the same answer. Linear: a
 * histogram of ranks and one pass.
 */
export function selectShortlist(rank: Int32Array, count: number, keep: number): Uint8Array {
  const chosen = new Uint8Array(count);
  if (keep >= count) return chosen.fill(1);
  let max = 0;
  for (let i = 0; i < count; i++) if (rank[i] > max) max = rank[i];
  const histogram = new Int32Array(max + 1);
  for (let i = 0; i < count; i++) histogram[Math.max(0, rank[i])]++;
  let cut = 0;
  let above = 0;
  for (let v = max; v >= 0; v--) {
    if (above + histogram[v] >= keep) {
      cut = v;
      break;
    }
    above += histogram[v];
  }
  let tiedLeft = keep - above;
  for (let i = 0; i < count; i++) {
    if (rank[i] > cut) chosen[i] = 1;
    else if (rank[i] === cut && tiedLeft > 0) {
      chosen[i] = 1;
      tiedLeft--;
    }
  }
  return chosen;
}

/** Main side, on cancel: no chunk is ranked any more and no thread waits for the ranking. */
export function cancelRanking(list: ShortlistPlan, count: number): void {
  for (let s = 0; s < list.claims.length; s++) Atomics.store(list.claims, s, 1);
  Atomics.store(list.ranked, 0, count);
  Atomics.notify(list.ranked, 0);
}
