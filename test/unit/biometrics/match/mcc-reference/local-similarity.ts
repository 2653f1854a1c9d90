import { MCC_MAX_ROTATION, MCC_MIN_MATCHABLE } from '../../../../../src/biometrics/match/params.ts';
import { type Cylinders, DISC_BITS, WORDS } from './cylinders.ts';

const MIN_MATCHABLE_BITS = MCC_MIN_MATCHABLE * DISC_BITS;
export const COS_MAX_ROTATION = Math.cos(MCC_MAX_ROTATION);

/** Set bits of a 32-bit word (SWAR: no popcount instruction in JavaScript). */
function popcount(v: number): number {
  v -= (v >>> 1) & 0x55555555;
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
}

/**
 * Similarity of cylinder ia of `a` and ib of `b` (Cappelli et al. 2010, eq. 21, bit-based): over the
 * cells valid in BOTH, 1 − √|a ⊕ b| / (√|a| + √|b|); 0 when their minutiae point more than δθ apart
 * once b is turned by the rotation (cosR, sinR), or too few cells are valid in both (a comparison of
 * two mostly-empty discs proves nothing).
 */
export function cylinderSimilarity(
  a: Cylinders,
  ia: number,
  b: Cylinders,
  ib: number,
  cosR = 1,
  sinR = 0,
  cosMaxTurn = COS_MAX_ROTATION,
): number {
  const cb = b.cos[ib] * cosR - b.sin[ib] * sinR;
  const sb = b.sin[ib] * cosR + b.cos[ib] * sinR;
  if (a.cos[ia] * cb + a.sin[ia] * sb < cosMaxTurn) return 0;
  const ma = a.mask;
  const mb = b.mask;
  const ba = a.bits;
  const bb = b.bits;
  const oa = ia * WORDS;
  const ob = ib * WORDS;
  let both = 0;
  let na = 0;
  let nb = 0;
  let nx = 0;
  for (let w = 0; w < WORDS; w++) {
    const va = ma[oa + w];
    const vb = mb[ob + w];
    const x = ba[oa + w] & vb;
    const y = bb[ob + w] & va;
    both += popcount(va & vb);
    na += popcount(x);
    nb += popcount(y);
    nx += popcount(x ^ y);
  }
  if (both < MIN_MATCHABLE_BITS) return 0;
  const norms = Math.sqrt(na) + Math.sqrt(nb);
  return norms > 0 ? 1 - Math.sqrt(nx) / norms : 0;
}

/**
 * The local similarity matrix of two templates' cylinders, row-major (probe cylinder × candidate
 * cylinder), written into `out` (a new array when `out` is too small) and returned. (cosR, sinR) is
 * the rotation that brings the candidate into the probe's frame, as far as it is known: the paper
 * assumes impressions turned by less than δθ, the Hough stage knows the actual turn.
 */
export function localSimilarities(
  pc: Cylinders,
  cc: Cylinders,
  out: Float64Array,
  cosR = 1,
  sinR = 0,
  cosMaxTurn = COS_MAX_ROTATION,
): Float64Array {
  const size = pc.count * cc.count;
  const lsm = out.length >= size ? out : new Float64Array(Math.max(size, 2 * out.length));
  for (let i = 0; i < pc.count; i++) {
    for (let j = 0; j < cc.count; j++)
      lsm[i * cc.count + j] = cylinderSimilarity(pc, i, cc, j, cosR, sinR, cosMaxTurn);
  }
  return lsm;
}
