import type { VerifyPlan } from './plan.ts';

/** Why an attempt did not produce a match (api-v1 finger.verify; the claim screen keys on these). */
export type AttemptReason = 'POOR_QUALITY' | 'TOO_FEW_MINUTIAE' | 'NOT_MATCHED';

/** One attempt: its scores against each card finger, or why it was not compared. */
export type AttemptInput = { scores: ArrayLike<number> } | { rejected: 'POOR_QUALITY' | 'TOO_FEW_MINUTIAE' };

export interface VerifyState {
  /** attempts decided so far */
  attempts: number;
  /** per card finger: sum of its scores over the attempts so far (a rejected attempt adds 0) */
  sums: number[];
  /** per attempt, why it did not match (a match ends the call) */
  reasons: AttemptReason[];
  /** the closest the call came: card finger index, mean score and the stage threshold per attempt */
  best: { finger: number; score: number; threshold: number; ratio: number };
}

export type Verdict = 'match' | 'continue' | 'no-match';

export function startVerify(plan: VerifyPlan): VerifyState {
  return {
    attempts: 0,
    sums: new Array(plan.fingers).fill(0),
    reasons: [],
    best: { finger: 0, score: 0, threshold: plan.stageThresholds[0], ratio: 0 },
  };
}

/**
 * The decision after one more attempt: pure, the same function for the daemon's finger.verify and
 * for `eval`'s whole-call measurement. A rejected attempt still takes its stage (it adds 0 to every
 * sum, which can only lower an impostor's chance against the k-sum threshold).
 * `score`/`threshold` of the best finger are per-attempt means (sum / k, T_k / k), on the scale of
 * one comparison's score.
 */
export function decideAttempt(
  plan: VerifyPlan,
  state: VerifyState,
  attempt: AttemptInput,
): { state: VerifyState; verdict: Verdict } {
  const k = state.attempts + 1;
  if (k > plan.maxAttempts) throw new RangeError('the call has no attempts left');
  const sums = [...state.sums];
  if ('scores' in attempt) {
    if (attempt.scores.length !== sums.length) throw new RangeError('one score per card finger');
    for (let i = 0; i < sums.length; i++) sums[i] += Math.max(0, attempt.scores[i]);
  }
  const t = plan.stageThresholds[k - 1];
  let bestHere = 0;
  for (let i = 1; i < sums.length; i++) if (sums[i] > sums[bestHere]) bestHere = i;
  const here = { finger: bestHere, score: sums[bestHere] / k, threshold: t / k, ratio: sums[bestHere] / t };
  const best = here.ratio >= state.best.ratio || state.attempts === 0 ? here : state.best;
  const matched = sums[bestHere] >= t;
  const reasons = matched
    ? state.reasons
    : [...state.reasons, 'rejected' in attempt ? attempt.rejected : ('NOT_MATCHED' as const)];
  const verdict: Verdict = matched ? 'match' : k === plan.maxAttempts ? 'no-match' : 'continue';
  return { state: { attempts: k, sums, reasons, best: matched ? here : best }, verdict };
}

/** The whole call at once (eval): the attempts in order until a verdict. */
export function decideCall(
  plan: VerifyPlan,
  attempts: readonly AttemptInput[],
): { matched: boolean; attempts: number; state: VerifyState } {
  let state = startVerify(plan);
  for (const a of attempts.slice(0, plan.maxAttempts)) {
    const r = decideAttempt(plan, state, a);
    state = r.state;
    if (r.verdict !== 'continue') return { matched: r.verdict === 'match', attempts: state.attempts, state };
  }
  return { matched: false, attempts: state.attempts, state };
}
