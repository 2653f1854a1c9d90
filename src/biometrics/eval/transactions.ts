import { type AttemptInput, decideCall } from '../verify-policy/decide.ts';
import type { VerifyCombine, VerifyPlan } from '../verify-policy/plan.ts';
import { byFinger, compareFingerIds, type Impression } from './protocol.ts';

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

/** `from` in rotation from index `start`, `count` long. */
function rotation<T>(from: readonly T[], start: number, count: number): T[] {
  return Array.from({ length: count }, (_, i) => from[(start + i) % from.length]);
}

/** Fingers paired in id order into persons: [[1st, 2nd], [3rd, 4th], ...], each finger's impressions in order. */
function personsOf(list: readonly Impression[]): Impression[][][] {
  const fingers = byFinger(list)
    .map((g) => [...g].sort((a, b) => a.impression - b.impression))
    .sort((a, b) => compareFingerIds(a[0].finger, b[0].finger));
  const persons: Impression[][][] = [];
  for (let i = 0; i + 1 < fingers.length; i += 2) persons.push([fingers[i], fingers[i + 1]]);
  return persons;
}

/** The calls of a set: the first call of each of its claims (verifyClaims), in the same order. */
export function verifyCalls(list: readonly Impression[], maxAttempts: number): VerifyCall[] {
  return verifyClaims(list, maxAttempts).map((claim) => claim.calls[0]);
}

/**
 * A claim at the counter: one call, and when it fails the claim screen's "try the other finger" (the
 * person's other finger, from the same starting impression). A genuine claim presents the holder's
 * fingers, either one first; an impostor claim the two fingers of another person, either one first.
 * Two failed calls stay under any lockoutFailures of 2 or more. A genuine claim whose other finger
 * has no impression but the card's is its first call alone.
 */
export interface VerifyClaim {
  genuine: boolean;
  /** one or two calls, made in order until one matches */
  calls: VerifyCall[];
}

export function verifyClaims(list: readonly Impression[], maxAttempts: number): VerifyClaim[] {
  const claims: VerifyClaim[] = [];
  const persons = personsOf(list);
  const orders = (p: Impression[][]) => [
    [p[0], p[1]],
    [p[1], p[0]],
  ];
  for (const person of persons) {
    const card = person.map((f) => f[0]);
    for (const [first, second] of orders(person)) {
      const a = first.slice(1);
      const b = second.slice(1);
      for (let s = 0; s < a.length; s++) {
        const calls = [{ genuine: true, card, live: rotation(a, s, maxAttempts) }];
        if (b.length) calls.push({ genuine: true, card, live: rotation(b, s % b.length, maxAttempts) });
        claims.push({ genuine: true, calls });
      }
    }
    for (const other of persons) {
      if (other === person) continue;
      for (const [first, second] of orders(other)) {
        for (let s = 0; s < first.length; s++) {
          claims.push({
            genuine: false,
            calls: [
              { genuine: false, card, live: rotation(first, s, maxAttempts) },
              { genuine: false, card, live: rotation(second, s % second.length, maxAttempts) },
            ],
          });
        }
      }
    }
  }
  return claims;
}

export interface ClaimReport {
  claims: { genuine: number; impostor: number };
  falseAccepts: number;
  falseRejects: number;
  fmr: number;
  fnmr: number;
  /** mean calls (1 or 2) of the genuine claims that matched */
  meanGenuineCalls: number;
}

/** Decides every claim: its calls in order, up to the first that matches. */
export function runClaims(
  claims: readonly VerifyClaim[],
  plan: VerifyPlan,
  attempt: (live: Impression, card: readonly Impression[]) => AttemptInput,
): ClaimReport {
  const matches = (call: VerifyCall) =>
    decideCall(
      plan,
      call.live.map((l) => attempt(l, call.card)),
    ).matched;
  const t = tally(
    claims.map((claim) => {
      const calls = claim.calls.findIndex(matches) + 1;
      return { genuine: claim.genuine, matched: calls > 0, cost: calls };
    }),
  );
  return {
    claims: { genuine: t.genuine, impostor: t.impostor },
    falseAccepts: t.falseAccepts,
    falseRejects: t.falseRejects,
    fmr: t.fmr,
    fnmr: t.fnmr,
    meanGenuineCalls: t.meanGenuineCost,
  };
}

/** Counts of decided calls or claims, and the mean cost (attempts, calls) of the genuine ones that matched. */
function tally(outcomes: readonly { genuine: boolean; matched: boolean; cost: number }[]) {
  let genuine = 0;
  let impostor = 0;
  let falseAccepts = 0;
  let falseRejects = 0;
  let costOfMatches = 0;
  for (const o of outcomes) {
    if (o.genuine) {
      genuine++;
      if (o.matched) costOfMatches += o.cost;
      else falseRejects++;
    } else {
      impostor++;
      if (o.matched) falseAccepts++;
    }
  }
  const matchedGenuine = genuine - falseRejects;
  return {
    genuine,
    impostor,
    falseAccepts,
    falseRejects,
    fmr: impostor ? falseAccepts / impostor : Number.NaN,
    fnmr: genuine ? falseRejects / genuine : Number.NaN,
    meanGenuineCost: matchedGenuine ? costOfMatches / matchedGenuine : Number.NaN,
  };
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
  /** the same policy over claims: a failed call followed by the other finger (verifyClaims) */
  claims?: ClaimReport;
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
  const t = tally(
    calls.map((call) => {
      const r = decideCall(
        plan,
        call.live.map((l) => attempt(l, call.card)),
      );
      return { genuine: call.genuine, matched: r.matched, cost: r.attempts };
    }),
  );
  return {
    targetFmr: plan.targetFmr,
    maxAttempts: plan.maxAttempts,
    combine: plan.combine,
    stageThresholds: plan.stageThresholds,
    transactions: { genuine: t.genuine, impostor: t.impostor },
    falseAccepts: t.falseAccepts,
    falseRejects: t.falseRejects,
    fmr: t.fmr,
    fnmr: t.fnmr,
    meanGenuineAttempts: t.meanGenuineCost,
  };
}
