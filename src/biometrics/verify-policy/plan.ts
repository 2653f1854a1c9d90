import type { ImpostorTailsFile } from './impostor-tails.ts';
import { sumThreshold } from './impostor-tails.ts';

/**
 * How one finger.verify call decides, stated per call (issue 10, docs/matching.md "Verify policy").
 *
 * A false match can happen at any of the maxAttempts stages against any of the F card fingers, so
 * each (stage, finger) gets targetFmr / (maxAttempts * F) of the budget (a union bound: no
 * independence between attempts is assumed, and an impostor who presents the same wrong finger every
 * time is what the tails measure). Two ways of combining the attempts spend that budget:
 *
 * - `best` (the default): the call matches as soon as any single comparison of any attempt reaches
 *   T_1, the measured impostor single-score threshold at the per-stage rate; every stage has the
 *   same threshold.
 * - `sum`: per card finger the attempt scores so far are summed; after attempt k the call matches when
 *   some finger's sum reaches T_k, the measured impostor k-sum at the per-stage rate.
 *
 * Thresholds are the stricter of the two ways of comparing (images, iso). On the Hough-only matcher
 * `sum` won; on the fused MCC + Hough score `best` has the lower FNMR at the same FMR per call on
 * FVC2002, both modes (docs/matching.md "Verify policy"), so `best` is the default and `sum` stays
 * selectable for measuring the two side by side.
 */
export type VerifyCombine = 'best' | 'sum';

export interface VerifyPolicySettings {
  /** false-match rate of one whole call, all attempts and card fingers together */
  targetFmr: number;
  /** attempts asked for (capped by maxAttemptsCap) */
  maxAttempts: number;
  /** card fingers compared with each attempt */
  fingers: number;
  /** how attempts combine (config verify.combine); default 'best' */
  combine?: VerifyCombine;
}

export interface VerifyPlan {
  targetFmr: number;
  /** attempts this call makes: the request's, capped */
  maxAttempts: number;
  fingers: number;
  combine: VerifyCombine;
  /** budget of one (stage, card finger) */
  stageFmr: number;
  /**
   * stageThresholds[k - 1]: what one card finger must reach after attempt k: under `sum` the sum of
   * its k attempt scores, under `best` its best single score (T_1 at every stage)
   */
  stageThresholds: number[];
}

/** Fewest impostor sequences behind any stage's threshold, over the ways of comparing. */
export function sequencesMeasured(tails: ImpostorTailsFile): number {
  return Math.min(...Object.values(tails.modes).map((m) => m.sequences));
}

/** Fewest impostor sequences that can vouch for one attempt at `targetFmr` per call (maxAttemptsCap >= 1). */
export function sequencesNeeded(targetFmr: number, fingers: number): number {
  return Math.ceil(fingers / targetFmr - 1e-9);
}

/** Most attempts measured in the file. */
function stagesMeasured(tails: ImpostorTailsFile): number {
  return Math.min(...Object.values(tails.modes).map((m) => m.sums.length));
}

/**
 * The most attempts one call may make at this target: the per-stage rate must stay resolvable by the
 * measurement (at least one impostor sequence of the N measured may reach the threshold, i.e.
 * targetFmr / (A * F) >= 1 / N), and A may not exceed the attempts measured. 0 means the target is
 * stricter than the measurement can vouch for.
 */
export function maxAttemptsCap(targetFmr: number, fingers: number, tails: ImpostorTailsFile): number {
  return Math.min(stagesMeasured(tails), Math.floor((targetFmr * sequencesMeasured(tails)) / fingers + 1e-9));
}

export function planVerify(s: VerifyPolicySettings, tails: ImpostorTailsFile): VerifyPlan {
  if (!(s.targetFmr > 0 && s.targetFmr < 1)) throw new RangeError('targetFmr must be in (0, 1)');
  if (!(Number.isInteger(s.fingers) && s.fingers >= 1)) throw new RangeError('fingers must be >= 1');
  const cap = maxAttemptsCap(s.targetFmr, s.fingers, tails);
  if (cap < 1) {
    throw new RangeError(
      `a false-match rate of ${s.targetFmr} per call with ${s.fingers} card finger(s) is below what ` +
        `the measured impostor tails can vouch for (${sequencesMeasured(tails)} sequences)`,
    );
  }
  const maxAttempts = Math.max(1, Math.min(Math.floor(s.maxAttempts), cap));
  const combine = s.combine ?? 'best';
  if (combine !== 'best' && combine !== 'sum') throw new RangeError(`combine must be "best" or "sum"`);
  const stageFmr = s.targetFmr / (maxAttempts * s.fingers);
  const modes = Object.values(tails.modes);
  // under `best` every stage is one comparison against T_1; under `sum`, k scores against T_k
  const stageThresholds = Array.from({ length: maxAttempts }, (_, i) =>
    Math.max(...modes.map((m) => sumThreshold(m, combine === 'best' ? 1 : i + 1, stageFmr))),
  );
  return { targetFmr: s.targetFmr, maxAttempts, fingers: s.fingers, combine, stageFmr, stageThresholds };
}
