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
} from '../params.ts';
import type { PreparedTemplate } from '../prepare.ts';
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
/** DISC index of grid cell i * MCC_NS + j, -1 outside the disc */
const DISC_INDEX = new Int32Array(MCC_NS * MCC_NS).fill(-1);
DISC.forEach(({ cell }, d) => {
  DISC_INDEX[cell] = d;
});
/** how far (px) a cell centre may be from a neighbour and still be reached: 3σS and a margin for rounding */
const CELL_REACH = 3 * MCC_SIGMA_S + 1;
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
  /** count × WORDS: set bits of each word of `bits` and of `mask`, so that words whose masks are
   * equal in both cylinders (most) cost one popcount in the local similarity instead of four */
  readonly bitsCount: Uint8Array;
  readonly maskCount: Uint8Array;
  /** per cylinder: 1 when every cell of its disc is valid (about half of them), and its set bits */
  readonly full: Uint8Array;
  readonly bitsTotal: Int32Array;
  /** unit direction of each cylinder's minutia, so the δθ test is one dot product */
  readonly cos: Float64Array;
  readonly sin: Float64Array;
}

/**
 * Builds the cylinders of `t`. Never throws: degenerate templates give count 0.
 *
 * Speed without changing a bit (issue 12 item 4; mcc-exact.test.ts holds this to the plain
 * formulation, test/unit/biometrics/match/mcc-reference/): a neighbour's directional contributions
 * depend only on its direction relative to the cylinder's minutia, not on the cell, so its ND values
 * are looked up once per cylinder rather than once per cell; each neighbour visits only the cells
 * near it; neighbours are found through a grid of buckets rather than by testing all n; a minutia
 * with too few valid cells is dropped before any sum. Neighbours are still taken in ascending index,
 * so every cell's sums add in the same order and every bit comes out the same.
 */
export function buildCylinders(t: PreparedTemplate): Cylinders {
  const n = t.count;
  const hull = convexHull(t.x, t.y, n);
  const { x, y, angle } = t;
  const neighbourReach2 = (MCC_RADIUS + 3 * MCC_SIGMA_S) ** 2;
  const grid = NeighbourGrid.of(x, y, n, MCC_RADIUS + 3 * MCC_SIGMA_S);
  const cellX = new Float64Array(DISC.length);
  const cellY = new Float64Array(DISC.length);
  const cellValid = new Uint8Array(DISC.length);
  /** DISC.length × ND: the density of each cell in each direction bin */
  const sums = new Float64Array(DISC.length * MCC_ND);
  const near = new Int32Array(n);
  /** near.length × ND: the directional term of each near minutia in each direction bin */
  const contribution = new Float64Array(n * MCC_ND);
  const bitsAll = new Uint32Array(n * WORDS);
  const maskAll = new Uint32Array(n * WORDS);
  const kept: number[] = [];
  for (let m = 0; m < n; m++) {
    // only minutiae within R + 3σS can reach a cell of this cylinder
    const count = grid.within(x, y, m, neighbourReach2, near);
    if (count < MCC_MIN_NEIGHBOURS) continue;
    for (let r = 0; r < count; r++) {
      const dTheta = wrap(angle[m] - angle[near[r]]);
      for (let k = 0; k < MCC_ND; k++) {
        contribution[r * MCC_ND + k] = directionalQ(wrap(-Math.PI + (k + 0.5) * DELTA_D - dTheta));
      }
    }
    const cos = t.cosAngle[m];
    const sin = t.sinAngle[m];
    // cell centres, and which lie where the finger was; too few: no cylinder, and no sums to add
    let valid = 0;
    for (let d = 0; d < DISC.length; d++) {
      const { a, b } = DISC[d];
      cellX[d] = x[m] + a * cos - b * sin;
      cellY[d] = y[m] + a * sin + b * cos;
      cellValid[d] = withinHull(hull, cellX[d], cellY[d], MCC_HULL_OFFSET) ? 1 : 0;
      valid += cellValid[d] * MCC_ND;
    }
    if (valid < MCC_MIN_VALID_CELLS * DISC_BITS) continue;
    for (let r = 0; r < count; r++) {
      const dTheta = wrap(angle[m] - angle[near[r]]);
      for (let k = 0; k < MCC_ND; k++) {
        contribution[r * MCC_ND + k] = directionalQ(wrap(-Math.PI + (k + 0.5) * DELTA_D - dTheta));
      }
    }
    // Each neighbour adds to the cells within 3σS of it, in ascending neighbour order as a scan of
    // every cell over every neighbour would (so each cell's sum is the same to the last bit): its
    // position in the cylinder's frame names the few grid cells worth the exact distance test.
    sums.fill(0);
    for (let r = 0; r < count; r++) {
      const q = near[r];
      const u = (x[q] - x[m]) * cos + (y[q] - y[m]) * sin;
      const v = (y[q] - y[m]) * cos - (x[q] - x[m]) * sin;
      const iFrom = Math.max(0, Math.ceil((u - CELL_REACH) / DELTA_S + (MCC_NS - 1) / 2));
      const iTo = Math.min(MCC_NS - 1, Math.floor((u + CELL_REACH) / DELTA_S + (MCC_NS - 1) / 2));
      const jFrom = Math.max(0, Math.ceil((v - CELL_REACH) / DELTA_S + (MCC_NS - 1) / 2));
      const jTo = Math.min(MCC_NS - 1, Math.floor((v + CELL_REACH) / DELTA_S + (MCC_NS - 1) / 2));
      for (let i = iFrom; i <= iTo; i++) {
        for (let j = jFrom; j <= jTo; j++) {
          const d = DISC_INDEX[i * MCC_NS + j];
          if (d < 0 || cellValid[d] === 0) continue;
          const dx = x[q] - cellX[d];
          const dy = y[q] - cellY[d];
          const d2 = dx * dx + dy * dy;
          if (d2 > REACH2) continue;
          const spatial = GAUSS_NORM * Math.exp(-d2 / (2 * MCC_SIGMA_S * MCC_SIGMA_S));
          for (let k = 0; k < MCC_ND; k++) sums[d * MCC_ND + k] += spatial * contribution[r * MCC_ND + k];
        }
      }
    }
    const offset = kept.length * WORDS;
    for (let d = 0; d < DISC.length; d++) {
      if (cellValid[d] === 0) continue;
      for (let k = 0; k < MCC_ND; k++) {
        const bit = DISC[d].cell * MCC_ND + k;
        maskAll[offset + (bit >>> 5)] |= 1 << (bit & 31);
        if (sums[d * MCC_ND + k] > MCC_MU_PSI) bitsAll[offset + (bit >>> 5)] |= 1 << (bit & 31);
      }
    }
    kept.push(m);
  }
  const bits = bitsAll.slice(0, kept.length * WORDS);
  const mask = maskAll.slice(0, kept.length * WORDS);
  const bitsCount = Uint8Array.from(bits, popcount);
  const maskCount = Uint8Array.from(mask, popcount);
  return {
    count: kept.length,
    minutia: Int32Array.from(kept),
    bits,
    mask,
    bitsCount,
    maskCount,
    full: Uint8Array.from(kept, (_, c) => (sumOf(maskCount, c) === DISC_BITS ? 1 : 0)),
    bitsTotal: Int32Array.from(kept, (_, c) => sumOf(bitsCount, c)),
    cos: Float64Array.from(kept, (m) => t.cosAngle[m]),
    sin: Float64Array.from(kept, (m) => t.sinAngle[m]),
  };
}

/**
 * Minutiae bucketed on a square grid of side `reach`, so that those within `reach` of one are found in
 * its 3 × 3 buckets. Points that are not finite (broken input) go to one overflow bucket that every
 * query also scans, so the answer is always what a scan of all n would give.
 */
class NeighbourGrid {
  private constructor(
    private readonly cols: number,
    private readonly rows: number,
    /** bucket b holds order[start[b] .. start[b + 1]); the last bucket is the overflow */
    private readonly start: Int32Array,
    private readonly order: Int32Array,
    private readonly cellOf: Int32Array,
  ) {}

  static of(x: Float64Array, y: Float64Array, n: number, reach: number): NeighbourGrid {
    let minX = Number.POSITIVE_INFINITY;
    let minY = Number.POSITIVE_INFINITY;
    let maxX = Number.NEGATIVE_INFINITY;
    let maxY = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < n; i++) {
      if (!Number.isFinite(x[i]) || !Number.isFinite(y[i])) continue;
      minX = Math.min(minX, x[i]);
      minY = Math.min(minY, y[i]);
      maxX = Math.max(maxX, x[i]);
      maxY = Math.max(maxY, y[i]);
    }
    // at most 64 × 64 buckets: coordinates far apart (odd input) get wider buckets, never a huge
    // grid; a side a hair wider than the reach keeps a neighbour within reach in the next bucket
    // whatever the rounding of the division
    const any = minX <= maxX;
    const side = Math.max(reach, any ? Math.max(maxX - minX, maxY - minY) / 64 : 0) * (1 + 1e-9);
    const cols = any ? Math.floor((maxX - minX) / side) + 1 : 1;
    const rows = any ? Math.floor((maxY - minY) / side) + 1 : 1;
    const overflow = cols * rows;
    const cellOf = new Int32Array(n);
    const start = new Int32Array(overflow + 2);
    for (let i = 0; i < n; i++) {
      const fine = Number.isFinite(x[i]) && Number.isFinite(y[i]);
      cellOf[i] = fine
        ? Math.floor((y[i] - minY) / side) * cols + Math.floor((x[i] - minX) / side)
        : overflow;
      start[cellOf[i] + 1]++;
    }
    for (let b = 0; b <= overflow; b++) start[b + 1] += start[b];
    const fill = start.slice(0, overflow + 1);
    const order = new Int32Array(n);
    for (let i = 0; i < n; i++) order[fill[cellOf[i]]++] = i; // ascending within each bucket
    return new NeighbourGrid(cols, rows, start, order, cellOf);
  }

  /**
   * Writes into `out`, in ascending order, every q ≠ m with (x, y)[q] within √reach2 of (x, y)[m]
   * (the same test as a scan of all n, so the same set); returns how many.
   */
  within(x: Float64Array, y: Float64Array, m: number, reach2: number, out: Int32Array): number {
    let count = 0;
    const overflow = this.cols * this.rows;
    const own = this.cellOf[m];
    // a broken minutia (own = overflow) scans every bucket: its distances are NaN, never within reach
    const col = own % this.cols;
    const row = (own - col) / this.cols;
    const rowFrom = own === overflow ? 0 : Math.max(0, row - 1);
    const rowTo = own === overflow ? this.rows - 1 : Math.min(this.rows - 1, row + 1);
    const colFrom = own === overflow ? 0 : Math.max(0, col - 1);
    const colTo = own === overflow ? this.cols - 1 : Math.min(this.cols - 1, col + 1);
    for (let r = rowFrom; r <= rowTo + 1; r++) {
      // the row past the last stands for the overflow bucket, which every query scans
      const from = r <= rowTo ? colFrom : 0;
      const to = r <= rowTo ? colTo : 0;
      for (let c = from; c <= to; c++) {
        const b = r <= rowTo ? r * this.cols + c : overflow;
        for (let s = this.start[b]; s < this.start[b + 1]; s++) {
          const q = this.order[s];
          if (q === m) continue;
          const dx = x[q] - x[m];
          const dy = y[q] - y[m];
          if (dx * dx + dy * dy <= reach2) out[count++] = q;
        }
      }
    }
    out.subarray(0, count).sort();
    return count;
  }
}

/** Sum of the WORDS per-word counts of cylinder c. */
function sumOf(counts: Uint8Array, c: number): number {
  let s = 0;
  for (let w = 0; w < WORDS; w++) s += counts[c * WORDS + w];
  return s;
}

/** Set bits of a 32-bit word (SWAR: no popcount instruction in JavaScript). */
export function popcount(v: number): number {
  v -= (v >>> 1) & 0x55555555;
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
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
