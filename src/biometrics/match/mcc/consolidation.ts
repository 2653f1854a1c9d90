import {
  MCC_MAX_PAIRS,
  MCC_MIN_PAIRS,
  MCC_PAIRS_MU,
  MCC_PAIRS_TAU,
  MCC_RELAX_ROUNDS,
  MCC_RELAX_WEIGHT,
  MCC_RHO_ANGLE_MU,
  MCC_RHO_ANGLE_TAU,
  MCC_RHO_DISTANCE_MU,
  MCC_RHO_DISTANCE_TAU,
} from '../params.ts';
import type { PreparedTemplate } from '../prepare.ts';
import type { Cylinders } from './cylinders.ts';
import { wrap } from './cylinders.ts';

// module constants, not imported bindings, in the hot loops (a bundler or loader may make imports getters)
const RELAX_ROUNDS = MCC_RELAX_ROUNDS;
const RELAX_WEIGHT = MCC_RELAX_WEIGHT;

/** The paper's sigmoid Z(v; μ, τ). */
function z(v: number, mu: number, tau: number): number {
  return 1 / (1 + Math.exp(-tau * (v - mu)));
}

/** Z(d; μ, τ) sampled for d in [0, max]; beyond max the last value (these sigmoids fall to ~0 there). */
function sigmoidTable(mu: number, tau: number, max: number): { table: Float64Array; scale: number } {
  const steps = 1024;
  return {
    table: new Float64Array(steps + 1).map((_, q) => z((q * max) / steps, mu, tau)),
    scale: steps / max,
  };
}
const RHO_DISTANCE = sigmoidTable(MCC_RHO_DISTANCE_MU, MCC_RHO_DISTANCE_TAU, 40);
const RHO_ANGLE = sigmoidTable(MCC_RHO_ANGLE_MU, MCC_RHO_ANGLE_TAU, Math.PI);
function lookup(t: { table: Float64Array; scale: number }, d: number): number {
  return t.table[Math.min(t.table.length - 1, Math.round(d * t.scale))];
}

/** buckets of selectPairs: similarity in steps of 1/1024, and 1 itself */
const BUCKETS = 257;
/** The bucket of a packed key (similarity · 2²⁰ · 65536 + index): its similarity's top 10 bits. */
function bucketOf(key: number): number {
  return Math.min(BUCKETS - 1, Math.floor(key / 2 ** 28));
}
/**
 * key % unit for a packed key (a non-negative integer below 2⁵³, unit a power of two), without `%`:
 * on a double beyond 2³¹ that is a call to fmod, and the greedy loops take it once per entry. The
 * division by a power of two, the floor and the product are exact, so the result is too.
 */
function lowBits(key: number, unit: number): number {
  return key - Math.floor(key / unit) * unit;
}
/** Ascending insertion sort of a[from..to), for the few keys of most buckets. */
function sortSmall(a: Float64Array, from: number, to: number): void {
  for (let i = from + 1; i < to; i++) {
    const v = a[i];
    let j = i - 1;
    while (j >= from && a[j] > v) {
      a[j + 1] = a[j];
      j--;
    }
    a[j + 1] = v;
  }
}

/** How many of the best pairs the global score averages: more for templates with more minutiae. */
export function pairsToAverage(nA: number, nB: number): number {
  return (
    MCC_MIN_PAIRS +
    Math.round(z(Math.min(nA, nB), MCC_PAIRS_MU, MCC_PAIRS_TAU) * (MCC_MAX_PAIRS - MCC_MIN_PAIRS))
  );
}

/**
 * Local Similarity Sort with Relaxation (LSS-R, Cappelli et al. 2010, section 6): the min(nA, nB) most
 * similar cylinder pairs, taken one-to-one in order of similarity, reinforce each other for a few rounds
 * in proportion to how well their minutiae agree in distance, direction and radial angle (ρ); pairs
 * that agree with the others keep their similarity, lone chance pairs lose it. The score is the mean
 * relaxed similarity of the nP pairs that kept most. Relaxation replaces a global alignment, so a
 * distorted print whose parts each agree locally still scores.
 *
 * Scratch space is owned by the instance: no allocation per call once it has grown to the largest
 * templates met.
 */
export class Consolidation {
  private keys = new Float64Array(0);
  private ordered = new Float64Array(0);
  private readonly bucketStart = new Int32Array(BUCKETS + 1);
  private readonly bucketFill = new Int32Array(BUCKETS + 1);
  private pairA = new Int32Array(0);
  private pairB = new Int32Array(0);
  private lambda = new Float64Array(0);
  private next = new Float64Array(0);
  private initial = new Float64Array(0);
  private rho = new Float64Array(0);
  private usedA = new Uint8Array(0);
  private usedB = new Uint8Array(0);

  /**
   * `probeGeometry`, when given, is the probe side's pair geometry kept across comparisons (the
   * probe's half of ρ's distances and angles is the same for every candidate).
   */
  score(
    p: PreparedTemplate,
    pc: Cylinders,
    c: PreparedTemplate,
    cc: Cylinders,
    lsm: Float64Array,
    probeGeometry: PairGeometry = new PairGeometry(p, pc),
  ): number {
    const nA = pc.count;
    const nB = cc.count;
    if (nA === 0 || nB === 0) return 0;
    const nP = pairsToAverage(nA, nB);
    const nR = this.selectPairs(lsm, nA, nB);
    if (nR === 0) return 0;
    this.compatibilities(probeGeometry, pc, c, cc, nR);
    const { lambda, next, rho, initial } = this;
    for (let t = 0; t < nR; t++) lambda[t] = initial[t];
    // ρ's diagonal is 0, so summing over every k adds exactly +0 for k = t (λ is finite, or λ[t]
    // is not and next[t] is NaN either way): the same sums, without a branch in the inner loop
    const divisor = Math.max(1, nR - 1);
    for (let round = 0; round < RELAX_ROUNDS; round++) {
      for (let t = 0; t < nR; t++) {
        let s = 0;
        const row = t * nR;
        for (let k = 0; k < nR; k++) s += rho[row + k] * lambda[k];
        next[t] = RELAX_WEIGHT * lambda[t] + ((1 - RELAX_WEIGHT) * s) / divisor;
      }
      for (let t = 0; t < nR; t++) lambda[t] = next[t];
    }
    // the nP pairs that kept most of their similarity (efficiency λ/λ0), by a sort of packed keys
    const keys = this.keys;
    for (let t = 0; t < nR; t++) keys[t] = Math.floor((lambda[t] / initial[t]) * 2 ** 24) * 4096 + t;
    const sorted = keys.subarray(0, nR).sort();
    let sum = 0;
    const take = Math.min(nP, nR);
    for (let q = 0; q < take; q++) sum += lambda[lowBits(sorted[nR - 1 - q], 4096)];
    // fewer pairs than nP count as zeros: a template pair with few matchable cylinders cannot score high
    return sum / nP;
  }

  /**
   * The one-to-one pairs in order of local similarity, at most min(nA, nB); returns how many.
   *
   * Greedy over the positive entries in descending order of their packed keys (similarity to 2⁻²⁰,
   * then index). Rather than sort all of them (up to nA·nB / 2 without a known turn), the keys are
   * dealt into 1025 buckets by their top bits (a counting sort, so a bucket's keys all exceed the
   * next lower bucket's) and only the buckets the greedy reaches before it has min(nA, nB) pairs are
   * sorted: the same order, hence the same pairs, for a fraction of the sorting.
   */
  private selectPairs(lsm: Float64Array, nA: number, nB: number): number {
    const size = nA * nB;
    this.grow(size, Math.max(nA, nB));
    const { keys, ordered, bucketStart } = this;
    let m = 0;
    for (let q = 0; q < size; q++) {
      const v = lsm[q];
      if (v > 0) keys[m++] = Math.floor(v * 2 ** 20) * 65536 + q;
    }
    bucketStart.fill(0);
    for (let k = 0; k < m; k++) bucketStart[bucketOf(keys[k]) + 1]++;
    for (let b = 0; b < BUCKETS; b++) bucketStart[b + 1] += bucketStart[b];
    const fill = this.bucketFill;
    fill.set(bucketStart);
    for (let k = 0; k < m; k++) ordered[fill[bucketOf(keys[k])]++] = keys[k];
    const { usedA, usedB, pairA, pairB, initial } = this;
    usedA.fill(0, 0, nA);
    usedB.fill(0, 0, nB);
    const nR = Math.min(nA, nB);
    let r = 0;
    for (let b = BUCKETS - 1; b >= 0 && r < nR; b--) {
      const from = bucketStart[b];
      const to = bucketStart[b + 1];
      if (to - from > 16) ordered.subarray(from, to).sort();
      else sortSmall(ordered, from, to);
      for (let k = to - 1; k >= from && r < nR; k--) {
        const q = lowBits(ordered[k], 65536);
        const a = Math.floor(q / nB);
        const bq = q - a * nB;
        if (usedA[a] || usedB[bq]) continue;
        usedA[a] = 1;
        usedB[bq] = 1;
        pairA[r] = a;
        pairB[r] = bq;
        initial[r] = lsm[q];
        r++;
      }
    }
    return r;
  }

  /** ρ for every two selected pairs (symmetric). */
  private compatibilities(
    g: PairGeometry,
    pc: Cylinders,
    c: PreparedTemplate,
    cc: Cylinders,
    nR: number,
  ): void {
    const { pairA, pairB, rho } = this;
    const cx = c.x;
    const cy = c.y;
    const cAngle = c.angle;
    for (let t = 0; t < nR; t++) {
      rho[t * nR + t] = 0;
      const bt = cc.minutia[pairB[t]];
      for (let k = t + 1; k < nR; k++) {
        const e = g.entry(pairA[t], pairA[k], pc);
        const bk = cc.minutia[pairB[k]];
        const dxB = cx[bk] - cx[bt];
        const dyB = cy[bk] - cy[bt];
        const d1 = Math.abs(g.distance[e] - Math.sqrt(dxB * dxB + dyB * dyB));
        const d2 = Math.abs(wrap(g.turn[e] - wrap(cAngle[bt] - cAngle[bk])));
        const d3 = Math.abs(wrap(g.radial[e] - wrap(cAngle[bt] - Math.atan2(dyB, dxB))));
        const v = lookup(RHO_DISTANCE, d1) * lookup(RHO_ANGLE, d2) * lookup(RHO_ANGLE, d3);
        rho[t * nR + k] = v;
        rho[k * nR + t] = v;
      }
    }
  }

  private grow(size: number, n: number): void {
    if (this.keys.length < size) {
      this.keys = new Float64Array(size);
      this.ordered = new Float64Array(size);
    }
    if (this.pairA.length < n) {
      this.pairA = new Int32Array(n);
      this.pairB = new Int32Array(n);
      this.lambda = new Float64Array(n);
      this.next = new Float64Array(n);
      this.initial = new Float64Array(n);
      this.usedA = new Uint8Array(n);
      this.usedB = new Uint8Array(n);
      this.rho = new Float64Array(n * n);
    }
  }
}

/**
 * One template's half of ρ for an ordered pair of its cylinders (i, j): the distance between their
 * minutiae, the turn from j's direction to i's, and i's direction relative to the line from i to j,
 * each the very expression ρ used to compute inline. Filled on first use of each pair, so a probe met
 * by many candidates (1:N) computes each once, and a probe met by two (verify) pays nothing extra.
 */
export class PairGeometry {
  readonly distance: Float64Array;
  readonly turn: Float64Array;
  readonly radial: Float64Array;
  private readonly known: Uint8Array;
  private readonly n: number;

  constructor(
    private readonly t: PreparedTemplate,
    cylinders: Cylinders,
  ) {
    this.n = cylinders.count;
    const size = this.n * this.n;
    this.distance = new Float64Array(size);
    this.turn = new Float64Array(size);
    this.radial = new Float64Array(size);
    this.known = new Uint8Array(size);
  }

  /** The index of (i, j) in the arrays, filling it first if needed; `cylinders` are the template's. */
  entry(i: number, j: number, cylinders: Cylinders): number {
    const e = i * this.n + j;
    if (this.known[e] === 0) {
      const { x, y, angle } = this.t;
      const a = cylinders.minutia[i];
      const b = cylinders.minutia[j];
      const dx = x[b] - x[a];
      const dy = y[b] - y[a];
      this.distance[e] = Math.sqrt(dx * dx + dy * dy);
      this.turn[e] = wrap(angle[a] - angle[b]);
      this.radial[e] = wrap(angle[a] - Math.atan2(dy, dx));
      this.known[e] = 1;
    }
    return e;
  }
}
