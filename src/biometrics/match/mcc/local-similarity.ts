import { MCC_MAX_ROTATION, MCC_MIN_MATCHABLE } from '../params.ts';
import { type Cylinders, DISC_BITS, popcount, WORDS } from './cylinders.ts';

const MIN_MATCHABLE_BITS = MCC_MIN_MATCHABLE * DISC_BITS;
export const COS_MAX_ROTATION = Math.cos(MCC_MAX_ROTATION);

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

/** the candidate's cylinder directions turned into the probe's frame (scratch, grown as needed) */
let turnedCos = new Float64Array(0);
let turnedSin = new Float64Array(0);

/**
 * The local similarity matrix of two templates' cylinders, row-major (probe cylinder × candidate
 * cylinder), written into `out` (a new array when `out` is too small) and returned. (cosR, sinR) is
 * the rotation that brings the candidate into the probe's frame, as far as it is known: the paper
 * assumes impressions turned by less than δθ, the Hough stage knows the actual turn.
 *
 * Every entry is cylinderSimilarity's, to the last bit (mcc-exact.test.ts), computed faster: the
 * candidate's directions are turned once, not once per pair; and in a word where both cylinders have
 * the same valid cells (most words: cells inside both prints), the bits are already zero wherever the
 * masks are, so only |a ⊕ b| needs a popcount and the other three counts are the cylinders' own,
 * counted when they were built; when both discs are wholly valid (about a third of the pairs) that
 * holds for every word, and the pair is one loop of popcounts of a ⊕ b. cylinderSimilarity above is
 * the plain definition, one pair at a time.
 */
export function localSimilarities(
  pc: Cylinders,
  cc: Cylinders,
  out: Float64Array,
  cosR = 1,
  sinR = 0,
  cosMaxTurn = COS_MAX_ROTATION,
): Float64Array {
  const nA = pc.count;
  const nB = cc.count;
  const size = nA * nB;
  const lsm = out.length >= size ? out : new Float64Array(Math.max(size, 2 * out.length));
  if (turnedCos.length < nB) {
    turnedCos = new Float64Array(2 * nB);
    turnedSin = new Float64Array(2 * nB);
  }
  const tc = turnedCos;
  const ts = turnedSin;
  for (let j = 0; j < nB; j++) {
    tc[j] = cc.cos[j] * cosR - cc.sin[j] * sinR;
    ts[j] = cc.sin[j] * cosR + cc.cos[j] * sinR;
  }
  const { mask: ma, bits: ba, bitsCount: ca, maskCount: mca } = pc;
  const { mask: mb, bits: bb, bitsCount: cb, full: fullB, bitsTotal: totalB } = cc;
  for (let i = 0; i < nA; i++) {
    const ai = pc.cos[i];
    const as = pc.sin[i];
    const oa = i * WORDS;
    const row = i * nB;
    const fullA = pc.full[i];
    const totalA = pc.bitsTotal[i];
    for (let j = 0; j < nB; j++) {
      if (ai * tc[j] + as * ts[j] < cosMaxTurn) {
        lsm[row + j] = 0;
        continue;
      }
      const ob = j * WORDS;
      if (fullA & fullB[j]) {
        // both discs wholly valid: every cell is in both, the counts are the cylinders' own
        let nx = 0;
        for (let w = 0; w < WORDS; w++) nx += popcount(ba[oa + w] ^ bb[ob + w]);
        const norms = Math.sqrt(totalA) + Math.sqrt(totalB[j]);
        lsm[row + j] = norms > 0 ? 1 - Math.sqrt(nx) / norms : 0;
        continue;
      }
      let both = 0;
      let na = 0;
      let nb = 0;
      let nx = 0;
      for (let w = 0; w < WORDS; w++) {
        const va = ma[oa + w];
        const vb = mb[ob + w];
        if (va === vb) {
          both += mca[oa + w];
          na += ca[oa + w];
          nb += cb[ob + w];
          nx += popcount(ba[oa + w] ^ bb[ob + w]);
        } else {
          const x = ba[oa + w] & vb;
          const y = bb[ob + w] & va;
          both += popcount(va & vb);
          na += popcount(x);
          nb += popcount(y);
          nx += popcount(x ^ y);
        }
      }
      if (both < MIN_MATCHABLE_BITS) {
        lsm[row + j] = 0;
        continue;
      }
      const norms = Math.sqrt(na) + Math.sqrt(nb);
      lsm[row + j] = norms > 0 ? 1 - Math.sqrt(nx) / norms : 0;
    }
  }
  return lsm;
}
