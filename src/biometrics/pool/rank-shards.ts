/**
 * The gallery side of the 1:N shortlist in shared memory (docs/matching.md, "1:N shortlist"): one
 * inverted index (match/shortlist-index.ts) per run of RANK_SHARD_SIZE entries, allocated by the
 * main thread when a gallery is first searched with the shortlist, and built once, by the first
 * worker that ranks that run; every later search on any worker only reads it.
 *
 * The main thread cannot build it (preparing 10,000 entries takes ~0.7 s of CPU) and a worker cannot
 * hand a buffer to its siblings, so the buffers are sized up front from an upper bound: a minutia has
 * at most EDGE_CANDIDATE_NEIGHBOURS close links, so an entry has at most that many candidate edges
 * per minutia (~1.6 times what the synthetic set uses: ~23 MB for 10,000 entries of ~43 minutiae).
 *
 * Worker side: rankShard. Pure shared-memory bookkeeping: no I/O, no timers.
 */
import { EDGE_CANDIDATE_NEIGHBOURS, MAX_MINUTIAE } from '../match/params.ts';
import type { RankFeatures, ShortlistVoter } from '../match/shortlist.ts';
import { fillRankIndex, type RankIndex, rankIndexBytes } from '../match/shortlist-index.ts';
import type { SharedSets } from './packed-sets.ts';

/**
 * Entries per index. Large enough that the probe's ~2,000 bucket look-ups per index cost little
 * per entry; small enough that a search's votes on one index stay in cache while counted, and that
 * the two threads share the ranking evenly.
 */
export const RANK_SHARD_SIZE = 1024;

/** states of a shard's index */
const FREE = 0;
const BUILDING = 1;
const READY = 2;
/** building failed (it cannot, short of a bug): its entries are ranked one by one */
const BROKEN = 3;

export interface RankShard {
  /** gallery entries from .. to - 1 */
  from: number;
  to: number;
  /** [0]: FREE, BUILDING, READY or BROKEN */
  state: Int32Array;
  index: RankIndex;
}

function sharedBuffer(bytes: number): SharedArrayBuffer {
  return new SharedArrayBuffer(Math.max(8, bytes));
}

/** Main side: the empty shards of a gallery, sized from its minutiae counts. */
export function newRankShards(gallery: SharedSets): RankShard[] {
  const shards: RankShard[] = [];
  for (let from = 0; from < gallery.count; from += RANK_SHARD_SIZE) {
    const to = Math.min(gallery.count, from + RANK_SHARD_SIZE);
    let bound = 0;
    for (let i = from; i < to; i++) {
      const minutiae = Math.min(MAX_MINUTIAE, gallery.offsets[i + 1] - gallery.offsets[i]);
      bound += minutiae * EDGE_CANDIDATE_NEIGHBOURS;
    }
    const bytes = rankIndexBytes(bound);
    shards.push({
      from,
      to,
      state: new Int32Array(sharedBuffer(Int32Array.BYTES_PER_ELEMENT)),
      index: {
        start: new Int32Array(sharedBuffer(bytes.start)),
        entry: new Uint16Array(sharedBuffer(bytes.entry)),
        absQ: new Uint8Array(sharedBuffer(bytes.absQ)),
        mid: new Float32Array(sharedBuffer(bytes.mid)),
      },
    });
  }
  return shards;
}

/**
 * Worker side: the shortlist ranks of the shard's entries into rank[from .. to). Reads the shared
 * index when it is built; builds it first when nobody has (features(i) gives entry i's compact form,
 * preparing the entry if needed); while another thread is building it (a search that overlaps the
 * first one), ranks the entries one by one, which gives the same ranks.
 */
export function rankShard(
  shard: RankShard,
  voter: ShortlistVoter,
  rank: Int32Array,
  features: (entry: number) => RankFeatures,
): void {
  const { from, to, state, index } = shard;
  let now = Atomics.load(state, 0);
  if (now === FREE && Atomics.compareExchange(state, 0, FREE, BUILDING) === FREE) {
    const list: RankFeatures[] = [];
    for (let i = from; i < to; i++) list.push(features(i));
    try {
      fillRankIndex(list, index);
      now = READY;
    } catch {
      now = BROKEN;
    }
    // publishes the index: a thread that loads READY sees every write made before this store
    Atomics.store(state, 0, now);
  }
  if (now === READY) voter.rankIndexed(index, to - from, rank, from);
  else for (let i = from; i < to; i++) rank[i] = voter.rank(features(i));
}
