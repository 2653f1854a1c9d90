import { MCC_MAX_ROTATION, MCC_MIN_MATCHABLE } from '../params.ts';
import type { PreparedTemplate } from '../prepare.ts';
import { type Cylinders, DISC_BITS, WORDS, wrap } from './cylinders.ts';

const MIN_MATCHABLE_BITS = MCC_MIN_MATCHABLE * DISC_BITS;

/** Set bits of a 32-bit word (SWAR: no popcount instruction in JavaScript). */
function popcount(v: number): number {
  v -= (v >>> 1) & 0x55555555;
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
}

/**
 * Similarity of two bit cylinders (Cappelli et al. 2010, eq. 21): over the cells valid in BOTH,
 * 1 − √|a ⊕ b| / (√|a| + √|b|); 0 when their minutiae point more than δθ apart or too few cells are
 * valid in both (a comparison of two mostly-empty discs proves nothing).
 */
export function cylinderSimilarity(
  a: Cylinders,
  ia: number,
  angleA: number,
  b: Cylinders,
  ib: number,
  angleB: number,
): number {
  if (Math.abs(wrap(angleA - angleB)) > MCC_MAX_ROTATION) return 0;
  const oa = ia * WORDS;
  const ob = ib * WORDS;
  let both = 0;
  let na = 0;
  let nb = 0;
  let nx = 0;
  for (let w = 0; w < WORDS; w++) {
    const va = a.mask[oa + w];
    const vb = b.mask[ob + w];
    const x = a.bits[oa + w] & vb;
    const y = b.bits[ob + w] & va;
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
 * cylinder), written into `out` (grown when too small) and returned.
 */
export function localSimilarities(
  p: PreparedTemplate,
  pc: Cylinders,
  c: PreparedTemplate,
  cc: Cylinders,
  out: Float64Array,
): Float64Array {
  const size = pc.count * cc.count;
  const lsm = out.length >= size ? out : new Float64Array(size);
  for (let i = 0; i < pc.count; i++) {
    const angleA = p.angle[pc.minutia[i]];
    for (let j = 0; j < cc.count; j++) {
      lsm[i * cc.count + j] = cylinderSimilarity(pc, i, angleA, cc, j, c.angle[cc.minutia[j]]);
    }
  }
  return lsm;
}
