import {
  MCC_HULL_OFFSET,
  MCC_MIN_NEIGHBOURS,
  MCC_MIN_VALID_CELLS,
  MCC_MU_PSI,
  MCC_ND,
  MCC_NS,
  MCC_RADIUS,
  MCC_SIGMA_D,
  MCC_SIGMA_S,
} from '../../../../../src/biometrics/match/params.ts';
import type { PreparedTemplate } from '../../../../../src/biometrics/match/prepare.ts';
import { convexHull, withinHull } from './hull.ts';

const TWO_PI = 2 * Math.PI;
/** bits per cylinder: one per (spatial cell, direction) */
export const CELL_BITS = MCC_NS * MCC_NS * MCC_ND;
/** 32-bit words per cylinder */
export const WORDS = Math.ceil(CELL_BITS / 32);
const DELTA_S = (2 * MCC_RADIUS) / MCC_NS;
const DELTA_D = TWO_PI / MCC_ND;
/** neighbours further than 3σS from a cell centre add nothing measurable */
const REACH2 = (3 * MCC_SIGMA_S) ** 2;
const GAUSS_NORM = 1 / (MCC_SIGMA_S * Math.sqrt(TWO_PI));

/** Offsets (in the minutia's own frame) of the cell centres that lie inside the cylinder's disc. */
const DISC: { a: number; b: number; cell: number }[] = [];
for (let i = 0; i < MCC_NS; i++) {
  for (let j = 0; j < MCC_NS; j++) {
    const a = DELTA_S * (i - (MCC_NS - 1) / 2);
    const b = DELTA_S * (j - (MCC_NS - 1) / 2);
    if (a * a + b * b <= MCC_RADIUS * MCC_RADIUS) DISC.push({ a, b, cell: i * MCC_NS + j });
  }
}
/** cell bits of a full disc: the reference for the valid-cell and matchable-cell shares */
export const DISC_BITS = DISC.length * MCC_ND;

/**
 * The bit-based cylinders of one template (Cappelli et al. 2010, section 5): for each minutia kept, a
 * bit per cell of a disc of radius R around it, rotated to its direction, set where neighbouring
 * minutiae with the cell's relative direction are dense; and a mask of the cells that lie where the
 * finger was (the grown convex hull). A translation or rotation of the whole template leaves every
 * cylinder the same, and a distortion moves only the cells its neighbours fall in, which is why
 * cylinders survive distortion that defeats one rigid alignment.
 */
export interface Cylinders {
  /** number of cylinders kept (minutiae with enough valid cells and neighbours) */
  readonly count: number;
  /** the minutia (index in the prepared template) of each cylinder */
  readonly minutia: Int32Array;
  /** count × WORDS: the cell bits, already zero where the mask is */
  readonly bits: Uint32Array;
  /** count × WORDS: the valid cells */
  readonly mask: Uint32Array;
  /** unit direction of each cylinder's minutia, so the δθ test is one dot product */
  readonly cos: Float64Array;
  readonly sin: Float64Array;
}

/** Builds the cylinders of `t`. Never throws: degenerate templates give count 0. */
export function buildCylinders(t: PreparedTemplate): Cylinders {
  const n = t.count;
  const hull = convexHull(t.x, t.y, n);
  const kept: number[] = [];
  const bitsAll: Uint32Array[] = [];
  const maskAll: Uint32Array[] = [];
  const neighbourReach2 = (MCC_RADIUS + 3 * MCC_SIGMA_S) ** 2;
  const sum = new Float64Array(MCC_ND);
  const near: number[] = [];
  for (let m = 0; m < n; m++) {
    // only minutiae within R + 3σS can reach a cell of this cylinder
    near.length = 0;
    for (let q = 0; q < n; q++) {
      if (q === m) continue;
      const dx = t.x[q] - t.x[m];
      const dy = t.y[q] - t.y[m];
      if (dx * dx + dy * dy <= neighbourReach2) near.push(q);
    }
    if (near.length < MCC_MIN_NEIGHBOURS) continue;
    const cos = t.cosAngle[m];
    const sin = t.sinAngle[m];
    const bits = new Uint32Array(WORDS);
    const mask = new Uint32Array(WORDS);
    let valid = 0;
    for (const { a, b, cell } of DISC) {
      const px = t.x[m] + a * cos - b * sin;
      const py = t.y[m] + a * sin + b * cos;
      if (!withinHull(hull, px, py, MCC_HULL_OFFSET)) continue;
      valid += MCC_ND;
      sum.fill(0);
      for (const q of near) {
        const dx = t.x[q] - px;
        const dy = t.y[q] - py;
        const d2 = dx * dx + dy * dy;
        if (d2 > REACH2) continue;
        const spatial = GAUSS_NORM * Math.exp(-d2 / (2 * MCC_SIGMA_S * MCC_SIGMA_S));
        const dTheta = wrap(t.angle[m] - t.angle[q]);
        for (let k = 0; k < MCC_ND; k++) {
          sum[k] += spatial * directionalQ(wrap(-Math.PI + (k + 0.5) * DELTA_D - dTheta));
        }
      }
      for (let k = 0; k < MCC_ND; k++) {
        const bit = cell * MCC_ND + k;
        mask[bit >>> 5] |= 1 << (bit & 31);
        if (sum[k] > MCC_MU_PSI) bits[bit >>> 5] |= 1 << (bit & 31);
      }
    }
    if (valid < MCC_MIN_VALID_CELLS * DISC_BITS) continue;
    kept.push(m);
    bitsAll.push(bits);
    maskAll.push(mask);
  }
  const bits = new Uint32Array(kept.length * WORDS);
  const mask = new Uint32Array(kept.length * WORDS);
  kept.forEach((_, c) => {
    bits.set(bitsAll[c], c * WORDS);
    mask.set(maskAll[c], c * WORDS);
  });
  return {
    count: kept.length,
    minutia: Int32Array.from(kept),
    bits,
    mask,
    cos: Float64Array.from(kept, (m) => t.cosAngle[m]),
    sin: Float64Array.from(kept, (m) => t.sinAngle[m]),
  };
}

/** An angle difference brought into [-π, π) (branches, not %: the consolidation loop calls it often). */
export function wrap(a: number): number {
  if (a >= -Math.PI && a < Math.PI) return a;
  const r = (((a + Math.PI) % TWO_PI) + TWO_PI) % TWO_PI;
  return r - Math.PI;
}

/** directional() sampled at 1024 angles over [-π, π): building pays table look-ups, not erf. */
const DIRECTIONAL_STEPS = 1024;
const DIRECTIONAL = new Float64Array(DIRECTIONAL_STEPS + 1).map((_, q) =>
  directional(-Math.PI + (q * TWO_PI) / DIRECTIONAL_STEPS),
);
function directionalQ(d: number): number {
  return DIRECTIONAL[Math.round(((d + Math.PI) * DIRECTIONAL_STEPS) / TWO_PI)];
}

/** Share of a normal(0, σD) direction error that falls in a direction bin centred `d` away. */
function directional(d: number): number {
  const s = Math.SQRT2 * MCC_SIGMA_D;
  return 0.5 * (erf((d + DELTA_D / 2) / s) - erf((d - DELTA_D / 2) / s));
}

/** Abramowitz & Stegun 7.1.26 (error below 1.5e-7): far finer than one cell bit needs. */
function erf(x: number): number {
  const sign = x < 0 ? -1 : 1;
  const a = Math.abs(x);
  const k = 1 / (1 + 0.3275911 * a);
  const poly =
    k * (0.254829592 + k * (-0.284496736 + k * (1.421413741 + k * (-1.453152027 + k * 1.061405429))));
  return sign * (1 - poly * Math.exp(-a * a));
}
