import type { ImpostorTailsFile } from './impostor-tails.ts';
import { sumThreshold } from './impostor-tails.ts';

/**
 * How one finger.verify call decides, stated per call (issue 10, docs/matching.md "Verify policy").
 *
 * Rule: for each card finger, the scores of the attempts so far are summed; after attempt k the call
 * is a match when some card finger's sum reaches stage threshold T_k. A false match can happen at any
 * of the maxAttempts stages against any of the F card fingers, so each (stage, finger) gets
 * targetFmr / (maxAttempts * F) of the budget (a union bound: no independence between attempts is
 * assumed, and an impostor who presents the same wrong finger every time is what the tails measure).
 * T_k is the measured impostor k-sum at that rate, the stricter of the two ways of comparing.
 *
 * Summing beat "best single score against a stricter threshold" on FVC2002 at the same budget
 * (docs/matching.md): a genuine finger scores moderately but steadily, an impostor rarely twice.
 */
export interface VerifyPolicySettings {
  /** false-match rate of one whole call, all attempts and card fingers together */
  targetFmr: number;
  /** attempts asked for (capped by maxAttemptsCap) */
  maxAttempts: number;
  /** card fingers compared with each attempt */
  fingers: number;
}

export interface VerifyPlan {
  targetFmr: number;
  /** attempts this call makes: the request's, capped */
  maxAttempts: number;
  fingers: number;
  /** budget of one (stage, card finger) */
  stageFmr: number;
  /** stageThresholds[k - 1]: the sum of k attempt scores one card finger must reach after attempt k */
  stageThresholds: number[];
}

/** Fewest impostor sequences behind any stage's threshold, over the ways of comparing. */
function sequences(tails: ImpostorTailsFile): number {
  return Math.min(...Object.values(tails.modes).map((m) => m.sequences));
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
  return Math.min(stagesMeasured(tails), Math.floor((targetFmr * sequences(tails)) / fingers + 1e-9));
}

export function planVerify(s: VerifyPolicySettings, tails: ImpostorTailsFile): VerifyPlan {
  if (!(s.targetFmr > 0 && s.targetFmr < 1)) throw new RangeError('targetFmr must be in (0, 1)');
  if (!(Number.isInteger(s.fingers) && s.fingers >= 1)) throw new RangeError('fingers must be >= 1');
  const cap = maxAttemptsCap(s.targetFmr, s.fingers, tails);
  if (cap < 1) {
    throw new RangeError(
      `a false-match rate of ${s.targetFmr} per call with ${s.fingers} card finger(s) is below what ` +
        `the measured impostor tails can vouch for (${sequences(tails)} sequences)`,
    );
  }
  const maxAttempts = Math.max(1, Math.min(Math.floor(s.maxAttempts), cap));
  const stageFmr = s.targetFmr / (maxAttempts * s.fingers);
  const modes = Object.values(tails.modes);
  const stageThresholds = Array.from({ length: maxAttempts }, (_, i) =>
    Math.max(...modes.map((m) => sumThreshold(m, i + 1, stageFmr))),
  );
  return { targetFmr: s.targetFmr, maxAttempts, fingers: s.fingers, stageFmr, stageThresholds };
}
