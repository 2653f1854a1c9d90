import type { VerifyPlan } from './plan.ts';

/** Why an attempt did not produce a match (api-v1 finger.verify; the claim screen keys on these). */
export type AttemptReason = 'POOR_QUALITY' | 'TOO_FEW_MINUTIAE' | 'NOT_MATCHED';

/** One attempt: its scores against each card finger, or why it was not compared. */
export type AttemptInput = { scores: ArrayLike<number> } | { rejected: 'POOR_QUALITY' | 'TOO_FEW_MINUTIAE' };

/**
 * An attempt's score against each card finger from the scores of its live views
 * (extract/live-views.ts): per finger, the best view's. The impostor tails are measured this way too.
 */
export function bestOfViews(perView: readonly ArrayLike<number>[]): number[] {
  if (perView.length === 0) throw new RangeError('an attempt has at least one live view');
  return Array.from(perView[0], (_, finger) => Math.max(...perView.map((scores) => scores[finger])));
}

export interface VerifyState {
  /** attempts decided so far */
  attempts: number;
  /**
   * per card finger, what the rule compares with the stage threshold: under `sum` the sum of its
   * scores over the attempts so far, under `best` its best single score (a rejected attempt adds 0)
   */
  totals: number[];
  /** per attempt, why it did not match (a match ends the call) */
  reasons: AttemptReason[];
  /**
   * the closest the call came: card finger index, and score / threshold on the scale of one
   * comparison (under `sum` per-attempt means: total / k, T_k / k; under `best` the score and T_1)
   */
  best: { finger: number; score: number; threshold: number; ratio: number };
}

export type Verdict = 'match' | 'continue' | 'no-match';

/** What one attempt leaves: the call's state after it, and whether the call is decided. */
export interface AttemptDecision {
  state: VerifyState;
  verdict: Verdict;
}

export function startVerify(plan: VerifyPlan): VerifyState {
  return {
    attempts: 0,
    totals: new Array(plan.fingers).fill(0),
    reasons: [],
    best: { finger: 0, score: 0, threshold: plan.stageThresholds[0], ratio: 0 },
  };
}

/**
 * The decision after one more attempt: pure, the same function for the daemon's finger.verify and
 * for `eval`'s whole-call measurement. A rejected attempt still takes its stage (it adds 0 to every
 * total, which can only lower an impostor's chance). The reported score/threshold keep
 * `score >= threshold` exactly when the call matched.
 */
export function decideAttempt(plan: VerifyPlan, state: VerifyState, attempt: AttemptInput): AttemptDecision {
  const k = state.attempts + 1;
  if (k > plan.maxAttempts) throw new RangeError('the call has no attempts left');
  const totals = [...state.totals];
  if ('scores' in attempt) {
    if (attempt.scores.length !== totals.length) throw new RangeError('one score per card finger');
    for (let i = 0; i < totals.length; i++) {
      const s = Math.max(0, attempt.scores[i]);
      totals[i] = plan.combine === 'sum' ? totals[i] + s : Math.max(totals[i], s);
    }
  }
  const t = plan.stageThresholds[k - 1];
  let bestHere = 0;
  for (let i = 1; i < totals.length; i++) if (totals[i] > totals[bestHere]) bestHere = i;
  // back on one comparison's scale: a sum of k scores is shown as its mean
  const per = plan.combine === 'sum' ? k : 1;
  const here = {
    finger: bestHere,
    score: totals[bestHere] / per,
    threshold: t / per,
    ratio: totals[bestHere] / t,
  };
  const best = here.ratio >= state.best.ratio || state.attempts === 0 ? here : state.best;
  const matched = totals[bestHere] >= t;
  const reasons = matched
    ? state.reasons
    : [...state.reasons, 'rejected' in attempt ? attempt.rejected : ('NOT_MATCHED' as const)];
  const verdict: Verdict = matched ? 'match' : k === plan.maxAttempts ? 'no-match' : 'continue';
  return { state: { attempts: k, totals, reasons, best: matched ? here : best }, verdict };
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
