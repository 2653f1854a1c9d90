import { footprintCovers } from './footprint.ts';
import { FUSION_HOUGH_FLOOR, OVERLAP_CAP, OVERLAP_FLOOR, OVERLAP_SLOPE } from './params.ts';
import type { PreparedTemplate } from './prepare.ts';

/**
 * Turns a pair count into a score in [0, 1] that does not punish partial overlap: paired minutiae
 * are compared with the minutiae each side has INSIDE the other side's footprint (after alignment),
 * not with all of them, as the consolidation step of MCC normalises by the minutiae that can match.
 * Both counts are floored so that a sliver of overlap with three lucky pairs cannot score high.
 *
 *   score = w² / (max(nP, w, floor) · max(nC, w, floor)),  w = Σ pair weights (pairing.ts)
 *
 * nP and nC sum the reliabilities of the overlap minutiae (params.ts, QUALITY_FULL), not counts.
 *
 * (cos, sin, tx, ty) maps candidate coordinates into the probe frame.
 */
export function overlapScore(
  p: PreparedTemplate,
  c: PreparedTemplate,
  weight: number,
  cos: number,
  sin: number,
  tx: number,
  ty: number,
): number {
  let inP = 0;
  for (let l = 0; l < c.count; l++) {
    const X = cos * c.x[l] - sin * c.y[l] + tx;
    const Y = sin * c.x[l] + cos * c.y[l] + ty;
    if (footprintCovers(p.footprint, X, Y)) inP += c.reliability[l];
  }
  let inC = 0;
  for (let j = 0; j < p.count; j++) {
    // inverse transform: probe frame -> candidate frame
    const dx = p.x[j] - tx;
    const dy = p.y[j] - ty;
    const X = cos * dx + sin * dy;
    const Y = -sin * dx + cos * dy;
    if (footprintCovers(c.footprint, X, Y)) inC += p.reliability[j];
  }
  const nC = saturate(Math.max(inP, weight, OVERLAP_FLOOR));
  const nP = saturate(Math.max(inC, weight, OVERLAP_FLOOR));
  return Math.min(1, (weight * weight) / (nC * nP));
}

function saturate(n: number): number {
  return n <= OVERLAP_CAP ? n : OVERLAP_CAP + (n - OVERLAP_CAP) * OVERLAP_SLOPE;
}

/**
 * The fused score of SCORE_MODE 'fused': the geometric mean of the Hough score, floored at
 * FUSION_HOUGH_FLOOR, and the MCC score (mcc/). Both must agree for a high score: the Hough score
 * rewards many minutiae paired under one alignment, MCC rewards local neighbourhoods that agree
 * wherever distortion has moved them, and an impostor seldom fools both at once. The floor lets MCC
 * alone carry a strongly distorted genuine pair on which the Hough stage found no alignment, but only
 * to √(floor · mcc). It won over weighted sums and the max on FVC2002 (both modes), the hard mix and
 * the real-ridge hard sets alike (docs/matching.md, test/bench/match/mcc-fusion.ts).
 */
export function fuseScores(hough: number, mcc: number): number {
  return Math.sqrt(Math.max(hough, FUSION_HOUGH_FLOOR) * mcc);
}
