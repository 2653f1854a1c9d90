/**
 * The shared-memory side of the 1:N shortlist (docs/matching.md, "1:N shortlist"): every thread of
 * a call first ranks its chunks with the cheap vote (match/shortlist.ts) into one shared array, waits
 * until the whole gallery is ranked, computes the same cut from it, and then gives the full
 * comparison only to the entries at or above the cut (gallery-scan.ts).
 *
 * Pure shared-memory bookkeeping: no I/O, no timers. Main side: newShortlistPlan; worker side:
 * rankChunks, waitRanked, cutFor.
 */
import type { ChunkPlan } from './chunk-claims.ts';

export interface ShortlistPlan {
  /** entries that get the full comparison: the `keep` best ranked, and every entry tied with the last */
  keep: number;
  /** per entry, its shortlist votes (written once by the thread that ranked it) */
  rank: Int32Array;
  /** per chunk of the gallery's chunking: 0 = free, 1 = taken for ranking */
  claims: Int32Array;
  /** [0] = entries ranked so far; threads wait on it until it reaches the gallery size */
  ranked: Int32Array;
  /** [0] = entries given the full comparison (for benchmarks and tests) */
  compared: Int32Array;
  /** threads of the call; [0] = how many of them have started ranking, [1] = not yet finished */
  threads: number;
  started: Int32Array;
}

/** How long a thread that has ranked its own chunks waits for a sibling to start before taking its chunks. */
const STARTING_GRACE_MS = 3;

const shared = (n: number): Int32Array =>
  new Int32Array(new SharedArrayBuffer(Math.max(1, n) * Int32Array.BYTES_PER_ELEMENT));

function startedOf(threads: number): Int32Array {
  const a = shared(2);
  a[1] = threads;
  return a;
}

/** How many to keep: `fraction` of the gallery, at least `min` (all of it when it is smaller). */
export function shortlistSize(count: number, fraction: number, min: number): number {
  return Math.min(count, Math.max(min, Math.ceil(count * fraction)));
}

export function newShortlistPlan(
  count: number,
  chunks: number,
  keep: number,
  threads: number,
): ShortlistPlan {
  return {
    keep,
    rank: shared(count),
    claims: shared(chunks),
    ranked: shared(1),
    compared: shared(1),
    threads,
    started: startedOf(threads),
  };
}

/**
 * Worker side, ranking phase: rank(from, to) every chunk this thread wins: its own prepared chunks
 * first, then chunks nobody prepared. Another thread's chunks (preparing one costs ~70 times ranking
 * it) are taken only while that thread has not started: a thread busy with an extraction must never
 * be waited for, only threads that are already ranking.
 */
export function rankChunks(
  plan: ChunkPlan,
  list: ShortlistPlan,
  holds: (chunk: number) => boolean,
  rank: (from: number, to: number) => void,
): void {
  const { chunkSize, count } = plan;
  const claims = list.claims;
  const n = claims.length;
  const run = (c: number): void => {
    const from = c * chunkSize;
    const to = Math.min(count, from + chunkSize);
    rank(from, to);
    if (Atomics.add(list.ranked, 0, to - from) + (to - from) === count) Atomics.notify(list.ranked, 0);
  };
  const take = (c: number): boolean => Atomics.compareExchange(claims, c, 0, 1) === 0;
  Atomics.add(list.started, 0, 1);
  Atomics.notify(list.started, 0);
  for (let c = 0; c < n; c++) if (holds(c) && take(c)) run(c);
  // from the far end, where the other threads' own chunks are least likely to be
  for (let c = n - 1; c >= 0; c--) if (Atomics.load(plan.owners, c) === 0 && take(c)) run(c);
  // A thread posted at the same moment usually starts within a millisecond or two: give it that
  // before preparing its chunks here (preparing costs ~70 rankings per entry).
  const started = Atomics.load(list.started, 0);
  if (started < list.threads) Atomics.wait(list.started, 0, started, STARTING_GRACE_MS);
  for (let c = n - 1; c >= 0; c--) {
    if (Atomics.load(list.started, 0) >= list.threads) break;
    if (take(c)) run(c);
  }
  // the last thread out takes what is left (chunks of a thread that prepared them in an earlier
  // call and is gone, or that ran two of this call's tasks one after the other)
  if (Atomics.sub(list.started, 1, 1) === 1) for (let c = 0; c < n; c++) if (take(c)) run(c);
}

/**
 * Blocks until every entry is ranked. A chunk is left free only while a started thread has not
 * finished its passes (the last one out takes the rest), so only running threads are waited for.
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
  for (let c = 0; c < list.claims.length; c++) Atomics.store(list.claims, c, 1);
  Atomics.store(list.ranked, 0, count);
  Atomics.notify(list.ranked, 0);
}
