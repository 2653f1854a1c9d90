import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { MinutiaeSet } from '../../../../protocols/biometrics/types.ts';
import { prepareTemplate } from '../../../../src/biometrics/match/index.ts';
import { WORDS } from '../../../../src/biometrics/match/mcc/cylinders.ts';
import { convexHull, withinHull } from '../../../../src/biometrics/match/mcc/hull.ts';
import {
  buildCylinders,
  type Cylinders,
  cylindersFor,
  MccMatcher,
} from '../../../../src/biometrics/match/mcc/index.ts';
import { randomSet, transformSet } from './fixtures.ts';

// whole degrees: fc.double favours the ends of its range, which are both "no turn" here
const placement = fc.record({
  theta: fc.integer({ min: 0, max: 359 }).map((d) => (d * Math.PI) / 180),
  dx: fc.double({ min: -150, max: 150, noNaN: true }),
  dy: fc.double({ min: -150, max: 150, noNaN: true }),
});

/** MCC score of a against b, with b's frame turned by -theta into a's (the turn the Hough stage finds) */
const mcc = (a: MinutiaeSet, b: MinutiaeSet, theta = 0) =>
  new MccMatcher(prepareTemplate(a)).score(prepareTemplate(b), Math.cos(-theta), Math.sin(-theta));

/** Cell and mask bits in which cylinder i of a and j of b differ (an empty cylinder equals itself). */
function differingBits(a: Cylinders, i: number, b: Cylinders, j: number): number {
  let n = 0;
  for (let w = 0; w < WORDS; w++) {
    for (const v of [
      a.bits[i * WORDS + w] ^ b.bits[j * WORDS + w],
      a.mask[i * WORDS + w] ^ b.mask[j * WORDS + w],
    ]) {
      for (let x = v >>> 0; x !== 0; x >>>= 1) n += x & 1;
    }
  }
  return n;
}

describe('MCC cylinders', () => {
  it('are the same, cylinder by cylinder, for a rotated and shifted copy of a template', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), placement, (seed, { theta, dx, dy }) => {
        const a = randomSet(seed, 35);
        const ca = buildCylinders(prepareTemplate(a));
        const cb = buildCylinders(prepareTemplate(transformSet(a, theta, dx, dy)));
        expect(ca.count).toBeGreaterThan(20);
        // a cell centre may land on the other side of the hull's margin or of a bit's threshold
        // after rounding: allow a stray cylinder or bit, not a different descriptor
        expect(Math.abs(ca.count - cb.count)).toBeLessThanOrEqual(1);
        let same = 0;
        for (let i = 0; i < ca.count; i++) {
          const j = cb.minutia.indexOf(ca.minutia[i]);
          if (j >= 0 && differingBits(ca, i, cb, j) <= 4) same++;
        }
        expect(same).toBeGreaterThanOrEqual(ca.count - 1);
      }),
      { numRuns: 40 },
    );
  });

  it('mark cells outside the grown hull of the minutiae invalid, and inside valid', () => {
    const h = convexHull([0, 100, 100, 0, 50], [0, 0, 100, 100, 50], 5);
    expect(h.count).toBe(4);
    expect(withinHull(h, 50, 50, 0)).toBe(true);
    expect(withinHull(h, 140, 50, 50)).toBe(true);
    expect(withinHull(h, 160, 50, 50)).toBe(false);
    expect(withinHull(h, -40, -40, 50)).toBe(false); // 56.6 px from the corner
  });

  it('are cached per prepared template', () => {
    const t = prepareTemplate(randomSet(3, 30));
    expect(cylindersFor(t)).toBe(cylindersFor(t));
  });
});

describe('MCC score (LSS-R)', () => {
  it('scores a template against itself, moved anywhere, near 1 and above any other template', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), placement, (seed, { theta, dx, dy }) => {
        const a = randomSet(seed, 40);
        const self = mcc(a, transformSet(a, theta, dx, dy), theta);
        expect(self).toBeGreaterThan(0.9);
        expect(mcc(a, randomSet(seed + 1, 40), theta)).toBeLessThan(self / 2);
      }),
      { numRuns: 30 },
    );
  });

  it('without a known turn, compares only impressions turned by less than δθ (as the paper assumes)', () => {
    const a = randomSet(9, 40);
    expect(mcc(a, transformSet(a, Math.PI / 6, 10, 10))).toBeGreaterThan(0.9);
    const turned = prepareTemplate(transformSet(a, (2 * Math.PI) / 3, 10, 10));
    expect(new MccMatcher(prepareTemplate(a)).score(turned)).toBeLessThan(0.1);
  });

  it('gives 0 for empty, tiny and degenerate sets, and stays in [0, 1] without throwing on odd input', () => {
    const full = randomSet(5, 40);
    const empty = { ...full, minutiae: [] };
    const one = { ...full, minutiae: full.minutiae.slice(0, 1) };
    const stacked = { ...full, minutiae: full.minutiae.map((m) => ({ ...m, x: 100, y: 100 })) };
    const line = { ...full, minutiae: full.minutiae.map((m, i) => ({ ...m, x: 10 + 5 * i, y: 100 })) };
    const broken = {
      ...full,
      dpiX: 0,
      minutiae: full.minutiae.map((m, i) =>
        i % 3 ? m : { ...m, x: Number.NaN, angle: Number.POSITIVE_INFINITY },
      ),
    };
    expect(mcc(empty, full)).toBe(0);
    expect(mcc(full, empty)).toBe(0);
    expect(mcc(one, full)).toBe(0);
    for (const odd of [stacked, line, broken]) {
      for (const s of [mcc(odd, full), mcc(full, odd), mcc(odd, odd)]) {
        expect(s).toBeGreaterThanOrEqual(0);
        expect(s).toBeLessThanOrEqual(1);
      }
    }
    // a pile of minutiae on one point has no structure to compare: nothing but the pile agrees
    expect(mcc(stacked, full)).toBeLessThan(0.2);
  });
});
