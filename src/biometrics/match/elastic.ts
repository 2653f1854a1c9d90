import { nearestPartner, pairTolerance, pairWeight, type Rigid } from './pairing.ts';
import {
  ELASTIC_KERNEL_RADIUS,
  ELASTIC_MODEL,
  ELASTIC_PRIOR_WEIGHT,
  ELASTIC_SLOPE_PRIOR,
  MAX_MINUTIAE,
} from './params.ts';
import type { PreparedTemplate } from './prepare.ts';
import type { ProbeGrid } from './probe-grid.ts';

const AFFINE = ELASTIC_MODEL === 'affine';
const SLOPE_PRIOR = ELASTIC_SLOPE_PRIOR * ELASTIC_KERNEL_RADIUS * ELASTIC_KERNEL_RADIUS;
const INV_RADIUS2 = 1 / (ELASTIC_KERNEL_RADIUS * ELASTIC_KERNEL_RADIUS);

/**
 * Elastic re-pairing (issue 12): one rigid transform leaves far minutiae of a strongly distorted
 * print 30-60 px off, more than any tolerance that keeps impostors out. Distortion is smooth, chance
 * pairs are not, so after the rigid pairing each candidate minutia's position is PREDICTED from the
 * displacements (residuals) of the pairs around it, and it is paired again with a tight tolerance
 * around that prediction (Bazen & Gerez 2003 fit a thin-plate spline to the pairs for the same
 * purpose; a kernel-weighted local affine fit of the residuals, moving least squares, is the cheap
 * smooth form of it, see ELASTIC_MODEL). The tolerance
 * is the rigid pairing's (pairing.ts), centred on the prediction instead of the rigid position:
 * widening it as well let more impostor pairs in than genuine ones (docs, "Elastic re-pairing").
 *
 * The prediction for a minutia that is itself paired leaves its own pair out: otherwise every pair
 * would predict itself exactly and chance pairs would gain full weight. A pair is kept only when its
 * NEIGHBOURS agree about where it should be, which a chance pair's neighbours do not.
 *
 * Owns its scratch space: no allocation per call.
 */
export class ElasticPairing {
  private readonly p: PreparedTemplate;
  private readonly grid: ProbeGrid;
  private readonly taken: Int32Array;
  private stamp = 0;
  /** aligned (rigid) candidate positions, and the residual of each current pair */
  private readonly ax = new Float64Array(MAX_MINUTIAE);
  private readonly ay = new Float64Array(MAX_MINUTIAE);
  private readonly rx = new Float64Array(MAX_MINUTIAE);
  private readonly ry = new Float64Array(MAX_MINUTIAE);
  private readonly srcP = new Int32Array(MAX_MINUTIAE);
  private readonly srcC = new Int32Array(MAX_MINUTIAE);
  /** the pairs of the last run */
  readonly pairP = new Int32Array(MAX_MINUTIAE);
  readonly pairC = new Int32Array(MAX_MINUTIAE);
  /** sum of the residual weights of the last run's pairs (as Pairing.weight) */
  weight = 0;
  private anchorX = 0;
  private anchorY = 0;

  constructor(probe: PreparedTemplate, grid: ProbeGrid) {
    this.p = probe;
    this.grid = grid;
    this.taken = new Int32Array(Math.max(1, probe.count));
  }

  /**
   * Re-pairs `c` around positions predicted from the m pairs (pairP[q], pairC[q]) found under the
   * rigid transform t, `rounds` times (each round predicts from the previous round's pairs); the
   * tolerance grows with the distance from (anchorX, anchorY) as in the rigid pairing.
   * Returns the number of pairs; they stay in this.pairP / this.pairC, their weight in this.weight.
   */
  run(
    c: PreparedTemplate,
    t: Rigid,
    pairP: Int32Array,
    pairC: Int32Array,
    m: number,
    rounds: number,
    anchorX: number,
    anchorY: number,
  ): number {
    this.anchorX = anchorX;
    this.anchorY = anchorY;
    if (m < 2) {
      // nothing to predict from
      this.weight = 0;
      return 0;
    }
    const { cos, sin, tx, ty } = t;
    const ax = this.ax;
    const ay = this.ay;
    for (let l = 0; l < c.count; l++) {
      ax[l] = cos * c.x[l] - sin * c.y[l] + tx;
      ay[l] = sin * c.x[l] + cos * c.y[l] + ty;
    }
    this.srcP.set(pairP.subarray(0, m));
    this.srcC.set(pairC.subarray(0, m));
    let n = m;
    for (let r = 0; r < rounds; r++) {
      if (n < 2) break;
      n = this.round(c, t, n);
      if (r + 1 < rounds) {
        this.srcP.set(this.pairP.subarray(0, n));
        this.srcC.set(this.pairC.subarray(0, n));
      }
    }
    return n;
  }

  /** One prediction-and-pairing pass from the n source pairs in srcP/srcC. */
  private round(c: PreparedTemplate, t: Rigid, n: number): number {
    const p = this.p;
    const g = this.grid;
    const { ax, ay, rx, ry, srcP, srcC } = this;
    for (let q = 0; q < n; q++) {
      rx[q] = p.x[srcP[q]] - ax[srcC[q]];
      ry[q] = p.y[srcP[q]] - ay[srcC[q]];
    }
    const taken = this.taken;
    const stamp = ++this.stamp;
    let m = 0;
    let weight = 0;
    for (let l = 0; l < c.count; l++) {
      // kernel-weighted fit of the other pairs' residuals r ≈ b + J·(their offset from l): the
      // prior rows pull b and J towards 0 (the rigid position) when the evidence around l is thin.
      // Only b, the residual predicted at l itself, is needed.
      let sw = ELASTIC_PRIOR_WEIGHT;
      let sx = 0;
      let sy = 0;
      let su = 0;
      let sv = 0;
      let suu = SLOPE_PRIOR;
      let suv = 0;
      let svv = SLOPE_PRIOR;
      let sxu = 0;
      let sxv = 0;
      let syu = 0;
      let syv = 0;
      for (let q = 0; q < n; q++) {
        const k = srcC[q];
        if (k === l) continue;
        const dx = ax[k] - ax[l];
        const dy = ay[k] - ay[l];
        const d2 = dx * dx + dy * dy;
        const u = 1 + d2 * INV_RADIUS2;
        const w = 1 / (u * u);
        sw += w;
        sx += w * rx[q];
        sy += w * ry[q];
        if (AFFINE) {
          su += w * dx;
          sv += w * dy;
          suu += w * dx * dx;
          suv += w * dx * dy;
          svv += w * dy * dy;
          sxu += w * rx[q] * dx;
          sxv += w * rx[q] * dy;
          syu += w * ry[q] * dx;
          syv += w * ry[q] * dy;
        }
      }
      let bx = sx / sw;
      let by = sy / sw;
      if (AFFINE) {
        // first component of G⁻¹h, G = [[sw, su, sv], [su, suu, suv], [sv, suv, svv]]
        const c00 = suu * svv - suv * suv;
        const c01 = -(su * svv - suv * sv);
        const c02 = su * suv - suu * sv;
        const det = sw * c00 + su * c01 + sv * c02;
        if (det > 1e-9) {
          bx = (c00 * sx + c01 * sxu + c02 * sxv) / det;
          by = (c00 * sy + c01 * syu + c02 * syv) / det;
        }
      }
      const X = ax[l] + bx;
      const Y = ay[l] + by;
      const ux = ax[l] - this.anchorX;
      const uy = ay[l] - this.anchorY;
      const tol = pairTolerance(ux, uy);
      const ca = t.cos * c.cosAngle[l] - t.sin * c.sinAngle[l];
      const sa = t.sin * c.cosAngle[l] + t.cos * c.sinAngle[l];
      const best = nearestPartner(p, g, taken, stamp, X, Y, ca, sa, tol);
      if (best >= 0) {
        weight += pairWeight(p, c, best, l, X, Y, tol);
        taken[best] = stamp;
        this.pairP[m] = best;
        this.pairC[m] = l;
        m++;
      }
    }
    this.weight = weight;
    return m;
  }
}
