import { COS_Q, SIN_Q } from './angles.ts';
import { EDGE_MAX_LENGTH } from './params.ts';
import type { PreparedTemplate } from './prepare.ts';
import type { RankIndex } from './shortlist-index.ts';

/*
 * Fine edge hash of the shortlist: length in 5 px bins, both relative angles in 1/32 turns (11.25°).
 * The probe files each edge under its own bin and the nearer neighbour in each dimension (8 buckets),
 * so an entry is a match within half a bin to a bin and a half; no tolerance is checked afterwards.
 * Finer bins than the matcher's own hash (10 px, 22.5°, tolerances checked) mean far fewer entries
 * per look-up, which is where the matcher spends its local stage.
 */
const LEN_STEP = 5;
const LEN_BINS = Math.ceil(EDGE_MAX_LENGTH / LEN_STEP) + 2;
const ANGLE_SHIFT = 3;
const ANGLE_BINS = 256 >> ANGLE_SHIFT;
/** fine buckets: the length of a RankIndex's `start` array is this + 1 */
export const BUCKETS = LEN_BINS * ANGLE_BINS * ANGLE_BINS;

/*
 * Coarse transform cells: 16 rotations (22.5°) x 24 x 24 positions of 32 px (±384 px) of the
 * candidate's centroid in the probe frame. One vote per match, in the cell it falls in.
 */
const ROT_SHIFT = 4;
const ROTS = 256 >> ROT_SHIFT;
const STEP = 32;
const SIDE = 24;
const HALF = (SIDE * STEP) / 2;
const INV_STEP = 1 / STEP;
/** votes counted per candidate at most (bounds the cost for very dense templates) */
const MAX_VOTES = 4096;
/** a vote of rankIndexed: entry in the high bits, transform cell (< ROTS * SIDE * SIDE = 9216) in the low */
const CELL_BITS = 14;
const CELL_MASK = (1 << CELL_BITS) - 1;

function lengthBin(length: number): number {
  return Math.min(LEN_BINS - 1, Math.floor(length / LEN_STEP));
}

function bucketOf(lengthB: number, dirB: number, relB: number): number {
  return (lengthB * ANGLE_BINS + (dirB & (ANGLE_BINS - 1))) * ANGLE_BINS + (relB & (ANGLE_BINS - 1));
}

/** -1 or 0: the first of the two bins a value is filed under (its own and the nearer neighbour). */
function lower(value: number, bin: number): number {
  return value - bin < 0.5 ? -1 : 0;
}

/**
 * The probe's edges by fine bucket, compact: only the ~2,000 buckets the probe fills, not all
 * BUCKETS (building and scanning a dense table of 27,648 buckets cost more per search than ranking
 * a thousand entries).
 */
interface FineIndex {
  /** the buckets that hold any filing, ascending */
  filled: Int32Array;
  /** filings of filled[k]: from[k] .. from[k + 1] */
  from: Int32Array;
  /** per filing: its probe edge's absolute direction (1/256 turns) and midpoint (from the centroid) */
  absQ: Uint8Array;
  midX: Float64Array;
  midY: Float64Array;
}

/** The probe's edges by fine bucket: each edge under its own bin and the nearer neighbour in each dimension. */
function buildFineIndex(p: PreparedTemplate): FineIndex {
  // bucket << 16 | edge (buckets < 2^15, edges < 2^16): one numeric sort groups them by bucket,
  // each bucket's edges in edge order
  const filings = new Uint32Array(p.edgeCount * 8);
  let n = 0;
  for (let e = 0; e < p.edgeCount; e++) {
    const lf = p.edgeLength[e] / LEN_STEP;
    const df = p.edgeDirectionQ[e] / (1 << ANGLE_SHIFT);
    const rf = p.edgeRelAngleQ[e] / (1 << ANGLE_SHIFT);
    const l = lengthBin(p.edgeLength[e]);
    const d = Math.floor(df);
    const r = Math.floor(rf);
    const l0 = lower(lf, l);
    const d0 = lower(df, d);
    const r0 = lower(rf, r);
    for (let a = l0; a <= l0 + 1; a++) {
      const ll = l + a;
      // lengths outside the bins (below 0, at the top) file nothing: no candidate edge is there
      if (ll < 0 || ll >= LEN_BINS) continue;
      for (let b = d0; b <= d0 + 1; b++) {
        for (let c = r0; c <= r0 + 1; c++) filings[n++] = ((bucketOf(ll, d + b, r + c) << 16) | e) >>> 0;
      }
    }
  }
  const sorted = filings.subarray(0, n).sort();
  // each filing carries its probe edge's direction and midpoint, so the vote loop reads in order
  const absQ = new Uint8Array(n);
  const midX = new Float64Array(n);
  const midY = new Float64Array(n);
  const filled = new Int32Array(n);
  const from = new Int32Array(n + 1);
  let buckets = 0;
  for (let q = 0; q < n; q++) {
    const bucket = sorted[q] >>> 16;
    const e = sorted[q] & 0xffff;
    if (buckets === 0 || filled[buckets - 1] !== bucket) {
      filled[buckets] = bucket;
      from[buckets++] = q;
    }
    absQ[q] = p.edgeAbsQ[e];
    midX[q] = p.edgeMidX[e];
    midY[q] = p.edgeMidY[e];
  }
  from[buckets] = n;
  return { filled: filled.slice(0, buckets), from: from.slice(0, buckets + 1), absQ, midX, midY };
}

/** The same filings as a dense table, start[b] .. start[b + 1] per bucket: for rank(), one look-up per edge. */
function denseStart(index: FineIndex): Int32Array {
  const start = new Int32Array(BUCKETS + 1);
  const { filled, from } = index;
  for (let k = 0, b = 0; b <= BUCKETS; b++) {
    while (k < filled.length && filled[k] < b) k++;
    start[b] = k < filled.length ? from[k] : from[filled.length];
  }
  return start;
}

/**
 * The cheap first stage of 1:N (docs/matching.md, "1:N shortlist"): how many local matches of a
 * gallery entry agree on one coarse rigid transform with the probe. Each candidate edge of the entry
 * that falls in a bucket of a fine edge hash of the probe is a local match with every probe edge
 * filed there; each match votes for the rotation that maps the candidate edge onto the probe edge
 * and for where that puts the candidate's centroid, in coarse cells; the rank is the fullest cell,
 * ties broken by the votes around it (withSupport).
 * A bag of local matches ranks impostors almost as high as mates (measured: docs/matching.md);
 * requiring one transform separates them, as the Hough stage of the full comparison does.
 *
 * Two ways to count the same votes: rankIndexed() walks an inverted index of many entries at once
 * (shortlist-index.ts: only the buckets the probe fills are visited, so an entry costs its matches
 * and nothing per edge); rank() walks one entry's edges (the definition, and the fallback for a
 * part of the gallery whose index is not built yet). Both give the same ranks.
 *
 * Not a similarity: it only orders the gallery, so that the full comparison (ProbeMatcher.score,
 * whose scores are unchanged) runs on the best-ranked entries only.
 */
/** Support counted at most (keeps ranks small, so selectShortlist's histogram of ranks stays short). */
const SUPPORT_MAX = 255;

/**
 * The rank of an entry whose fullest cell holds `best` votes: best * 256 + the votes in the 26
 * cells around the fullest one (rotation wrapping round), capped at SUPPORT_MAX. So the fullest
 * cell decides, and among entries tied on it (ranks are small vote counts: hundreds tie at the
 * shortlist's cut) the one whose votes cluster round its peak comes first: a distorted or wet mate
 * spreads its votes over neighbouring cells, an impostor's lucky cell stands alone. Measured on the
 * 400 hard-mix probes, with ties counted fairly: the mates the exhaustive search finds and a 5 %
 * shortlist cut went from 3 to 0 (docs/matching.md, "1:N shortlist"). When several cells are
 * fullest, the lowest-numbered one counts, so the rank does not depend on the order of the votes.
 */
function withSupport(best: number, cells: Uint16Array, bestCell: number): number {
  const x = bestCell % SIDE;
  const y = ((bestCell / SIDE) | 0) % SIDE;
  const r = (bestCell / (SIDE * SIDE)) | 0;
  let support = -best;
  for (let dr = -1; dr <= 1; dr++) {
    const rr = (r + dr + ROTS) % ROTS;
    for (let yy = Math.max(0, y - 1); yy <= Math.min(SIDE - 1, y + 1); yy++) {
      for (let xx = Math.max(0, x - 1); xx <= Math.min(SIDE - 1, x + 1); xx++) {
        support += cells[(rr * SIDE + yy) * SIDE + xx];
      }
    }
  }
  return best * (SUPPORT_MAX + 1) + Math.min(SUPPORT_MAX, support);
}

/**
 * rankIndexed's scratch, shared by every voter of this thread (one search at a time runs on a
 * thread): its votes (entry << CELL_BITS | cell), the same cells sorted by entry, and where each
 * entry's cells end. Grown on demand and kept, so a search allocates nothing once warm.
 */
const scratch = {
  votes: new Uint32Array(1 << 16),
  sorted: new Uint16Array(1 << 16),
  perEntry: new Int32Array(1),
};

export class ShortlistVoter {
  private readonly p: PreparedTemplate;
  private readonly index: FineIndex;
  /** rank()'s dense table, built on its first use (the pool ranks through rankIndexed) */
  private start: Int32Array | undefined;
  private readonly cells = new Uint16Array(ROTS * SIDE * SIDE);
  private readonly touched = new Int32Array(MAX_VOTES);

  constructor(probe: PreparedTemplate) {
    this.p = probe;
    this.index = buildFineIndex(probe);
  }

  /** withSupport() of the fullest transform cell; 0 when nothing agrees. Allocates nothing. */
  rank(f: RankFeatures): number {
    if (this.p.count < 2 || f.length === 0) return 0;
    const { cells, touched } = this;
    this.start ??= denseStart(this.index);
    const start = this.start;
    const { absQ: pAbs, midX: pMidX, midY: pMidY } = this.index;
    let n = 0;
    let best = 0;
    let bestCell = 0;
    for (let k = 0; k < f.length; k += FEATURES) {
      const b = f[k];
      const end = start[b + 1];
      const absQ = f[k + 1];
      const cx = f[k + 2];
      const cy = f[k + 3];
      for (let q = start[b]; q < end; q++) {
        const rot = (pAbs[q] - absQ) & 255;
        const cos = COS_Q[rot];
        const sin = SIN_Q[rot];
        const x = Math.floor((pMidX[q] - (cos * cx - sin * cy) + HALF) * INV_STEP);
        const y = Math.floor((pMidY[q] - (sin * cx + cos * cy) + HALF) * INV_STEP);
        if (x < 0 || y < 0 || x >= SIDE || y >= SIDE || n === MAX_VOTES) continue;
        // rotation bins centred on 0°, so that a print laid down straight does not straddle two
        const cell = ((((rot + ROTS / 2) & 255) >> ROT_SHIFT) * SIDE + y) * SIDE + x;
        const v = ++cells[cell];
        if (v > best || (v === best && cell < bestCell)) {
          best = v;
          bestCell = cell;
        }
        touched[n++] = cell;
      }
    }
    const r = best === 0 ? 0 : withSupport(best, cells, bestCell);
    for (let k = 0; k < n; k++) cells[touched[k]] = 0;
    return r;
  }

  /**
   * rank() of each of the `entries` entries of `g`, into out[outFrom + e]. The votes are gathered
   * bucket by bucket (the probe's filled buckets against the index's postings, both in bucket
   * order), sorted by entry with one counting pass, then counted per entry in the small cell grid
   * as rank() does. Same ranks as rank(), except that rank() stops counting an entry at MAX_VOTES.
   */
  rankIndexed(g: RankIndex, entries: number, out: Int32Array, outFrom: number): void {
    if (this.p.count < 2) {
      out.fill(0, outFrom, outFrom + entries);
      return;
    }
    const { from: pStart, absQ: pAbs, midX: pMidX, midY: pMidY, filled } = this.index;
    const { start, entry, absQ, mid } = g;
    let votes = scratch.votes;
    let n = 0;
    for (let k = 0; k < filled.length; k++) {
      const b = filled[k];
      const gFrom = start[b];
      const gTo = start[b + 1];
      if (gFrom === gTo) continue;
      const pTo = pStart[k + 1];
      for (let q = pStart[k]; q < pTo; q++) {
        const pa = pAbs[q];
        const px = pMidX[q];
        const py = pMidY[q];
        if (n + (gTo - gFrom) > votes.length) votes = growVotes(n + (gTo - gFrom));
        for (let t = gFrom; t < gTo; t++) {
          const rot = (pa - absQ[t]) & 255;
          const cos = COS_Q[rot];
          const sin = SIN_Q[rot];
          const cx = mid[2 * t];
          const cy = mid[2 * t + 1];
          // the same expression as rank(), so that both land every vote in the same cell
          const x = Math.floor((px - (cos * cx - sin * cy) + HALF) * INV_STEP);
          const y = Math.floor((py - (sin * cx + cos * cy) + HALF) * INV_STEP);
          if (x < 0 || y < 0 || x >= SIDE || y >= SIDE) continue;
          const cell = ((((rot + ROTS / 2) & 255) >> ROT_SHIFT) * SIDE + y) * SIDE + x;
          votes[n++] = (entry[t] << CELL_BITS) | cell;
        }
      }
    }
    this.countPerEntry(n, entries, out, outFrom);
  }

  /** The fullest cell of each entry, from the first n votes: a counting sort by entry, then rank()'s count. */
  private countPerEntry(n: number, entries: number, out: Int32Array, outFrom: number): void {
    if (scratch.perEntry.length < entries + 1) scratch.perEntry = new Int32Array(entries + 1);
    if (scratch.sorted.length < n) scratch.sorted = new Uint16Array(scratch.votes.length);
    const { votes, sorted, perEntry } = scratch;
    const cells = this.cells;
    perEntry.fill(0, 0, entries + 1);
    for (let k = 0; k < n; k++) perEntry[(votes[k] >>> CELL_BITS) + 1]++;
    for (let e = 0; e < entries; e++) perEntry[e + 1] += perEntry[e];
    // after the scatter, perEntry[e] is where entry e's cells end (and entry e + 1's begin)
    for (let k = 0; k < n; k++) sorted[perEntry[votes[k] >>> CELL_BITS]++] = votes[k] & CELL_MASK;
    let from = 0;
    for (let e = 0; e < entries; e++) {
      const to = perEntry[e];
      let best = 0;
      let bestCell = 0;
      for (let k = from; k < to; k++) {
        const cell = sorted[k];
        const v = ++cells[cell];
        if (v > best || (v === best && cell < bestCell)) {
          best = v;
          bestCell = cell;
        }
      }
      out[outFrom + e] = best === 0 ? 0 : withSupport(best, cells, bestCell);
      for (let k = from; k < to; k++) cells[sorted[k]] = 0;
      from = to;
    }
  }
}

function growVotes(need: number): Uint32Array<ArrayBuffer> {
  let size = scratch.votes.length * 2;
  while (size < need) size *= 2;
  const grown = new Uint32Array(size);
  grown.set(scratch.votes);
  scratch.votes = grown;
  return grown;
}

/** Numbers per candidate edge in RankFeatures: fine bucket, absolute direction, midpoint x, y. */
export const FEATURES = 4;

/**
 * What rank() reads of a gallery entry, in one small array: per close forward edge its fine bucket,
 * absolute direction and midpoint. Built once per entry next to its prepared form; one contiguous
 * array instead of six per entry is what keeps a 1:N ranking pass out of cache misses. Empty for
 * templates with fewer than 2 minutiae (they rank 0).
 */
export type RankFeatures = Float32Array;

export function rankFeatures(c: PreparedTemplate): RankFeatures {
  if (c.count < 2) return new Float32Array(0);
  const f = new Float32Array(c.candidateEdgeCount * FEATURES);
  for (let e = 0, k = 0; e < c.candidateEdgeCount; e++, k += FEATURES) {
    f[k] = bucketOf(
      lengthBin(c.edgeLength[e]),
      c.edgeDirectionQ[e] >> ANGLE_SHIFT,
      c.edgeRelAngleQ[e] >> ANGLE_SHIFT,
    );
    f[k + 1] = c.edgeAbsQ[e];
    f[k + 2] = c.edgeMidX[e];
    f[k + 3] = c.edgeMidY[e];
  }
  return f;
}
