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
} from '../../../../../src/biometrics/match/params.ts';
import type { PreparedTemplate } from '../../../../../src/biometrics/match/prepare.ts';
import type { Cylinders } from './cylinders.ts';
import { wrap } from './cylinders.ts';

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
  private pairA = new Int32Array(0);
  private pairB = new Int32Array(0);
  private lambda = new Float64Array(0);
  private next = new Float64Array(0);
  private initial = new Float64Array(0);
  private rho = new Float64Array(0);
  private usedA = new Uint8Array(0);
  private usedB = new Uint8Array(0);

  score(p: PreparedTemplate, pc: Cylinders, c: PreparedTemplate, cc: Cylinders, lsm: Float64Array): number {
    const nA = pc.count;
    const nB = cc.count;
    if (nA === 0 || nB === 0) return 0;
    const nP = pairsToAverage(nA, nB);
    const nR = this.selectPairs(lsm, nA, nB);
    if (nR === 0) return 0;
    this.compatibilities(p, pc, c, cc, nR);
    const { lambda, next, rho, initial } = this;
    for (let t = 0; t < nR; t++) lambda[t] = initial[t];
    for (let round = 0; round < MCC_RELAX_ROUNDS; round++) {
      for (let t = 0; t < nR; t++) {
        let s = 0;
        for (let k = 0; k < nR; k++) if (k !== t) s += rho[t * nR + k] * lambda[k];
        next[t] = MCC_RELAX_WEIGHT * lambda[t] + ((1 - MCC_RELAX_WEIGHT) * s) / Math.max(1, nR - 1);
      }
      for (let t = 0; t < nR; t++) lambda[t] = next[t];
    }
    // the nP pairs that kept most of their similarity (efficiency λ/λ0), by a sort of packed keys
    const keys = this.keys;
    for (let t = 0; t < nR; t++) keys[t] = Math.floor((lambda[t] / initial[t]) * 2 ** 24) * 4096 + t;
    const sorted = keys.subarray(0, nR).sort();
    let sum = 0;
    const take = Math.min(nP, nR);
    for (let q = 0; q < take; q++) sum += lambda[sorted[nR - 1 - q] % 4096];
    // fewer pairs than nP count as zeros: a template pair with few matchable cylinders cannot score high
    return sum / nP;
  }

  /** The one-to-one pairs in order of local similarity, at most min(nA, nB); returns how many. */
  private selectPairs(lsm: Float64Array, nA: number, nB: number): number {
    const size = nA * nB;
    this.grow(size, Math.max(nA, nB));
    const keys = this.keys;
    let m = 0;
    for (let q = 0; q < size; q++) {
      const v = lsm[q];
      if (v > 0) keys[m++] = Math.floor(v * 2 ** 20) * 65536 + q;
    }
    const sorted = keys.subarray(0, m).sort();
    const { usedA, usedB, pairA, pairB, initial } = this;
    usedA.fill(0, 0, nA);
    usedB.fill(0, 0, nB);
    const nR = Math.min(nA, nB);
    let r = 0;
    for (let k = m - 1; k >= 0 && r < nR; k--) {
      const q = sorted[k] % 65536;
      const a = Math.floor(q / nB);
      const b = q - a * nB;
      if (usedA[a] || usedB[b]) continue;
      usedA[a] = 1;
      usedB[b] = 1;
      pairA[r] = a;
      pairB[r] = b;
      initial[r] = lsm[q];
      r++;
    }
    return r;
  }

  /** ρ for every two selected pairs (symmetric). */
  private compatibilities(
    p: PreparedTemplate,
    pc: Cylinders,
    c: PreparedTemplate,
    cc: Cylinders,
    nR: number,
  ): void {
    const { pairA, pairB, rho } = this;
    for (let t = 0; t < nR; t++) {
      rho[t * nR + t] = 0;
      const at = pc.minutia[pairA[t]];
      const bt = cc.minutia[pairB[t]];
      for (let k = t + 1; k < nR; k++) {
        const ak = pc.minutia[pairA[k]];
        const bk = cc.minutia[pairB[k]];
        const dxA = p.x[ak] - p.x[at];
        const dyA = p.y[ak] - p.y[at];
        const dxB = c.x[bk] - c.x[bt];
        const dyB = c.y[bk] - c.y[bt];
        const d1 = Math.abs(Math.sqrt(dxA * dxA + dyA * dyA) - Math.sqrt(dxB * dxB + dyB * dyB));
        const d2 = Math.abs(wrap(wrap(p.angle[at] - p.angle[ak]) - wrap(c.angle[bt] - c.angle[bk])));
        const d3 = Math.abs(
          wrap(wrap(p.angle[at] - Math.atan2(dyA, dxA)) - wrap(c.angle[bt] - Math.atan2(dyB, dxB))),
        );
        const v = lookup(RHO_DISTANCE, d1) * lookup(RHO_ANGLE, d2) * lookup(RHO_ANGLE, d3);
        rho[t * nR + k] = v;
        rho[k * nR + t] = v;
      }
    }
  }

  private grow(size: number, n: number): void {
    if (this.keys.length < size) this.keys = new Float64Array(size);
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
