import type { MinutiaeSet } from '../../../protocols/biometrics/types.ts';
import { type PreparedTemplate, prepareTemplate } from './prepare.ts';
import { ProbeMatcher } from './probe-matcher.ts';

export { type PreparedTemplate, prepareTemplate } from './prepare.ts';
export { ProbeMatcher } from './probe-matcher.ts';
export { DEFAULT_THRESHOLD, THRESHOLDS } from './thresholds.ts';

/**
 * Prepared forms are cached per MinutiaeSet object, so a gallery kept in memory (a worker's shard, the
 * card's two fingers) is prepared once however many probes it meets. Sets must not be mutated after
 * their first comparison.
 */
const prepared = new WeakMap<MinutiaeSet, PreparedTemplate>();

/** The prepared form of `set`, built on first use and cached for the lifetime of the object. */
export function preparedFor(set: MinutiaeSet): PreparedTemplate {
  let p = prepared.get(set);
  if (!p) {
    p = prepareTemplate(set);
    prepared.set(set, p);
  }
  return p;
}

/**
 * Similarity of two minutiae sets in [0, 1]: 0 for unrelated or empty sets, higher is more alike.
 * Compare with THRESHOLDS / DEFAULT_THRESHOLD. Not exactly symmetric (the probe side carries the
 * tolerances) but close: swap the arguments and the score moves by a few hundredths at most.
 */
export function compare(probe: MinutiaeSet, candidate: MinutiaeSet): number {
  return new ProbeMatcher(preparedFor(probe)).score(preparedFor(candidate));
}

/** 1:N: `compare(probe, gallery[i])` for every i, building the probe's structures once. */
export function compareMany(probe: MinutiaeSet, gallery: readonly MinutiaeSet[]): Float64Array {
  const matcher = new ProbeMatcher(preparedFor(probe));
  const out = new Float64Array(gallery.length);
  for (let i = 0; i < gallery.length; i++) out[i] = matcher.score(preparedFor(gallery[i]));
  return out;
}
