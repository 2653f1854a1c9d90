import {
  MAX_MINUTIAE,
  PAIR_ANGLE_TOLERANCE,
  PAIR_DISTANCE_TOLERANCE_ABS,
  PAIR_DISTANCE_TOLERANCE_MAX,
  PAIR_DISTANCE_TOLERANCE_REL,
  RESIDUAL_WEIGHT,
} from './params.ts';
import type { PreparedTemplate } from './prepare.ts';
import { buildProbeGrid, gridCell, type ProbeGrid } from './probe-grid.ts';

const COS_PAIR_ANGLE_TOLERANCE = Math.cos(PAIR_ANGLE_TOLERANCE);

/** Position tolerance of a pair (rx, ry) away from the anchor: grows with it, to absorb distortion. */
export function pairTolerance(rx: number, ry: number): number {
  return Math.min(
    PAIR_DISTANCE_TOLERANCE_MAX,
    PAIR_DISTANCE_TOLERANCE_ABS + PAIR_DISTANCE_TOLERANCE_REL * Math.sqrt(rx * rx + ry * ry),
  );
}

/**
 * The nearest probe minutia to (X, Y) not yet taken in this round (taken[j] === stamp), within the
 * distance tol and with a direction within PAIR_ANGLE_TOLERANCE of (ca, sa); -1 if none. One cell
 * read of the probe's grid. Shared by the rigid pairing and the elastic re-pairing (elastic.ts).
 */
export function nearestPartner(
  p: PreparedTemplate,
  g: ProbeGrid,
  taken: Int32Array,
  stamp: number,
  X: number,
  Y: number,
  ca: number,
  sa: number,
  tol: number,
): number {
  const cell = gridCell(g, X, Y);
  if (cell < 0) return -1;
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
  return best;
}

/**
 * What pair (probe j, candidate l at (X, Y) in the probe frame) adds to the score: 1 for a pair that
 * lands exactly, less towards the edge of the tolerance (RESIDUAL_WEIGHT) and for minutiae the
 * extractor was unsure of.
 */
export function pairWeight(
  p: PreparedTemplate,
  c: PreparedTemplate,
  j: number,
  l: number,
  X: number,
  Y: number,
  tol: number,
): number {
  const dx = p.x[j] - X;
  const dy = p.y[j] - Y;
  const d2 = dx * dx + dy * dy;
  return (1 - (RESIDUAL_WEIGHT * d2) / (tol * tol)) * Math.sqrt(p.reliability[j] * c.reliability[l]);
}

/** A rigid transform of raw candidate coordinates into the probe frame: X = R·c + t. */
export interface Rigid {
  cos: number;
  sin: number;
  tx: number;
  ty: number;
}

/**
 * The global stage: under one alignment, pair candidate minutiae one-to-one with probe minutiae
 * (nearest free partner within a position tolerance that grows with the distance from the anchor,
 * the place the alignment is surest of, and within a direction tolerance); and re-fit the alignment
 * to the pairs by least squares. Owns the probe's grid and all scratch space: no allocation per call.
 */
export class Pairing {
  private readonly p: PreparedTemplate;
  /** the probe's spatial grid, shared with the elastic re-pairing */
  readonly grid: ProbeGrid;
  private readonly taken: Int32Array;
  private stamp = 0;
  /** sum of the residual weights of the last pairUp's pairs (see RESIDUAL_WEIGHT) */
  weight = 0;
  private readonly pairP = new Int32Array(MAX_MINUTIAE);
  private readonly pairC = new Int32Array(MAX_MINUTIAE);
  /** the pairs of the best alignment so far (keepPairs), which fitRigid and pairedCentroid read */
  readonly keptP = new Int32Array(MAX_MINUTIAE);
  readonly keptC = new Int32Array(MAX_MINUTIAE);

  constructor(probe: PreparedTemplate) {
    this.p = probe;
    this.grid = buildProbeGrid(probe);
    this.taken = new Int32Array(Math.max(1, probe.count));
  }

  /** Number of pairs under transform t (the pairs stay in scratch until the next call). */
  pairUp(c: PreparedTemplate, t: Rigid, anchorX: number, anchorY: number): number {
    const p = this.p;
    const g = this.grid;
    const { cos, sin, tx, ty } = t;
    const taken = this.taken;
    const stamp = ++this.stamp;
    const pairP = this.pairP;
    const pairC = this.pairC;
    let m = 0;
    let weight = 0;
    for (let l = 0; l < c.count; l++) {
      const X = cos * c.x[l] - sin * c.y[l] + tx;
      const Y = sin * c.x[l] + cos * c.y[l] + ty;
      // direction of the aligned candidate minutia, as a unit vector
      const ca = cos * c.cosAngle[l] - sin * c.sinAngle[l];
      const sa = sin * c.cosAngle[l] + cos * c.sinAngle[l];
      const rx = X - anchorX;
      const ry = Y - anchorY;
      const tol = pairTolerance(rx, ry);
      const best = nearestPartner(p, g, taken, stamp, X, Y, ca, sa, tol);
      if (best >= 0) {
        weight += pairWeight(p, c, best, l, X, Y, tol);
        taken[best] = stamp;
        pairP[m] = best;
        pairC[m] = l;
        m++;
      }
    }
    this.weight = weight;
    return m;
  }

  /** Copies the first m pairs of the last pairUp aside. */
  keepPairs(m: number): void {
    for (let q = 0; q < m; q++) {
      this.keptP[q] = this.pairP[q];
      this.keptC[q] = this.pairC[q];
    }
  }

  /** Least-squares rotation and translation (2D Procrustes) over the first m kept pairs, written to t. */
  fitRigid(c: PreparedTemplate, m: number, t: Rigid): void {
    const p = this.p;
    const pp = this.keptP;
    const pc = this.keptC;
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
    const norm = Math.hypot(dot, cross) || 1;
    t.cos = dot / norm;
    t.sin = cross / norm;
    t.tx = pxm - (t.cos * cxm - t.sin * cym);
    t.ty = pym - (t.sin * cxm + t.cos * cym);
  }

  /** Centroid of the probe side of the first m kept pairs. */
  pairedCentroid(m: number, out: { x: number; y: number }): void {
    let x = 0;
    let y = 0;
    for (let q = 0; q < m; q++) {
      x += this.p.x[this.keptP[q]];
      y += this.p.y[this.keptP[q]];
    }
    out.x = x / m;
    out.y = y / m;
  }
}
