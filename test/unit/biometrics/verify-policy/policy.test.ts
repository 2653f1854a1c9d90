import { describe, expect, it } from 'vitest';
import { listImpressions } from '../../../../src/biometrics/eval/protocol.ts';
import {
  impostorSums,
  sumThreshold,
  tailOf,
} from '../../../../src/biometrics/verify-policy/impostor-tails.ts';
import {
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
  it('splits the per-call target over stages and card fingers and takes the stricter mode', () => {
    const plan = planVerify({ targetFmr: 0.01, maxAttempts: 2, fingers: 2 }, synthetic());
    expect(plan.stageFmr).toBeCloseTo(0.0025);
    // floor(0.0025 * 1000) = 2 impostor sums may pass: the threshold sits just above the 3rd highest
    expect(plan.stageThresholds[0]).toBeCloseTo(0.3 - 0.002 + 1e-4, 6);
    expect(plan.stageThresholds[1]).toBeCloseTo(0.3 * Math.SQRT2 - 0.002 + 1e-4, 6);
  });

  it('gets stricter with more attempts (the threshold adapts to maxAttempts)', () => {
    const t = synthetic();
    const few = planVerify({ targetFmr: 0.01, maxAttempts: 1, fingers: 2 }, t);
    const more = planVerify({ targetFmr: 0.01, maxAttempts: 4, fingers: 2 }, t);
    expect(more.stageThresholds[0]).toBeGreaterThan(few.stageThresholds[0]);
  });

  it('caps maxAttempts where the measurement cannot resolve the per-stage rate, and refuses a target below it', () => {
    const t = synthetic(1000, 10);
    expect(maxAttemptsCap(0.004, 2, t)).toBe(2);
    expect(planVerify({ targetFmr: 0.004, maxAttempts: 5, fingers: 2 }, t).maxAttempts).toBe(2);
    expect(maxAttemptsCap(0.1, 1, synthetic(1000, 4))).toBe(4);
    expect(() => planVerify({ targetFmr: 0.0001, maxAttempts: 1, fingers: 2 }, t)).toThrow(/vouch/);
  });

  it('the shipped tails allow the API maximum of 10 attempts at the default target with two fingers', () => {
    const tails = loadImpostorTails();
    expect(maxAttemptsCap(0.001, 2, tails)).toBe(10);
    const plan = planVerify({ targetFmr: 0.001, maxAttempts: 3, fingers: 2 }, tails);
    expect(plan.stageThresholds).toHaveLength(3);
    for (let k = 1; k < 3; k++) expect(plan.stageThresholds[k]).toBeGreaterThan(plan.stageThresholds[k - 1]);
  });
});

describe('verify policy: decision', () => {
  const plan = planVerify({ targetFmr: 0.01, maxAttempts: 3, fingers: 2 }, synthetic());
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
