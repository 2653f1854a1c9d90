/**
 * Error rates from score lists, as FVC reports them. A comparison is accepted when score >= threshold.
 * FMR(t) = impostor scores >= t / impostors; FNMR(t) = genuine scores < t / genuines.
 */

/** Ascending copy. */
function sorted(xs: ArrayLike<number>): Float64Array {
  return Float64Array.from(xs).sort();
}

/** Number of values in ascending `s` that are < t. */
function countBelow(s: Float64Array, t: number): number {
  let lo = 0;
  let hi = s.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (s[mid] < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export interface RatePoint {
  threshold: number;
  fmr: number;
  fnmr: number;
}

/** FMR and FNMR at every distinct score (plus one threshold above all scores). */
export function rateCurve(genuine: ArrayLike<number>, impostor: ArrayLike<number>): RatePoint[] {
  const g = sorted(genuine);
  const im = sorted(impostor);
  const all = sorted([...g, ...im]);
  const out: RatePoint[] = [];
  let prev = Number.NaN;
  for (const t of all) {
    if (t === prev) continue;
    prev = t;
    out.push({
      threshold: t,
      fmr: (im.length - countBelow(im, t)) / im.length,
      fnmr: countBelow(g, t) / g.length,
    });
  }
  out.push({ threshold: Number.POSITIVE_INFINITY, fmr: 0, fnmr: 1 });
  return out;
}

/**
 * Equal error rate, interpolated linearly between the two thresholds where FNMR - FMR changes sign
 * (FVC's EER lies between EERlow and EERhigh; the interpolation picks the crossing point).
 */
export function equalErrorRate(genuine: ArrayLike<number>, impostor: ArrayLike<number>): number {
  if (genuine.length === 0 || impostor.length === 0) return Number.NaN;
  const curve = rateCurve(genuine, impostor);
  // At the lowest threshold FNMR = 0 and FMR = 1: the difference starts <= 0 and ends at +1.
  for (let i = 1; i < curve.length; i++) {
    const a = curve[i - 1];
    const b = curve[i];
    const da = a.fnmr - a.fmr;
    const db = b.fnmr - b.fmr;
    if (db >= 0) {
      if (da >= 0) return (a.fnmr + a.fmr) / 2;
      const w = da / (da - db);
      return a.fmr + w * (b.fmr - a.fmr);
    }
  }
  return 0.5;
}

/**
 * The lowest threshold whose FMR is at most `fmr`: with impostor scores sorted descending, at most
 * floor(fmr * N) of them may be accepted, so the threshold sits just above the next one.
 */
export function thresholdAtFmr(impostor: ArrayLike<number>, fmr: number): number {
  const d = sorted(impostor).reverse();
  const allowed = Math.floor(fmr * d.length + 1e-9);
  if (allowed >= d.length) return Number.NEGATIVE_INFINITY;
  const limit = d[allowed];
  // accept strictly above `limit`: the smallest double greater than it
  return nextUp(limit);
}

/** FNMR at the threshold where FMR first drops to `fmr` or below. */
export function fnmrAtFmr(genuine: ArrayLike<number>, impostor: ArrayLike<number>, fmr: number): number {
  if (genuine.length === 0 || impostor.length === 0) return Number.NaN;
  const t = thresholdAtFmr(impostor, fmr);
  return countBelow(sorted(genuine), t) / genuine.length;
}

export function nextUp(x: number): number {
  if (Number.isNaN(x) || x === Number.POSITIVE_INFINITY) return x;
  if (x === 0) return Number.MIN_VALUE;
  const buf = new DataView(new ArrayBuffer(8));
  buf.setFloat64(0, x);
  const bits = buf.getBigInt64(0);
  buf.setBigInt64(0, x > 0 ? bits + 1n : bits - 1n);
  return buf.getFloat64(0);
}

/** Median (mean of the two middle values for even counts); NaN for an empty list. */
export function median(xs: ArrayLike<number>): number {
  return percentile(xs, 50);
}

/** Percentile by linear interpolation between closest ranks, p in [0, 100]. */
export function percentile(xs: ArrayLike<number>, p: number): number {
  if (xs.length === 0) return Number.NaN;
  const s = sorted(xs);
  const pos = (p / 100) * (s.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo] + (s[hi] - s[lo]) * (pos - lo);
}
