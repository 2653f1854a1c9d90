import { type AttemptInput, decideCall } from '../verify-policy/decide.ts';
import type { VerifyCombine, VerifyPlan } from '../verify-policy/plan.ts';
import { compareFingerIds, type Impression } from './protocol.ts';

/**
 * Whole finger.verify calls from an FVC-style set, as the counter lives them (issue 10 item 4):
 * fingers are paired in id order (1st+2nd, 3rd+4th, ...) into persons whose card holds impression 1
 * of both fingers. A genuine call presents one of the person's fingers, its impressions 2..n in
 * rotation from each starting impression, up to maxAttempts; an impostor call presents every finger
 * of every other person the same way, from each of its impressions 1..n.
 */
export interface VerifyCall {
  genuine: boolean;
  /** the card's templates: impression 1 of the person's two fingers */
  card: Impression[];
  /** the live impressions presented, in order */
  live: Impression[];
}

function byFinger(list: readonly Impression[]): Impression[][] {
  const groups = new Map<string, Impression[]>();
  for (const imp of list) groups.set(imp.finger, [...(groups.get(imp.finger) ?? []), imp]);
  return [...groups.values()].map((g) => [...g].sort((a, b) => a.impression - b.impression));
}

/** `from` in rotation from index `start`, `count` long. */
function rotation<T>(from: readonly T[], start: number, count: number): T[] {
  return Array.from({ length: count }, (_, i) => from[(start + i) % from.length]);
}

export function verifyCalls(list: readonly Impression[], maxAttempts: number): VerifyCall[] {
  const fingers = byFinger(list).sort((a, b) => compareFingerIds(a[0].finger, b[0].finger));
  const persons: Impression[][][] = [];
  for (let i = 0; i + 1 < fingers.length; i += 2) persons.push([fingers[i], fingers[i + 1]]);
  const calls: VerifyCall[] = [];
  for (const person of persons) {
    const card = person.map((f) => f[0]);
    for (const finger of person) {
      const live = finger.slice(1);
      for (let s = 0; s < live.length; s++) {
        calls.push({ genuine: true, card, live: rotation(live, s, maxAttempts) });
      }
    }
    for (const other of persons) {
      if (other === person) continue;
      for (const finger of other) {
        for (let s = 0; s < finger.length; s++) {
          calls.push({ genuine: false, card, live: rotation(finger, s, maxAttempts) });
        }
      }
    }
  }
  return calls;
}

export interface TransactionReport {
  targetFmr: number;
  maxAttempts: number;
  /** how attempts combined (the plan's rule) */
  combine: VerifyCombine;
  /** per-stage thresholds the calls were decided with (sums under `sum`, T_1 each under `best`) */
  stageThresholds: number[];
  transactions: { genuine: number; impostor: number };
  falseAccepts: number;
  falseRejects: number;
  fmr: number;
  fnmr: number;
  /** mean attempts of the genuine calls that matched */
  meanGenuineAttempts: number;
}

/**
 * Decides every call with the daemon's decision function. `attempt(live, card)` gives what one
 * attempt produced: scores against the card's fingers (in card order), or the quality rejection.
 */
export function runTransactions(
  calls: readonly VerifyCall[],
  plan: VerifyPlan,
  attempt: (live: Impression, card: readonly Impression[]) => AttemptInput,
): TransactionReport {
  let genuine = 0;
  let impostor = 0;
  let falseAccepts = 0;
  let falseRejects = 0;
  let attemptsOfMatches = 0;
  for (const call of calls) {
    const r = decideCall(
      plan,
      call.live.map((l) => attempt(l, call.card)),
    );
    if (call.genuine) {
      genuine++;
      if (r.matched) attemptsOfMatches += r.attempts;
      else falseRejects++;
    } else {
      impostor++;
      if (r.matched) falseAccepts++;
    }
  }
  const matchedGenuine = genuine - falseRejects;
  return {
    targetFmr: plan.targetFmr,
    maxAttempts: plan.maxAttempts,
    combine: plan.combine,
    stageThresholds: plan.stageThresholds,
    transactions: { genuine, impostor },
    falseAccepts,
    falseRejects,
    fmr: impostor ? falseAccepts / impostor : Number.NaN,
    fnmr: genuine ? falseRejects / genuine : Number.NaN,
    meanGenuineAttempts: matchedGenuine ? attemptsOfMatches / matchedGenuine : Number.NaN,
  };
}
