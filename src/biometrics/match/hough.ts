import { COS_Q, SIN_Q } from './angles.ts';
import { HOUGH_MARGIN, HOUGH_ROTATION_BINS, HOUGH_SHIFT_STEP, PEAK_COUNT, PEAK_MIN_VOTES } from './params.ts';
import type { PreparedTemplate } from './prepare.ts';

const ROTATION_SHIFT = Math.log2(256 / HOUGH_ROTATION_BINS);
/** votes kept per comparison; beyond this (very dense templates) further votes are dropped */
const MAX_VOTES = 2048;
const SLOT_BITS = 12;
const SLOTS = 1 << SLOT_BITS;
/** candidate peak cells examined before the neighbourhood sums pick the best PEAK_COUNT */
const PEAK_CANDIDATES = 4;

/** A rigid transform candidate -> probe: X = R(θ)·(c - candidate centroid) + (tx, ty). */
export interface Alignment {
  cos: number;
  sin: number;
  tx: number;
  ty: number;
  /** centre of the evidence in the probe frame: where the distortion tolerance is smallest */
  anchorX: number;
  anchorY: number;
  votes: number;
}

/**
 * Transformation-space voting (the generalised Hough transform of Ratha et al. 1996, with the
 * geometric-hashing twist of Germain et al. 1997 that votes come from pairs of edges, not single
 * minutiae): every probe/candidate edge pair that agrees locally votes for one rotation and one
 * position of the candidate's centroid. True mates pile up in one cell; chance agreements of an
 * impostor scatter.
 */
export class HoughAccumulator {
  private readonly originX: number;
  private readonly originY: number;
  private readonly cols: number;
  private readonly rows: number;
  /**
   * The accumulator is sparse (a few hundred votes in millions of cells), so it is a small open-
   * addressing hash of cell index -> count, not a dense array: cheap to build for every 1:1
   * comparison and cache-resident in a 1:N loop. A slot is live when its stamp equals `generation`,
   * so reset() is one increment.
   */
  private readonly slotCell = new Int32Array(SLOTS);
  private readonly slotCount = new Uint16Array(SLOTS);
  private readonly slotStamp = new Int32Array(SLOTS);
  /** votes of each slot as a linked list (head per slot, next per vote), stored as vote index + 1 */
  private readonly slotHead = new Int32Array(SLOTS);
  private generation = 1;
  private readonly touched = new Int32Array(MAX_VOTES);
  private touchedCount = 0;
  private readonly voteNext = new Int32Array(MAX_VOTES);
  /** the two edges of each vote: the transform is recomputed only for votes near a chosen peak */
  private readonly voteProbeEdge = new Uint16Array(MAX_VOTES);
  private readonly voteCandidateEdge = new Uint16Array(MAX_VOTES);
  private voteCount = 0;
  private readonly peakCells = new Int32Array(PEAK_CANDIDATES);
  private readonly peakVotes = new Int32Array(PEAK_CANDIDATES);

  constructor(probe: PreparedTemplate) {
    let minX = Infinity;
    let minY = Infinity;
    let maxX = -Infinity;
    let maxY = -Infinity;
    for (let i = 0; i < probe.count; i++) {
      minX = Math.min(minX, probe.x[i]);
      maxX = Math.max(maxX, probe.x[i]);
      minY = Math.min(minY, probe.y[i]);
      maxY = Math.max(maxY, probe.y[i]);
    }
    if (probe.count === 0) minX = minY = maxX = maxY = 0;
    this.originX = minX - HOUGH_MARGIN;
    this.originY = minY - HOUGH_MARGIN;
    this.cols = Math.ceil((maxX - minX + 2 * HOUGH_MARGIN) / HOUGH_SHIFT_STEP) + 1;
    this.rows = Math.ceil((maxY - minY + 2 * HOUGH_MARGIN) / HOUGH_SHIFT_STEP) + 1;
  }

  reset(): void {
    this.generation++;
    this.touchedCount = 0;
    this.voteCount = 0;
  }

  /** Slot of `cell`: its live slot, or the empty slot where it would go. */
  private slotOf(cell: number): number {
    let h = Math.imul(cell, 0x9e3779b1) >>> (32 - SLOT_BITS);
    while (this.slotStamp[h] === this.generation && this.slotCell[h] !== cell) h = (h + 1) & (SLOTS - 1);
    return h;
  }

  /** Votes in `cell` (0 when it has none). */
  private countOf(cell: number): number {
    const h = this.slotOf(cell);
    return this.slotStamp[h] === this.generation ? this.slotCount[h] : 0;
  }

  /**
   * One vote: probe edge pe and candidate edge ce are the same edge. Rotation from the edge vectors
   * (positions are more precise than minutia directions), translation from the midpoints.
   */
  add(p: PreparedTemplate, pe: number, c: PreparedTemplate, ce: number): void {
    if (this.voteCount === MAX_VOTES) return;
    const rot = (p.edgeAbsQ[pe] - c.edgeAbsQ[ce]) & 255;
    const cos = COS_Q[rot];
    const sin = SIN_Q[rot];
    const mx = p.edgeMidX[pe] + p.centroidX;
    const my = p.edgeMidY[pe] + p.centroidY;
    const tx = mx - (cos * c.edgeMidX[ce] - sin * c.edgeMidY[ce]);
    const ty = my - (sin * c.edgeMidX[ce] + cos * c.edgeMidY[ce]);
    const col = Math.floor((tx - this.originX) / HOUGH_SHIFT_STEP);
    const row = Math.floor((ty - this.originY) / HOUGH_SHIFT_STEP);
    if (col < 0 || row < 0 || col >= this.cols || row >= this.rows) return;
    const cell = ((rot >> ROTATION_SHIFT) * this.rows + row) * this.cols + col;
    const h = this.slotOf(cell);
    if (this.slotStamp[h] !== this.generation) {
      this.slotStamp[h] = this.generation;
      this.slotCell[h] = cell;
      this.slotCount[h] = 0;
      this.slotHead[h] = 0;
      this.touched[this.touchedCount++] = h;
    }
    this.slotCount[h]++;
    const v = this.voteCount++;
    this.voteNext[v] = this.slotHead[h];
    this.slotHead[h] = v + 1;
    this.voteProbeEdge[v] = pe;
    this.voteCandidateEdge[v] = ce;
  }

  /**
   * Up to PEAK_COUNT distinct alignments, strongest first, each averaged over the votes in its
   * 3x3x3 neighbourhood (a true alignment straddles bin borders). Returns how many were written.
   */
  peaks(p: PreparedTemplate, c: PreparedTemplate, out: Alignment[]): number {
    const pc = this.peakCells;
    const pv = this.peakVotes;
    let n = 0;
    for (let t = 0; t < this.touchedCount; t++) {
      const slot = this.touched[t];
      const cell = this.slotCell[slot];
      const v = this.slotCount[slot];
      if (n === PEAK_CANDIDATES && v <= pv[n - 1]) continue;
      let pos = n < PEAK_CANDIDATES ? n++ : n - 1;
      while (pos > 0 && pv[pos - 1] < v) {
        pv[pos] = pv[pos - 1];
        pc[pos] = pc[pos - 1];
        pos--;
      }
      pv[pos] = v;
      pc[pos] = cell;
    }
    // Neighbourhood sums decide; near-duplicates of a better peak are dropped.
    for (let q = 0; q < n; q++) pv[q] = this.neighbourhoodSum(pc[q]);
    let written = 0;
    for (let round = 0; round < PEAK_COUNT; round++) {
      let best = -1;
      for (let q = 0; q < n; q++) if (pv[q] >= PEAK_MIN_VOTES && (best < 0 || pv[q] > pv[best])) best = q;
      if (best < 0) break;
      const cell = pc[best];
      for (let q = 0; q < n; q++) if (this.adjacent(pc[q], cell)) pv[q] = -1;
      this.average(p, c, cell, out[written++]);
    }
    return written;
  }

  /** Cells within one bin of each other in every dimension (rotation wraps around). */
  private adjacent(a: number, b: number): boolean {
    const xa = a % this.cols;
    const xb = b % this.cols;
    if (Math.abs(xa - xb) > 1) return false;
    const ra = (a - xa) / this.cols;
    const rb = (b - xb) / this.cols;
    const ya = ra % this.rows;
    const yb = rb % this.rows;
    if (Math.abs(ya - yb) > 1) return false;
    return near((ra - ya) / this.rows, (rb - yb) / this.rows);
  }

  private neighbourhoodSum(cell: number): number {
    const x = cell % this.cols;
    const y = ((cell - x) / this.cols) % this.rows;
    const r = ((cell - x) / this.cols - y) / this.rows;
    let sum = 0;
    for (let dr = -1; dr <= 1; dr++) {
      const rr = (r + dr + HOUGH_ROTATION_BINS) % HOUGH_ROTATION_BINS;
      for (let dy = -1; dy <= 1; dy++) {
        const yy = y + dy;
        if (yy < 0 || yy >= this.rows) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const xx = x + dx;
          if (xx < 0 || xx >= this.cols) continue;
          sum += this.countOf((rr * this.rows + yy) * this.cols + xx);
        }
      }
    }
    return sum;
  }

  private average(p: PreparedTemplate, c: PreparedTemplate, cell: number, out: Alignment): void {
    const x = cell % this.cols;
    const y = ((cell - x) / this.cols) % this.rows;
    const r = ((cell - x) / this.cols - y) / this.rows;
    let sc = 0;
    let ss = 0;
    let tx = 0;
    let ty = 0;
    let mx = 0;
    let my = 0;
    let k = 0;
    for (let dr = -1; dr <= 1; dr++) {
      const rr = (r + dr + HOUGH_ROTATION_BINS) % HOUGH_ROTATION_BINS;
      for (let dy = -1; dy <= 1; dy++) {
        const yy = y + dy;
        if (yy < 0 || yy >= this.rows) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const xx = x + dx;
          if (xx < 0 || xx >= this.cols) continue;
          const h = this.slotOf((rr * this.rows + yy) * this.cols + xx);
          if (this.slotStamp[h] !== this.generation) continue;
          for (let link = this.slotHead[h]; link > 0; ) {
            const v = link - 1;
            link = this.voteNext[v];
            const pe = this.voteProbeEdge[v];
            const ce = this.voteCandidateEdge[v];
            const rot = (p.edgeAbsQ[pe] - c.edgeAbsQ[ce]) & 255;
            const cos = COS_Q[rot];
            const sin = SIN_Q[rot];
            const vx = p.edgeMidX[pe] + p.centroidX;
            const vy = p.edgeMidY[pe] + p.centroidY;
            sc += cos;
            ss += sin;
            tx += vx - (cos * c.edgeMidX[ce] - sin * c.edgeMidY[ce]);
            ty += vy - (sin * c.edgeMidX[ce] + cos * c.edgeMidY[ce]);
            mx += vx;
            my += vy;
            k++;
          }
        }
      }
    }
    const norm = Math.hypot(sc, ss) || 1;
    out.cos = sc / norm;
    out.sin = ss / norm;
    out.tx = tx / k;
    out.ty = ty / k;
    out.anchorX = mx / k;
    out.anchorY = my / k;
    out.votes = k;
  }
}

/** Rotation bins a and b are equal or neighbours (the rotation axis wraps around). */
function near(a: number, b: number): boolean {
  const d = Math.abs(a - b);
  return d <= 1 || d >= HOUGH_ROTATION_BINS - 1;
}
