import { BUCKETS, FEATURES, type RankFeatures } from './shortlist.ts';

/**
 * An inverted index of a run of gallery entries for the 1:N shortlist (docs/matching.md, "1:N
 * shortlist"): every close forward edge of every entry, filed by its fine bucket (CSR), with what a
 * vote needs of it. Ranking a probe against it (ShortlistVoter.rankIndexed) visits only the buckets
 * the probe fills, so the cost per entry is its local matches, not one look-up per edge.
 *
 * The arrays are plain typed arrays over caller-given buffers, so the pool can keep one index per
 * part of the gallery in shared memory, built by one worker and read by all (pool/rank-shards.ts).
 * Pure: no I/O, no Atomics.
 */
export interface RankIndex {
  /** postings of bucket b: start[b] .. start[b + 1] (length BUCKETS + 1) */
  start: Int32Array;
  /** per posting: the entry (0-based within the indexed run), direction (1/256 turns), midpoint x, y */
  entry: Uint16Array;
  absQ: Uint8Array;
  /** x, y interleaved, relative to the entry's centroid (as in RankFeatures) */
  mid: Float32Array;
}

/** Most entries one index holds (entry numbers are 16-bit). */
export const RANK_INDEX_MAX_ENTRIES = 1 << 16;

/** Bytes of the buffers an index of `postings` postings needs, in RankIndex field order. */
export function rankIndexBytes(postings: number): {
  start: number;
  entry: number;
  absQ: number;
  mid: number;
} {
  return {
    start: (BUCKETS + 1) * Int32Array.BYTES_PER_ELEMENT,
    entry: postings * Uint16Array.BYTES_PER_ELEMENT,
    absQ: postings,
    mid: 2 * postings * Float32Array.BYTES_PER_ELEMENT,
  };
}

/**
 * Files the entries' features (one RankFeatures per entry, in order) into `index`, whose `start`
 * must be all zero and whose posting arrays must hold every edge. Returns the postings filed.
 */
export function fillRankIndex(features: readonly RankFeatures[], index: RankIndex): number {
  if (features.length > RANK_INDEX_MAX_ENTRIES) {
    throw new RangeError(`a rank index holds at most ${RANK_INDEX_MAX_ENTRIES} entries`);
  }
  const { start, entry, absQ, mid } = index;
  let total = 0;
  for (const f of features) {
    for (let k = 0; k < f.length; k += FEATURES) start[f[k] + 1]++;
    total += f.length / FEATURES;
  }
  if (total > entry.length)
    throw new RangeError(`rank index too small: ${total} postings, room for ${entry.length}`);
  for (let b = 0; b < BUCKETS; b++) start[b + 1] += start[b];
  // fill[b] runs from start[b] up: filled in entry order, so each bucket's postings are too
  const fill = start.slice(0, BUCKETS);
  for (let e = 0; e < features.length; e++) {
    const f = features[e];
    for (let k = 0; k < f.length; k += FEATURES) {
      const at = fill[f[k]]++;
      entry[at] = e;
      absQ[at] = f[k + 1];
      mid[2 * at] = f[k + 2];
      mid[2 * at + 1] = f[k + 3];
    }
  }
  return total;
}
