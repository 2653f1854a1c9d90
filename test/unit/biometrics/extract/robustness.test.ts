import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { extractMinutiae } from '../../../../src/biometrics/extract/index.ts';
import { sinusoidRidges } from './synthetic.ts';

describe('extraction robustness', () => {
  it('never throws and keeps every output in range, whatever the pixels, size and dpi', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 64, max: 180 }),
        fc.integer({ min: 64, max: 180 }),
        fc.integer({ min: 250, max: 1000 }),
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        fc.constantFrom('noise', 'flat', 'ridges'),
        (w500, h500, dpi, seed, kind) => {
          // Sizes are drawn at 500 dpi and scaled, so every image is a plausible patch of finger.
          const width = Math.max(64, Math.ceil((w500 * dpi) / 500));
          const height = Math.max(64, Math.ceil((h500 * dpi) / 500));
          let s = seed;
          const rand = () => {
            s = (Math.imul(s, 1103515245) + 12345) >>> 0;
            return s / 2 ** 32;
          };
          const pixels =
            kind === 'ridges'
              ? // Real ridge periods: 0.35 to 0.6 mm.
                sinusoidRidges(width, height, rand() * Math.PI, ((0.35 + rand() * 0.25) * dpi) / 25.4).pixels
              : Uint8Array.from({ length: width * height }, () =>
                  kind === 'flat' ? 200 : Math.floor(rand() * 256),
                );
          const r = extractMinutiae({ width, height, dpi, pixels });
          expect(r).toMatchObject({ width, height, dpiX: dpi, dpiY: dpi });
          expect(r.imageQuality).toBeGreaterThanOrEqual(0);
          expect(r.imageQuality).toBeLessThanOrEqual(100);
          expect(r.foregroundRatio).toBeGreaterThanOrEqual(0);
          expect(r.foregroundRatio).toBeLessThanOrEqual(1);
          for (const m of r.minutiae) {
            expect(m.x).toBeGreaterThanOrEqual(0);
            expect(m.x).toBeLessThan(width);
            expect(m.y).toBeGreaterThanOrEqual(0);
            expect(m.y).toBeLessThan(height);
            expect(m.angle).toBeGreaterThanOrEqual(0);
            expect(m.angle).toBeLessThan(2 * Math.PI);
          }
          // Straight parallel ridges hold no minutia anywhere.
          if (kind === 'ridges') expect(r.minutiae).toEqual([]);
        },
      ),
      { numRuns: 40, seed: 20261125 },
    );
  });

  it('works on large high-resolution images too', () => {
    const img = { ...sinusoidRidges(600, 640, 1.1, 18), dpi: 1000 };
    const r = extractMinutiae(img);
    expect(r).toMatchObject({ width: 600, height: 640, dpiX: 1000 });
    expect(r.minutiae).toEqual([]);
    expect(r.foregroundRatio).toBeGreaterThan(0.7);
  });

  it('rejects sizes and resolutions it cannot work with', () => {
    const ok = sinusoidRidges(100, 100, 0, 9);
    expect(() => extractMinutiae({ ...ok, dpi: 100 })).toThrow(/dpi/);
    expect(() => extractMinutiae({ ...ok, width: 40, height: 250 })).toThrow(/64/);
    // 100 px at 1000 dpi is 50 px at the working 500 dpi: too small a patch of finger.
    expect(() => extractMinutiae({ ...ok, dpi: 1000 })).toThrow(/64/);
  });
});
