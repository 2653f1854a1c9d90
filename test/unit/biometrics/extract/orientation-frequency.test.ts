import { describe, expect, it } from 'vitest';
import {
  estimateOrientationField,
  estimateRidgeFrequency,
  normaliseLocal,
} from '../../../../src/biometrics/extract/index.ts';
import { sinusoidRidges } from './synthetic.ts';

/** Difference of two orientations (mod π), in [0, π/2]. */
function orientationError(a: number, b: number): number {
  const d = Math.abs(a - b) % Math.PI;
  return Math.min(d, Math.PI - d);
}

describe('orientation field', () => {
  for (const degrees of [0, 30, 45, 90, 135, 160]) {
    it(`finds ridges drawn at ${degrees}° (image axes) with high coherence`, () => {
      const angle = (degrees * Math.PI) / 180;
      const img = sinusoidRidges(160, 160, angle, 9);
      const field = estimateOrientationField(img.pixels, img.width, img.height, { blockSize: 8 });
      expect(field.cols).toBe(20);
      // Interior blocks only: the Sobel window and smoothing see the image edge elsewhere.
      for (let by = 3; by < field.rows - 3; by++) {
        for (let bx = 3; bx < field.cols - 3; bx++) {
          const b = by * field.cols + bx;
          expect(orientationError(field.angle[b], angle)).toBeLessThan((3 * Math.PI) / 180);
          expect(field.angle[b]).toBeGreaterThanOrEqual(0);
          expect(field.angle[b]).toBeLessThan(Math.PI);
          expect(field.coherence[b]).toBeGreaterThan(0.9);
        }
      }
    });
  }

  it('has low coherence and energy on a flat image', () => {
    const pixels = new Uint8Array(96 * 96).fill(200);
    const field = estimateOrientationField(pixels, 96, 96);
    expect(Math.max(...field.energy)).toBe(0);
    expect(Math.max(...field.coherence)).toBe(0);
  });
});

describe('ridge frequency', () => {
  for (const [degrees, period] of [
    [0, 9],
    [60, 7],
    [100, 12],
  ] as const) {
    it(`measures a period of ${period} px for ridges at ${degrees}°`, () => {
      const img = sinusoidRidges(192, 192, (degrees * Math.PI) / 180, period);
      const field = estimateOrientationField(img.pixels, img.width, img.height);
      const norm = normaliseLocal(img.pixels, img.width, img.height);
      const freq = estimateRidgeFrequency(norm, img.width, img.height, field);
      for (let by = 4; by < freq.rows - 4; by++) {
        for (let bx = 4; bx < freq.cols - 4; bx++) {
          expect(Math.abs(freq.period[by * freq.cols + bx] - period)).toBeLessThan(0.5);
        }
      }
    });
  }

  it('leaves blocks outside the mask at 0 and fills masked-in blocks', () => {
    const img = sinusoidRidges(128, 128, 0.3, 10);
    const field = estimateOrientationField(img.pixels, img.width, img.height);
    const mask = new Uint8Array(field.cols * field.rows);
    for (let i = 0; i < mask.length; i++) mask[i] = i % field.cols < field.cols / 2 ? 1 : 0;
    const freq = estimateRidgeFrequency(
      normaliseLocal(img.pixels, img.width, img.height),
      img.width,
      img.height,
      field,
      mask,
    );
    for (let i = 0; i < mask.length; i++) {
      if (mask[i]) expect(freq.period[i]).toBeGreaterThan(8);
      else expect(freq.period[i]).toBe(0);
    }
  });
});
