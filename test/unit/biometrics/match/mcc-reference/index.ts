/**
 * The straightforward MCC implementation as merged in d0f5a0a (before the speed work of issue 12
 * item 4), kept verbatim as the reference the optimised src/biometrics/match/mcc/ must reproduce
 * score for score (mcc-exact.test.ts). Never optimise this copy: its value is that it is the
 * obvious code the thresholds were measured with.
 */
import { MCC_MAX_ROTATION } from '../../../../../src/biometrics/match/params.ts';
import type { PreparedTemplate } from '../../../../../src/biometrics/match/prepare.ts';
import { Consolidation } from './consolidation.ts';
import { buildCylinders, type Cylinders } from './cylinders.ts';
import { localSimilarities } from './local-similarity.ts';

export { buildCylinders, type Cylinders } from './cylinders.ts';

/** The reference's own cylinder cache (none shared with src/, so a wrong cylinder there cannot hide). */
const cache = new WeakMap<PreparedTemplate, Cylinders>();
export function referenceCylinders(t: PreparedTemplate): Cylinders {
  let c = cache.get(t);
  if (!c) {
    c = buildCylinders(t);
    cache.set(t, c);
  }
  return c;
}

/** MCC score of `p` against `c` (MccMatcher.score's meaning), the obvious way. */
export function referenceMccScore(
  p: PreparedTemplate,
  c: PreparedTemplate,
  cosR = 1,
  sinR = 0,
  maxTurn = MCC_MAX_ROTATION,
): number {
  const pc = referenceCylinders(p);
  const cc = referenceCylinders(c);
  if (pc.count === 0 || cc.count === 0) return 0;
  const lsm = localSimilarities(pc, cc, new Float64Array(0), cosR, sinR, Math.cos(maxTurn));
  return Math.min(1, new Consolidation().score(p, pc, c, cc, lsm));
}
