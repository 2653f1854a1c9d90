import { describe, expect, it } from 'vitest';
import type { MinutiaeSet } from '../../../../protocols/biometrics/types.ts';
import {
  compare,
  compareMany,
  DEFAULT_THRESHOLD,
  ProbeMatcher,
  preparedFor,
  THRESHOLDS,
} from '../../../../src/biometrics/match/index.ts';
import { FUSION_HOUGH_FLOOR } from '../../../../src/biometrics/match/params.ts';
import { fvcPresent, isoTemplate, randomSet, transformSet } from './fixtures.ts';

const empty: MinutiaeSet = {
  width: 300,
  height: 300,
  dpiX: 500,
  dpiY: 500,
  minutiae: [],
  quality: 0,
  fingerPosition: 0,
};

describe('compare: degenerate input', () => {
  it('gives 0 for empty and tiny sets without throwing', () => {
    const full = randomSet(1, 40);
    const one = { ...full, minutiae: full.minutiae.slice(0, 1) };
    const two = { ...full, minutiae: full.minutiae.slice(0, 2) };
    expect(compare(empty, empty)).toBe(0);
    expect(compare(empty, full)).toBe(0);
    expect(compare(full, empty)).toBe(0);
    expect(compare(one, full)).toBe(0);
    expect(compare(full, one)).toBe(0);
    // two minutiae agree with anything that has them; the overlap floor keeps that far from a match
    expect(compare(two, full)).toBeLessThan(THRESHOLDS.fmr1pct);
    expect(compareMany(empty, [full, empty])).toEqual(new Float64Array([0, 0]));
  });

  it('ignores minutiae with non-finite values and zero dpi', () => {
    const full = randomSet(2, 40);
    const broken = {
      ...full,
      dpiX: 0,
      dpiY: 0,
      minutiae: [...full.minutiae, { x: Number.NaN, y: 1, angle: 0, type: 'ending' as const, quality: 0 }],
    };
    expect(compare(broken, full)).toBeGreaterThan(0.9);
  });

  it('ignores minutiae with absurd coordinates or a near-zero dpi instead of throwing', () => {
    const full = randomSet(2, 40);
    const far = { x: 5, y: -1e300, angle: 0, type: 'ending' as const, quality: 0 };
    const broken = { ...full, minutiae: [...full.minutiae, far, { ...far, x: 1e9, y: 3 }] };
    expect(compare(broken, full)).toBeGreaterThan(0.9);
    expect(compare(full, broken)).toBeGreaterThan(0.9);
    const tinyDpi = { ...full, dpiX: 1e-300, dpiY: 1e-300 };
    expect(compare(tinyDpi, full)).toBe(0);
  });

  it('scores a template against itself near 1 and unrelated random sets low', () => {
    const a = randomSet(3, 40);
    expect(compare(a, a)).toBeGreaterThan(0.95);
    for (let seed = 10; seed < 20; seed++)
      expect(compare(a, randomSet(seed, 40))).toBeLessThan(DEFAULT_THRESHOLD);
  });

  it('thresholds are ordered by strictness', () => {
    expect(THRESHOLDS.fmr1pct).toBeLessThan(THRESHOLDS.fmr01pct);
    expect(THRESHOLDS.fmr01pct).toBeLessThan(THRESHOLDS.fmr001pct);
    expect(DEFAULT_THRESHOLD).toBe(THRESHOLDS.fmr01pct);
  });
});

describe('scoreParts: the score and what it is fused from', () => {
  it('gives the same score as compare, fused from its Hough and MCC parts', () => {
    const card = randomSet(3, 40);
    const same = transformSet(card, 0.3, 12, -8);
    const other = randomSet(4, 40);
    for (const probe of [same, other]) {
      const m = new ProbeMatcher(preparedFor(probe));
      const parts = m.scoreParts(preparedFor(card));
      expect(parts.score).toBe(compare(probe, card));
      expect(parts.score).toBeCloseTo(Math.sqrt(Math.max(parts.hough, FUSION_HOUGH_FLOOR) * parts.mcc), 12);
      // the reused scratch object is not handed out: a later comparison does not change it
      const kept = { ...parts };
      m.scoreParts(preparedFor(other));
      expect(parts).toEqual(kept);
    }
    expect(new ProbeMatcher(preparedFor(same)).scoreParts(preparedFor(card)).hough).toBeGreaterThan(0.3);
  });
});

describe.skipIf(!fvcPresent)('compare on FVC2002 templates', () => {
  it('scores genuine pairs above and impostor pairs below the default threshold', () => {
    // Fixed pairs from DB1_B (commercial templates of impressions 1 and 2 of the same finger)
    expect(compare(isoTemplate('DB1_B', '101_1'), isoTemplate('DB1_B', '101_2'))).toBeGreaterThan(
      DEFAULT_THRESHOLD,
    );
    expect(compare(isoTemplate('DB1_B', '105_1'), isoTemplate('DB1_B', '105_3'))).toBeGreaterThan(
      DEFAULT_THRESHOLD,
    );
    expect(compare(isoTemplate('DB1_B', '101_1'), isoTemplate('DB1_B', '102_1'))).toBeLessThan(
      DEFAULT_THRESHOLD,
    );
    expect(compare(isoTemplate('DB1_B', '103_2'), isoTemplate('DB1_B', '107_5'))).toBeLessThan(
      DEFAULT_THRESHOLD,
    );
  });

  it('separates most genuine from impostor pairs of a whole set (first impressions protocol)', () => {
    const ids = Array.from({ length: 10 }, (_, f) => 101 + f);
    const t = (f: number, i: number) => isoTemplate('DB2_B', `${f}_${i}`);
    let genuineAbove = 0;
    for (const f of ids) if (compare(t(f, 1), t(f, 2)) >= DEFAULT_THRESHOLD) genuineAbove++;
    let impostorAbove = 0;
    for (const f of ids)
      for (const g of ids) if (f < g && compare(t(f, 1), t(g, 1)) >= DEFAULT_THRESHOLD) impostorAbove++;
    expect(genuineAbove).toBeGreaterThanOrEqual(8);
    expect(impostorAbove).toBe(0);
  });

  it('compareMany gives exactly the scores of compare, in gallery order', () => {
    const probe = isoTemplate('DB3_B', '104_1');
    const gallery = ['104_2', '105_1', '104_5', '110_8'].map((id) => isoTemplate('DB3_B', id));
    const many = compareMany(probe, gallery);
    expect([...many]).toEqual(gallery.map((c) => compare(probe, c)));
  });

  it('is close to symmetric', () => {
    for (const [a, b] of [
      ['101_1', '101_4'],
      ['106_2', '106_7'],
      ['102_1', '109_3'],
    ]) {
      const x = isoTemplate('DB1_B', a);
      const y = isoTemplate('DB1_B', b);
      expect(Math.abs(compare(x, y) - compare(y, x))).toBeLessThan(0.1);
    }
  });
});
