import { describe, expect, it } from 'vitest';
import type { Impression } from '../../../../src/biometrics/eval/protocol.ts';
import { listImpressions } from '../../../../src/biometrics/eval/protocol.ts';
import {
  runClaims,
  runTransactions,
  verifyCalls,
  verifyClaims,
} from '../../../../src/biometrics/eval/transactions.ts';
import type { AttemptInput } from '../../../../src/biometrics/verify-policy/decide.ts';
import { planVerify } from '../../../../src/biometrics/verify-policy/plan.ts';

/** 4 fingers x 4 impressions: persons (1, 2) and (3, 4). */
const list = listImpressions(
  [1, 2, 3, 4].flatMap((f) => [1, 2, 3, 4].map((i) => `${f}_${i}.tif`)),
  'tif',
);
const tails = {
  about: 'test',
  measured: '2026-01-01',
  modes: {
    m: {
      sequences: 1000,
      sums: [
        [0.5, 0.49, 0.48],
        [0.9, 0.89, 0.88],
      ],
    },
  },
};

describe('verify transactions (issue 10 item 4)', () => {
  it('builds persons from fingers in id order, cards from impression 1, attempts in rotation', () => {
    const calls = verifyCalls(list, 2);
    const genuine = calls.filter((c) => c.genuine);
    const impostor = calls.filter((c) => !c.genuine);
    // per person: 2 fingers x 3 starting impressions (2..4); impostor: 2 other fingers x 4 starts
    expect(genuine).toHaveLength(2 * 2 * 3);
    expect(impostor).toHaveLength(2 * 2 * 4);
    expect(genuine[0].card.map((c) => c.id)).toEqual(['1_1', '2_1']);
    expect(genuine.slice(0, 3).map((c) => c.live.map((l) => l.id))).toEqual([
      ['1_2', '1_3'],
      ['1_3', '1_4'],
      ['1_4', '1_2'],
    ]);
    expect(impostor[0].card.map((c) => c.id)).toEqual(['1_1', '2_1']);
    expect(impostor.slice(0, 4).map((c) => c.live.map((l) => l.id))).toEqual([
      ['3_1', '3_2'],
      ['3_2', '3_3'],
      ['3_3', '3_4'],
      ['3_4', '3_1'],
    ]);
    expect(genuine.every((c) => c.live.every((l) => l.impression !== 1))).toBe(true);
    expect(impostor.every((c) => c.live.every((l) => !c.card.some((k) => k.finger === l.finger)))).toBe(true);
  });

  it('pairs numeric finger ids in numeric order (FVC2004 names fingers 1..100), others as strings', () => {
    const names = [10, 9, 2, 1, 11, 3, 100, 4].flatMap((f) => [`${f}_1.tif`, `${f}_2.tif`]);
    const cards = new Set(
      verifyCalls(listImpressions(names, 'tif'), 1).map((c) => c.card.map((k) => k.finger).join('+')),
    );
    expect([...cards]).toEqual(['1+2', '3+4', '9+10', '11+100']);
    const mixed = listImpressions(['b_1.tif', 'a_1.tif', '7_1.tif', '10_1.tif'], 'tif').map((i) => i.finger);
    expect(mixed).toEqual(['7', '10', 'a', 'b']);
  });

  // genuine 0.6 except finger 2 impression 3 (0.3: its calls need the sum), impostor 0.1, but
  // finger 3 scores 0.95 against card finger 1 only on impression 4 (a false accept)
  const attempt = (live: Impression, card: readonly Impression[]): AttemptInput => {
    const scores = card.map((c) => {
      if (c.finger === live.finger) return live.finger === '2' && live.impression === 3 ? 0.3 : 0.6;
      return live.finger === '3' && live.impression === 4 && c.finger === '1' ? 0.95 : 0.1;
    });
    return live.finger === '4' && live.impression === 2 ? { rejected: 'POOR_QUALITY' } : { scores };
  };

  it("decides every call with the policy ('sum') and counts false accepts, false rejects and attempts", () => {
    const plan = planVerify({ targetFmr: 0.004, maxAttempts: 2, fingers: 2, combine: 'sum' }, tails);
    // per stage: 0.001 -> one of 1,000 may pass: T1 just above 0.49, T2 just above 0.89
    const calls = verifyCalls(list, 2);
    const r = runTransactions(calls, plan, attempt);
    expect(r.combine).toBe('sum');
    expect(r.transactions).toEqual({ genuine: 12, impostor: 16 });
    // finger 3 from starts 3 and 4 meet impression 4 in two attempts
    expect(r.falseAccepts).toBe(2);
    // finger 4 (person 2): start 2 is POOR then 0.6 (< T2 alone): false reject; finger 2 start 3:
    // 0.3 + 0.6 = 0.9 >= T2 (matched on attempt 2)
    expect(r.falseRejects).toBe(1);
    expect(r.fmr).toBeCloseTo(2 / 16);
    expect(r.fnmr).toBeCloseTo(1 / 12);
    // 11 matched genuine calls: 9 on attempt 1; finger 2 start 3 and finger 4 start 4 (4, then 2 POOR? no: 4_4, 4_2)
    expect(r.meanGenuineAttempts).toBeGreaterThan(1);
    expect(r.stageThresholds).toEqual(plan.stageThresholds);
  });

  it("decides the same calls under 'best' (the default): one score at T1 in any attempt matches", () => {
    const plan = planVerify({ targetFmr: 0.004, maxAttempts: 2, fingers: 2 }, tails);
    expect(plan.stageThresholds).toEqual([0.4901, 0.4901]);
    const r = runTransactions(verifyCalls(list, 2), plan, attempt);
    expect(r.combine).toBe('best');
    expect(r.falseAccepts).toBe(2);
    // finger 4 from start 2 (POOR, then 0.6 >= T1) now matches on attempt 2; finger 2 from start 3
    // (0.3, then 0.6) too: no false reject, 10 calls on attempt 1 and 2 on attempt 2
    expect(r.falseRejects).toBe(0);
    expect(r.meanGenuineAttempts).toBeCloseTo(14 / 12, 12);
  });

  it('builds claims: a call, then the other finger of the same person from the same start', () => {
    const claims = verifyClaims(list, 2);
    const genuine = claims.filter((c) => c.genuine);
    const impostor = claims.filter((c) => !c.genuine);
    // as many as calls: per person 2 first fingers x 3 starts; per card 2 first fingers x 4 starts
    expect(genuine).toHaveLength(12);
    expect(impostor).toHaveLength(16);
    expect(genuine[0].calls.map((c) => c.live.map((l) => l.id))).toEqual([
      ['1_2', '1_3'],
      ['2_2', '2_3'],
    ]);
    expect(genuine[3].calls.map((c) => c.live.map((l) => l.id))).toEqual([
      ['2_2', '2_3'],
      ['1_2', '1_3'],
    ]);
    expect(impostor[4].calls.map((c) => c.live.map((l) => l.id))).toEqual([
      ['4_1', '4_2'],
      ['3_1', '3_2'],
    ]);
    for (const claim of claims) {
      expect(claim.calls[0].card).toBe(claim.calls[1].card);
      expect(claim.calls[0].live[0].finger).not.toBe(claim.calls[1].live[0].finger);
      expect(claim.calls.every((c) => c.genuine === claim.genuine)).toBe(true);
    }
  });

  it('makes a claim whose other finger has only the card impression its first call alone', () => {
    const uneven = listImpressions(
      ['1_1', '1_2', '1_3', '2_1', '3_1', '3_2', '4_1', '4_2'].map((n) => `${n}.tif`),
      'tif',
    );
    const claims = verifyClaims(uneven, 2).filter((c) => c.genuine);
    // person (1, 2): finger 1 first (2 starts, then finger 2 has nothing left to present); finger 2
    // first has no impression to present at all; person (3, 4): 1 start each way
    expect(claims.map((c) => c.calls.map((k) => k.live.map((l) => l.id)))).toEqual([
      [['1_2', '1_3']],
      [['1_3', '1_2']],
      [
        ['3_2', '3_2'],
        ['4_2', '4_2'],
      ],
      [
        ['4_2', '4_2'],
        ['3_2', '3_2'],
      ],
    ]);
    const plan = planVerify({ targetFmr: 0.004, maxAttempts: 2, fingers: 2 }, tails);
    const r = runClaims(verifyClaims(uneven, 2), plan, () => ({ scores: [0, 0] }));
    expect(r.falseRejects).toBe(4);
  });

  it('decides a claim by its second call only when the first fails, and counts calls per match', () => {
    const plan = planVerify({ targetFmr: 0.004, maxAttempts: 1, fingers: 2 }, tails);
    // one attempt per call: finger 2's impression 3 (0.3) fails alone, finger 4's impression 2 is POOR
    const calls = runTransactions(verifyCalls(list, 1), plan, attempt);
    expect(calls.falseRejects).toBe(2);
    const r = runClaims(verifyClaims(list, 1), plan, attempt);
    expect(r.claims).toEqual({ genuine: 12, impostor: 16 });
    // each failing call is rescued by the other finger at the same start (1_3 and 3_2: 0.6)
    expect(r.falseRejects).toBe(0);
    expect(r.meanGenuineCalls).toBeCloseTo(14 / 12, 12);
    // finger 3's impression 4 falsely matches card 1+2 on either call of a claim: starting with 3 at
    // impression 4, and starting with 4 at impression 4 (4_4 no, then 3_4 yes)
    expect(r.falseAccepts).toBe(2);
    expect(r.fmr).toBeCloseTo(2 / 16);
    expect(r.fnmr).toBe(0);
  });
});
