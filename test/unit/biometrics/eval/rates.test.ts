import { describe, expect, it } from 'vitest';
import {
  equalErrorRate,
  fnmrAtFmr,
  median,
  nextUp,
  percentile,
  rateCurve,
  thresholdAtFmr,
} from '../../../../src/biometrics/eval/rates.ts';

describe('error rates on hand-made score lists', () => {
  it('EER is 0 when every genuine score beats every impostor score', () => {
    expect(equalErrorRate([0.8, 0.9, 0.7], [0.1, 0.2, 0.3])).toBe(0);
  });

  it('EER is 1 when every impostor beats every genuine score', () => {
    expect(equalErrorRate([0.1, 0.2], [0.8, 0.9])).toBe(1);
  });

  it('EER interpolates between the two thresholds where FNMR and FMR cross', () => {
    // genuine 0.4 0.6 0.7 0.8 ; impostor 0.1 0.2 0.3 0.5
    // t=0.5: FMR 1/4, FNMR 1/4 -> they meet exactly: EER 25%
    expect(equalErrorRate([0.4, 0.6, 0.7, 0.8], [0.1, 0.2, 0.3, 0.5])).toBeCloseTo(0.25, 12);
    // genuine 0.35 0.6 0.7 0.8 0.9 ; impostor 0.1 0.2 0.3 0.4
    // t=0.35: FMR 1/4 = .25, FNMR 0 (diff -.25); t=0.4: FMR .25, FNMR .2 (diff -.05);
    // t=0.6: FMR 0, FNMR .2 (diff +.2) -> w = .05/.25 = .2 -> EER = .25 + .2 * (0 - .25) = .2
    expect(equalErrorRate([0.35, 0.6, 0.7, 0.8, 0.9], [0.1, 0.2, 0.3, 0.4])).toBeCloseTo(0.2, 12);
  });

  it('rate curve: FMR falls and FNMR rises with the threshold', () => {
    const c = rateCurve([0.5, 0.9], [0.1, 0.5]);
    expect(c.map((p) => p.threshold)).toEqual([0.1, 0.5, 0.9, Number.POSITIVE_INFINITY]);
    expect(c.map((p) => p.fmr)).toEqual([1, 0.5, 0, 0]);
    expect(c.map((p) => p.fnmr)).toEqual([0, 0, 0.5, 1]);
  });

  it('threshold at FMR accepts at most floor(fmr * N) impostors', () => {
    const impostor = Array.from({ length: 1000 }, (_, i) => i / 1000); // 0.000 .. 0.999
    // 1% of 1000 = 10 may pass: the 10 highest are 0.990..0.999, so the threshold is just above 0.989
    const t = thresholdAtFmr(impostor, 0.01);
    expect(t).toBe(nextUp(0.989));
    expect(impostor.filter((s) => s >= t).length).toBe(10);
    expect(thresholdAtFmr(impostor, 0.001)).toBe(nextUp(0.998));
    expect(thresholdAtFmr([0.3], 1)).toBe(Number.NEGATIVE_INFINITY);
  });

  it('FNMR at FMR counts genuine scores below that threshold', () => {
    const impostor = Array.from({ length: 100 }, (_, i) => i / 100); // FMR 1% -> threshold just above 0.98
    const genuine = [0.5, 0.98, 0.985, 0.99, 1.0];
    expect(fnmrAtFmr(genuine, impostor, 0.01)).toBeCloseTo(2 / 5, 12);
    // ties with the last rejected impostor are rejected too
    expect(fnmrAtFmr([0.98], impostor, 0.01)).toBe(1);
    expect(Number.isNaN(fnmrAtFmr([], impostor, 0.01))).toBe(true);
    expect(Number.isNaN(equalErrorRate([1], []))).toBe(true);
  });

  it('median and percentiles interpolate between ranks', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(percentile([0, 10], 95)).toBeCloseTo(9.5, 12);
    expect(Number.isNaN(median([]))).toBe(true);
  });

  it('nextUp gives the next representable double', () => {
    expect(nextUp(1)).toBe(1 + Number.EPSILON);
    expect(nextUp(0)).toBe(Number.MIN_VALUE);
    expect(nextUp(-1)).toBeGreaterThan(-1);
    expect(nextUp(0.3)).toBeGreaterThan(0.3);
  });
});
