import { buildEdgeIndex, type EdgeIndex } from './edge-index.ts';
import {
  EDGE_ANGLE_TOLERANCE,
  EDGE_LENGTH_TOLERANCE_ABS,
  EDGE_LENGTH_TOLERANCE_REL,
  MAX_MINUTIAE,
  PAIR_ANGLE_TOLERANCE,
  PAIR_DISTANCE_TOLERANCE_ABS,
  PAIR_DISTANCE_TOLERANCE_MAX,
  PAIR_DISTANCE_TOLERANCE_REL,
  ROOT_COUNT,
  ROOT_MIN_VOTES,
} from './params.ts';
import type { PreparedTemplate } from './prepare.ts';
import { buildProbeGrid, gridCell, type ProbeGrid } from './probe-grid.ts';
import { overlapScore } from './score.ts';

/** Pair (probe minutia i, candidate minutia k) is stored at i * STRIDE + k in the vote matrix. */
const STRIDE = MAX_MINUTIAE + 1;
const MAX_TOUCHED = 8192;
/** Two alignments are the same when rotations differ by < 10° and shifts of the origin by < 15 px. */
const COS_SAME_ROTATION = Math.cos((10 * Math.PI) / 180);
const SAME_SHIFT = 15;
const COS_PAIR_ANGLE_TOLERANCE = Math.cos(PAIR_ANGLE_TOLERANCE);

/** EDGE_ANGLE_OK[(a - b) & 255] = 1 when quantised angles a and b are within the edge tolerance. */
const EDGE_ANGLE_OK = new Uint8Array(256).map((_, d) =>
  (Math.min(d, 256 - d) * 2 * Math.PI) / 256 <= EDGE_ANGLE_TOLERANCE ? 1 : 0,
);

/**
 * Compares one probe against any number of candidates. Everything that depends only on the probe
 * (edge hash, spatial grid) and every scratch buffer is made here once, so `score` allocates nothing:
 * the 1:N loop of the worker pool is this object's `score` over a gallery.
 *
 * Algorithm (docs/matching.md): local stage = edge-hash voting for minutia pairs whose neighbourhoods
 * agree (Jiang & Yau 2000 local structures, hashed as in Germain et al. 1997 / SourceAFIS); global
 * stage = rigid alignment on each of the best-voted pairs, greedy one-to-one pairing with a tolerance
 * that grows with distance (elastic distortion), a least-squares re-fit, and an overlap-normalised
 * score.
 */
export class ProbeMatcher {
  private readonly p: PreparedTemplate;
  private readonly index: EdgeIndex;
  private readonly grid: ProbeGrid;
  private readonly votes: Uint16Array;
  private readonly touched = new Int32Array(MAX_TOUCHED);
  private touchedCount = 0;
  private readonly rootPair = new Int32Array(ROOT_COUNT);
  private readonly rootVotes = new Int32Array(ROOT_COUNT);
  /** stamp per probe minutia: equals `stamp` when already paired in the current alignment */
  private readonly taken: Int32Array;
  private stamp = 0;
  private readonly pairP = new Int32Array(STRIDE);
  private readonly pairC = new Int32Array(STRIDE);
  private readonly triedTransforms = new Float64Array(ROOT_COUNT * 4);
  private readonly best = new Float64Array(4);
  private bestAnchor = 0;
  /** last alignment: candidate -> probe frame */
  private cos = 1;
  private sin = 0;
  private tx = 0;
  private ty = 0;

  constructor(probe: PreparedTemplate) {
    this.p = probe;
    this.index = buildEdgeIndex(probe);
    this.grid = buildProbeGrid(probe);
    this.votes = new Uint16Array(Math.max(1, probe.count) * STRIDE);
    this.taken = new Int32Array(Math.max(1, probe.count));
  }

  get probe(): PreparedTemplate {
    return this.p;
  }

  score(c: PreparedTemplate): number {
    if (this.p.count < 2 || c.count < 2) return 0;
    this.vote(c);
    const roots = this.selectRoots();
    this.clearVotes();
    let bestCount = 0;
    let tried = 0;
    for (let r = 0; r < roots; r++) {
      const pair = this.rootPair[r];
      const i = (pair / STRIDE) | 0;
      const k = pair - i * STRIDE;
      this.alignOnPair(c, i, k);
      // Roots of one true alignment agree with each other: pairing again under the same transform
      // would find the same pairs, so only roots that disagree with all tried ones are tried.
      if (this.sameAsTried(tried)) continue;
      this.remember(tried++);
      const m = this.pairUp(c, this.p.x[i], this.p.y[i], this.pairP, this.pairC);
      if (m > bestCount) {
        bestCount = m;
        this.keepBest(i);
      }
    }
    if (bestCount === 0) return 0;
    this.restoreBest();
    if (bestCount >= 3) {
      // Re-fit on all pairs found: the anchor's own direction is only known to a few degrees,
      // which moves far minutiae by more than the tolerance.
      const m = this.pairUp(c, this.p.x[this.bestAnchor], this.p.y[this.bestAnchor], this.pairP, this.pairC);
      this.fitRigid(c, m, this.pairP, this.pairC);
      let cx = 0;
      let cy = 0;
      for (let q = 0; q < m; q++) {
        cx += this.p.x[this.pairP[q]];
        cy += this.p.y[this.pairP[q]];
      }
      const m2 = this.pairUp(c, cx / m, cy / m, this.pairP, this.pairC);
      if (m2 >= bestCount) bestCount = m2;
      else this.restoreBest();
    }
    return overlapScore(this.p, c, bestCount, this.cos, this.sin, this.tx, this.ty);
  }

  private keepBest(anchor: number): void {
    this.bestAnchor = anchor;
    this.best[0] = this.cos;
    this.best[1] = this.sin;
    this.best[2] = this.tx;
    this.best[3] = this.ty;
  }

  private restoreBest(): void {
    this.cos = this.best[0];
    this.sin = this.best[1];
    this.tx = this.best[2];
    this.ty = this.best[3];
  }

  private remember(slot: number): void {
    const o = slot * 4;
    this.triedTransforms[o] = this.cos;
    this.triedTransforms[o + 1] = this.sin;
    this.triedTransforms[o + 2] = this.tx;
    this.triedTransforms[o + 3] = this.ty;
  }

  /** Whether the current transform moves a test point and a direction like one of the tried ones. */
  private sameAsTried(tried: number): boolean {
    const t = this.triedTransforms;
    for (let s = 0; s < tried; s++) {
      const o = s * 4;
      if (t[o] * this.cos + t[o + 1] * this.sin < COS_SAME_ROTATION) continue;
      if (Math.abs(t[o + 2] - this.tx) > SAME_SHIFT || Math.abs(t[o + 3] - this.ty) > SAME_SHIFT) continue;
      return true;
    }
    return false;
  }

  /** Local stage: every pair of similar edges votes for the two minutia pairs at its ends. */
  private vote(c: PreparedTemplate): void {
    const p = this.p;
    const { bucketStart, entries } = this.index;
    const votes = this.votes;
    const touched = this.touched;
    let tc = 0;
    for (let e = 0; e < c.edgeCount; e++) {
      const b = c.edgeBucket[e];
      const end = bucketStart[b + 1];
      const len = c.edgeLength[e];
      const dirQ = c.edgeDirectionQ[e];
      const relQ = c.edgeRelAngleQ[e];
      const lenTol = EDGE_LENGTH_TOLERANCE_ABS + EDGE_LENGTH_TOLERANCE_REL * len;
      for (let q = bucketStart[b]; q < end; q++) {
        const pe = entries[q];
        if (Math.abs(p.edgeLength[pe] - len) > lenTol) continue;
        if (EDGE_ANGLE_OK[(p.edgeDirectionQ[pe] - dirQ) & 255] === 0) continue;
        if (EDGE_ANGLE_OK[(p.edgeRelAngleQ[pe] - relQ) & 255] === 0) continue;
        const a = p.edgeFrom[pe] * STRIDE + c.edgeFrom[e];
        const z = p.edgeTo[pe] * STRIDE + c.edgeTo[e];
        if (votes[a]++ === 0 && tc < MAX_TOUCHED) touched[tc++] = a;
        if (votes[z]++ === 0 && tc < MAX_TOUCHED) touched[tc++] = z;
      }
    }
    this.touchedCount = tc;
  }

  /** The ROOT_COUNT pairs with the most votes (insertion into a short sorted list). */
  private selectRoots(): number {
    const votes = this.votes;
    const rp = this.rootPair;
    const rv = this.rootVotes;
    let n = 0;
    for (let t = 0; t < this.touchedCount; t++) {
      const pair = this.touched[t];
      const v = votes[pair];
      if (v < ROOT_MIN_VOTES) continue;
      if (n === ROOT_COUNT && v <= rv[n - 1]) continue;
      let pos = n < ROOT_COUNT ? n++ : n - 1;
      while (pos > 0 && rv[pos - 1] < v) {
        rv[pos] = rv[pos - 1];
        rp[pos] = rp[pos - 1];
        pos--;
      }
      rv[pos] = v;
      rp[pos] = pair;
    }
    return n;
  }

  private clearVotes(): void {
    for (let t = 0; t < this.touchedCount; t++) this.votes[this.touched[t]] = 0;
    // Overflowed touch lists leave stray votes behind: wipe everything (rare, dense templates only).
    if (this.touchedCount === MAX_TOUCHED) this.votes.fill(0);
  }

  /** Rigid transform taking candidate minutia k onto probe minutia i, directions included. */
  private alignOnPair(c: PreparedTemplate, i: number, k: number): void {
    const theta = this.p.angle[i] - c.angle[k];
    this.cos = Math.cos(theta);
    this.sin = Math.sin(theta);
    this.tx = this.p.x[i] - (this.cos * c.x[k] - this.sin * c.y[k]);
    this.ty = this.p.y[i] - (this.sin * c.x[k] + this.cos * c.y[k]);
  }

  /**
   * Global stage: maps every candidate minutia into the probe frame and pairs it with the nearest
   * free probe minutia within tolerance (position and direction). Returns the number of pairs.
   */
  private pairUp(c: PreparedTemplate, ax: number, ay: number, outP: Int32Array, outC: Int32Array): number {
    const p = this.p;
    const g = this.grid;
    const { cos, sin, tx, ty } = this;
    const taken = this.taken;
    const stamp = ++this.stamp;
    let m = 0;
    for (let l = 0; l < c.count; l++) {
      const X = cos * c.x[l] - sin * c.y[l] + tx;
      const Y = sin * c.x[l] + cos * c.y[l] + ty;
      const cell = gridCell(g, X, Y);
      if (cell < 0) continue;
      // direction of the aligned candidate minutia, as a unit vector
      const ca = cos * c.cosAngle[l] - sin * c.sinAngle[l];
      const sa = sin * c.cosAngle[l] + cos * c.sinAngle[l];
      const rx = X - ax;
      const ry = Y - ay;
      const r = Math.sqrt(rx * rx + ry * ry);
      const tol = Math.min(
        PAIR_DISTANCE_TOLERANCE_MAX,
        PAIR_DISTANCE_TOLERANCE_ABS + PAIR_DISTANCE_TOLERANCE_REL * r,
      );
      let best = -1;
      let bestD2 = tol * tol;
      for (let q = g.cellStart[cell], end = g.cellStart[cell + 1]; q < end; q++) {
        const j = g.entries[q];
        if (taken[j] === stamp) continue;
        const dx = p.x[j] - X;
        const dy = p.y[j] - Y;
        const d2 = dx * dx + dy * dy;
        if (d2 > bestD2) continue;
        if (p.cosAngle[j] * ca + p.sinAngle[j] * sa < COS_PAIR_ANGLE_TOLERANCE) continue;
        best = j;
        bestD2 = d2;
      }
      if (best >= 0) {
        taken[best] = stamp;
        outP[m] = best;
        outC[m] = l;
        m++;
      }
    }
    return m;
  }

  /** Least-squares rotation and translation (2D Procrustes) over the current pairs. */
  private fitRigid(c: PreparedTemplate, m: number, pp: Int32Array, pc: Int32Array): void {
    const p = this.p;
    let pxm = 0;
    let pym = 0;
    let cxm = 0;
    let cym = 0;
    for (let q = 0; q < m; q++) {
      pxm += p.x[pp[q]];
      pym += p.y[pp[q]];
      cxm += c.x[pc[q]];
      cym += c.y[pc[q]];
    }
    pxm /= m;
    pym /= m;
    cxm /= m;
    cym /= m;
    let dot = 0;
    let cross = 0;
    for (let q = 0; q < m; q++) {
      const ax = c.x[pc[q]] - cxm;
      const ay = c.y[pc[q]] - cym;
      const bx = p.x[pp[q]] - pxm;
      const by = p.y[pp[q]] - pym;
      dot += ax * bx + ay * by;
      cross += ax * by - ay * bx;
    }
    const theta = Math.atan2(cross, dot);
    this.cos = Math.cos(theta);
    this.sin = Math.sin(theta);
    this.tx = pxm - (this.cos * cxm - this.sin * cym);
    this.ty = pym - (this.sin * cxm + this.cos * cym);
  }
}
