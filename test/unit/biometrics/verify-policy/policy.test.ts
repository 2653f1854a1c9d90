import { describe, expect, it } from 'vitest';
import { listImpressions } from '../../../../src/biometrics/eval/protocol.ts';
import {
  impostorSums,
  sumThreshold,
  tailOf,
} from '../../../../src/biometrics/verify-policy/impostor-tails.ts';
import {
  bestOfViews,
  decideAttempt,
  decideCall,
  type ImpostorTailsFile,
  loadImpostorTails,
  maxAttemptsCap,
  planVerify,
  startVerify,
} from '../../../../src/biometrics/verify-policy/index.ts';

/** 1,000 impostor sequences per mode; sums of k descend from 0.3 * sqrt(k) by 0.001 per rank. */
const synthetic = (sequences = 1000, kMax = 4): ImpostorTailsFile => ({
  about: 'test',
  measured: '2026-01-01',
  modes: {
    a: {
      sequences,
      sums: Array.from({ length: kMax }, (_, k) =>
        Array.from({ length: 50 }, (_, i) => 0.3 * Math.sqrt(k + 1) - i / 1000),
      ),
    },
    b: {
      sequences,
      sums: Array.from({ length: kMax }, (_, k) =>
        Array.from({ length: 50 }, (_, i) => 0.29 * Math.sqrt(k + 1) - i / 1000),
      ),
    },
  },
});

describe('verify policy: plan', () => {
  it("defaults to the 'best' rule: every stage at T_1 of the per-stage budget", () => {
    const plan = planVerify({ targetFmr: 0.01, maxAttempts: 3, fingers: 2 }, synthetic());
    expect(plan.combine).toBe('best');
    expect(plan.stageFmr).toBeCloseTo(0.01 / 6);
    // floor(0.01 / 6 * 1000) = 1 impostor score may pass: the threshold sits just above the 2nd highest
    expect(plan.stageThresholds).toHaveLength(3);
    for (const t of plan.stageThresholds) expect(t).toBeCloseTo(0.3 - 0.001 + 1e-4, 6);
  });

  it("'sum' splits the per-call target over stages and card fingers and takes the stricter mode", () => {
    const plan = planVerify({ targetFmr: 0.01, maxAttempts: 2, fingers: 2, combine: 'sum' }, synthetic());
    expect(plan.combine).toBe('sum');
    expect(plan.stageFmr).toBeCloseTo(0.0025);
    // floor(0.0025 * 1000) = 2 impostor sums may pass: the threshold sits just above the 3rd highest
    expect(plan.stageThresholds[0]).toBeCloseTo(0.3 - 0.002 + 1e-4, 6);
    expect(plan.stageThresholds[1]).toBeCloseTo(0.3 * Math.SQRT2 - 0.002 + 1e-4, 6);
  });

  it('both rules spend the same per-stage budget: their first stage threshold is the same', () => {
    const t = synthetic();
    for (const maxAttempts of [1, 2, 4]) {
      const best = planVerify({ targetFmr: 0.01, maxAttempts, fingers: 2, combine: 'best' }, t);
      const sum = planVerify({ targetFmr: 0.01, maxAttempts, fingers: 2, combine: 'sum' }, t);
      expect(best.stageFmr).toBe(sum.stageFmr);
      expect(best.stageThresholds[0]).toBe(sum.stageThresholds[0]);
    }
  });

  it('refuses an unknown rule', () => {
    const combine = 'mean' as unknown as 'sum';
    expect(() => planVerify({ targetFmr: 0.01, maxAttempts: 2, fingers: 2, combine }, synthetic())).toThrow(
      /combine/,
    );
  });

  it('gets stricter with more attempts (the threshold adapts to maxAttempts), under either rule', () => {
    const t = synthetic();
    for (const combine of ['best', 'sum'] as const) {
      const few = planVerify({ targetFmr: 0.01, maxAttempts: 1, fingers: 2, combine }, t);
      const more = planVerify({ targetFmr: 0.01, maxAttempts: 4, fingers: 2, combine }, t);
      expect(more.stageThresholds[0]).toBeGreaterThan(few.stageThresholds[0]);
    }
  });

  it('caps maxAttempts where the measurement cannot resolve the per-stage rate, and refuses a target below it', () => {
    const t = synthetic(1000, 10);
    expect(maxAttemptsCap(0.004, 2, t)).toBe(2);
    for (const combine of ['best', 'sum'] as const) {
      expect(planVerify({ targetFmr: 0.004, maxAttempts: 5, fingers: 2, combine }, t).maxAttempts).toBe(2);
      expect(() => planVerify({ targetFmr: 0.0001, maxAttempts: 1, fingers: 2, combine }, t)).toThrow(
        /vouch/,
      );
    }
    expect(maxAttemptsCap(0.1, 1, synthetic(1000, 4))).toBe(4);
  });

  it('the shipped tails allow the API maximum of 10 attempts at the default target with two fingers', () => {
    const tails = loadImpostorTails();
    expect(maxAttemptsCap(0.001, 2, tails)).toBe(10);
    const sum = planVerify({ targetFmr: 0.001, maxAttempts: 3, fingers: 2, combine: 'sum' }, tails);
    expect(sum.stageThresholds).toHaveLength(3);
    for (let k = 1; k < 3; k++) expect(sum.stageThresholds[k]).toBeGreaterThan(sum.stageThresholds[k - 1]);
    const best = planVerify({ targetFmr: 0.001, maxAttempts: 3, fingers: 2 }, tails);
    expect(best.stageThresholds).toEqual([
      sum.stageThresholds[0],
      sum.stageThresholds[0],
      sum.stageThresholds[0],
    ]);
  });
});

describe("verify policy: decision under 'sum'", () => {
  const plan = planVerify({ targetFmr: 0.01, maxAttempts: 3, fingers: 2, combine: 'sum' }, synthetic());
  const [t1, t2] = plan.stageThresholds;

  it('matches on one attempt at or above the first stage threshold', () => {
    const r = decideAttempt(plan, startVerify(plan), { scores: [0.1, t1] });
    expect(r.verdict).toBe('match');
    expect(r.state.best.finger).toBe(1);
    expect(r.state.best.score).toBeGreaterThanOrEqual(r.state.best.threshold);
  });

  it('sums a steady genuine finger over attempts: two scores under t1 can match at stage 2', () => {
    const s = (t2 / 2) * 1.01;
    expect(s).toBeLessThan(t1);
    const r = decideCall(plan, [{ scores: [s, 0] }, { scores: [s, 0] }]);
    expect(r).toMatchObject({ matched: true, attempts: 2 });
    expect(r.state.reasons).toEqual(['NOT_MATCHED']);
    // reported on one comparison's scale: the per-attempt means
    expect(r.state.best.score).toBeCloseTo(s, 9);
    expect(r.state.best.threshold).toBeCloseTo(t2 / 2, 9);
  });

  it('does not add one finger to the other, and ends with no-match after maxAttempts with every reason', () => {
    const s = (t2 / 2) * 0.99;
    let state = startVerify(plan);
    const verdicts: string[] = [];
    for (const a of [
      { scores: [s, s] },
      { rejected: 'POOR_QUALITY' as const },
      { rejected: 'TOO_FEW_MINUTIAE' as const },
    ]) {
      const r = decideAttempt(plan, state, a);
      state = r.state;
      verdicts.push(r.verdict);
    }
    expect(verdicts).toEqual(['continue', 'continue', 'no-match']);
    expect(state.reasons).toEqual(['NOT_MATCHED', 'POOR_QUALITY', 'TOO_FEW_MINUTIAE']);
    expect(state.best.score).toBeLessThan(state.best.threshold);
    expect(() => decideAttempt(plan, state, { scores: [1, 1] })).toThrow(/no attempts left/);
  });
});

describe("verify policy: decision under 'best'", () => {
  const plan = planVerify({ targetFmr: 0.01, maxAttempts: 3, fingers: 2 }, synthetic());
  const t1 = plan.stageThresholds[0];

  it('matches on a single comparison at T_1, whatever attempt it comes in, and reports that score and T_1', () => {
    const low = { scores: [0.1 * t1, 0.2 * t1] };
    const r = decideCall(plan, [low, low, { scores: [0.5 * t1, t1] }]);
    expect(r).toMatchObject({ matched: true, attempts: 3 });
    expect(r.state.reasons).toEqual(['NOT_MATCHED', 'NOT_MATCHED']);
    expect(r.state.best).toMatchObject({ finger: 1, score: t1, threshold: t1 });
  });

  it('sums do not matter: steady scores just under T_1 never match, however many attempts', () => {
    const s = t1 * 0.99;
    const r = decideCall(plan, [{ scores: [s, s] }, { scores: [s, s] }, { scores: [s, s] }]);
    expect(r).toMatchObject({ matched: false, attempts: 3 });
    expect(r.state.totals).toEqual([s, s]);
    expect(r.state.reasons).toEqual(['NOT_MATCHED', 'NOT_MATCHED', 'NOT_MATCHED']);
    // the closest the call came: its best single score against T_1, below it
    expect(r.state.best.score).toBe(s);
    expect(r.state.best.threshold).toBe(t1);
  });

  it('keeps the best score per card finger across attempts; a rejected attempt takes its stage', () => {
    let state = startVerify(plan);
    const verdicts: string[] = [];
    for (const a of [
      { scores: [0.6 * t1, 0.1 * t1] },
      { rejected: 'POOR_QUALITY' as const },
      { scores: [0.2 * t1, 0.7 * t1] },
    ]) {
      const r = decideAttempt(plan, state, a);
      state = r.state;
      verdicts.push(r.verdict);
    }
    expect(verdicts).toEqual(['continue', 'continue', 'no-match']);
    expect(state.totals[0]).toBeCloseTo(0.6 * t1, 12);
    expect(state.totals[1]).toBeCloseTo(0.7 * t1, 12);
    expect(state.best.finger).toBe(1);
    expect(state.reasons).toEqual(['NOT_MATCHED', 'POOR_QUALITY', 'NOT_MATCHED']);
    expect(() => decideAttempt(plan, state, { scores: [1, 1] })).toThrow(/no attempts left/);
  });
});

describe('verify policy: live views', () => {
  it("an attempt's score per card finger is its best live view's", () => {
    const perView = [Float64Array.from([0.04, 0.09]), [0.07, 0.02]];
    expect(bestOfViews(perView)).toEqual([0.07, 0.09]);
    expect(bestOfViews([[0.3, 0.1]])).toEqual([0.3, 0.1]);
    expect(() => bestOfViews([])).toThrow(RangeError);
  });
});

describe('impostor tails: measurement helpers', () => {
  it('sums k consecutive impressions of every other finger in rotation, for every card template', () => {
    const list = listImpressions(['1_1.t', '1_2.t', '2_1.t', '2_2.t'], 't');
    // score = live impression number (1 or 2), whatever the card
    const sums = impostorSums(list, (live) => live.impression, 3);
    // 4 card templates x 1 other finger x 2 starts
    expect(sums[0]).toHaveLength(8);
    expect([...sums[0]].sort()).toEqual([1, 1, 1, 1, 2, 2, 2, 2]);
    expect([...sums[2]].sort()).toEqual([4, 4, 4, 4, 5, 5, 5, 5]);
  });

  it('keeps the highest values rounded up, and reads thresholds off them', () => {
    expect(tailOf([0.1, 0.30001, 0.2], 2)).toEqual([0.3001, 0.2]);
    const tails = { sequences: 100, sums: [[0.5, 0.4, 0.3]] };
    expect(sumThreshold(tails, 1, 0.001)).toBeCloseTo(0.5001);
    expect(sumThreshold(tails, 1, 0.02)).toBeCloseTo(0.3001);
    // past the kept tail: the lowest kept sum, stricter than asked
    expect(sumThreshold(tails, 1, 0.05)).toBeCloseTo(0.3001);
    expect(() => sumThreshold(tails, 2, 0.01)).toThrow(/2 attempts/);
  });
});
