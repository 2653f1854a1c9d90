import { describe, expect, it } from 'vitest';
import { extractMinutiae } from '../../../../src/biometrics/extract/index.ts';
import { ridgesWithMinutia } from './synthetic.ts';

const SIZE = 200;
const X0 = 100;
const Y0 = 100;
const PERIOD = 10;

/**
 * Which side of the point carries the extra ridge: walking down a column, the spiral term
 * polarity·atan2(y - y0, x - x0) adds +polarity·π of phase right of the point and -polarity·π left
 * of it, so the right side has one period (one ridge and one valley) more when polarity is +1.
 * Checked numerically: over the image's rows the phase change differs by most of 2π (all of it
 * only for an infinitely tall column).
 */
function extraRidgeSide(polarity: 1 | -1): -1 | 1 {
  const phaseChange = (x: number) => {
    let total = 0;
    for (let y = 1; y < SIZE; y++) {
      let d = polarity * (Math.atan2(y - Y0, x - X0) - Math.atan2(y - 1 - Y0, x - X0));
      d = Math.atan2(Math.sin(d), Math.cos(d));
      total += d;
    }
    return total;
  };
  const diff = phaseChange(X0 + 30) - phaseChange(X0 - 30);
  expect(Math.abs(diff)).toBeGreaterThan(Math.PI);
  return diff > 0 ? 1 : -1;
}

function angleGap(a: number, b: number): number {
  const d = Math.abs(a - b) % (2 * Math.PI);
  return Math.min(d, 2 * Math.PI - d);
}

describe('minutia detection on a drawn minutia', () => {
  for (const polarity of [1, -1] as const) {
    for (const invert of [false, true]) {
      it(`finds the single minutia (spiral ${polarity}, ${invert ? 'inverted' : 'plain'}) with its ISO angle`, () => {
        const img = ridgesWithMinutia(SIZE, SIZE, PERIOD, X0, Y0, polarity, invert);
        const result = extractMinutiae(img);
        const near = result.minutiae.filter((m) => Math.hypot(m.x - X0, m.y - Y0) < 8);
        expect(near).toHaveLength(1);
        // Nothing else on a clean pattern: every other ridge is straight and unbroken.
        expect(result.minutiae).toHaveLength(1);
        const m = near[0];
        // The side with the extra ridge holds an ending's ridge body and a bifurcation's two branches.
        const side = extraRidgeSide(polarity);
        // Ridges are horizontal, so the angle is 0 (pointing right, +x) or π (left).
        // Ending: points into its ridge body (the side with the extra ridge).
        // Bifurcation: points into its fork, which is also the side with the extra ridge.
        const expected = side === 1 ? 0 : Math.PI;
        expect(angleGap(m.angle, expected)).toBeLessThan((10 * Math.PI) / 180);
        expect(['ending', 'bifurcation']).toContain(m.type);
      });
    }
  }

  it('calls the same point an ending in one polarity and a bifurcation in the inverted image', () => {
    const plain = extractMinutiae(ridgesWithMinutia(SIZE, SIZE, PERIOD, X0, Y0, 1, false)).minutiae;
    const inverted = extractMinutiae(ridgesWithMinutia(SIZE, SIZE, PERIOD, X0, Y0, 1, true)).minutiae;
    expect(plain).toHaveLength(1);
    expect(inverted).toHaveLength(1);
    expect(new Set([plain[0].type, inverted[0].type])).toEqual(new Set(['ending', 'bifurcation']));
  });
});
