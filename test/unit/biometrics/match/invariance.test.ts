import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compare, DEFAULT_THRESHOLD } from '../../../../src/biometrics/match/index.ts';
import { fvcPresent, isoTemplate, randomSet, transformSet } from './fixtures.ts';

const placement = fc.record({
  theta: fc.double({ min: 0, max: 2 * Math.PI, noNaN: true }),
  dx: fc.double({ min: -150, max: 150, noNaN: true }),
  dy: fc.double({ min: -150, max: 150, noNaN: true }),
});

describe('invariance to where and how the finger lies', () => {
  it('a template matches any rotated and shifted copy of itself almost perfectly', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), placement, (seed, { theta, dx, dy }) => {
        const a = randomSet(seed, 35);
        expect(compare(a, transformSet(a, theta, dx, dy))).toBeGreaterThan(0.9);
      }),
      { numRuns: 60 },
    );
  });

  it.skipIf(!fvcPresent)(
    'rotating and shifting one side of a genuine pair leaves its score nearly unchanged',
    () => {
      const a = isoTemplate('DB1_B', '102_1');
      const b = isoTemplate('DB1_B', '102_3');
      const base = compare(a, b);
      expect(base).toBeGreaterThan(DEFAULT_THRESHOLD);
      fc.assert(
        fc.property(placement, ({ theta, dx, dy }) => {
          const moved = compare(a, transformSet(b, theta, dx, dy));
          expect(Math.abs(moved - base)).toBeLessThan(0.1);
          expect(moved).toBeGreaterThan(DEFAULT_THRESHOLD);
        }),
        { numRuns: 60 },
      );
    },
  );

  it.skipIf(!fvcPresent)('rotating an impostor does not make it match', () => {
    const a = isoTemplate('DB1_B', '102_1');
    const b = isoTemplate('DB1_B', '108_1');
    fc.assert(
      fc.property(placement, ({ theta, dx, dy }) => {
        expect(compare(a, transformSet(b, theta, dx, dy))).toBeLessThan(DEFAULT_THRESHOLD);
      }),
      { numRuns: 40 },
    );
  });
});

describe('scale: templates meet at 500 dpi whatever their resolution', () => {
  it('a copy recorded at 569 dpi (coordinates scaled up) still matches', () => {
    const a = randomSet(77, 40);
    const k = 569 / 500;
    const hiRes = {
      ...a,
      width: Math.round(a.width * k),
      height: Math.round(a.height * k),
      dpiX: 569,
      dpiY: 569,
      minutiae: a.minutiae.map((m) => ({ ...m, x: m.x * k, y: m.y * k })),
    };
    expect(compare(a, hiRes)).toBeGreaterThan(0.9);
  });

  it('a resolution claimed wrongly by a factor 2 does not match', () => {
    // (a 14% error, 569 dpi claimed as 500, is a smooth deformation that the elastic re-pairing
    // absorbs as it absorbs skin distortion; twice the spacing breaks every edge length)
    const a = randomSet(77, 40);
    const wrong = {
      ...a,
      width: a.width * 2,
      height: a.height * 2,
      minutiae: a.minutiae.map((m) => ({ ...m, x: m.x * 2, y: m.y * 2 })),
    };
    expect(compare(a, { ...wrong, dpiX: 1000, dpiY: 1000 })).toBeGreaterThan(0.9);
    expect(compare(a, wrong)).toBeLessThan(DEFAULT_THRESHOLD);
  });

  it('unequal x/y resolutions are undone, directions included', () => {
    const a = randomSet(78, 40);
    const squeezed = {
      ...a,
      dpiX: 250,
      minutiae: a.minutiae.map((m) => ({
        ...m,
        x: m.x / 2,
        // direction (cos, -sin) with x halved
        angle: (Math.atan2(Math.sin(m.angle), Math.cos(m.angle) / 2) + 2 * Math.PI) % (2 * Math.PI),
      })),
    };
    expect(compare(a, squeezed)).toBeGreaterThan(0.9);
  });
});
