import { describe, expect, it } from 'vitest';
import type { GrayImage } from '../../../../protocols/biometrics/types.ts';
import { resampleTo500dpi, resampleToDpi } from '../../../../src/biometrics/image/index.ts';

function image(w: number, h: number, dpi: number, f: (x: number, y: number) => number): GrayImage {
  const pixels = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) pixels[y * w + x] = f(x, y);
  return { width: w, height: h, dpi, pixels };
}

describe('resampleTo500dpi', () => {
  it('keeps a flat image flat at any scale', () => {
    for (const dpi of [254, 569, 1000]) {
      const out = resampleTo500dpi(image(50, 40, dpi, () => 77));
      expect(out.pixels.every((v) => v === 77)).toBe(true);
    }
  });

  it('sizes follow the dpi ratio', () => {
    const out = resampleTo500dpi(image(100, 60, 1000, () => 0));
    expect([out.width, out.height, out.dpi]).toEqual([50, 30, 500]);
    const up = resampleTo500dpi(image(100, 60, 250, () => 0));
    expect([up.width, up.height]).toEqual([200, 120]);
  });

  it('averages fine stripes when shrinking instead of aliasing them', () => {
    const stripes = image(200, 20, 1000, (x) => (x % 2 ? 255 : 0));
    const out = resampleTo500dpi(stripes);
    for (let x = 2; x < out.width - 2; x++)
      expect(Math.abs(out.pixels[5 * out.width + x] - 128)).toBeLessThan(20);
  });

  it('interpolates a linear ramp linearly when enlarging', () => {
    const rampImg = image(50, 4, 250, (x) => x * 4);
    const out = resampleTo500dpi(rampImg);
    const row = Array.from(out.pixels.subarray(out.width, 2 * out.width));
    for (let x = 2; x < out.width - 2; x++) expect(row[x + 1] - row[x]).toBeGreaterThanOrEqual(1);
    expect(Math.abs(row[50] - 4 * ((50 + 0.5) / 2 - 0.5))).toBeLessThanOrEqual(1);
  });

  it('returns a copy when the size does not change', () => {
    const src = image(30, 30, 500.38, () => 9);
    const out = resampleToDpi(src, 500);
    expect(out.pixels).not.toBe(src.pixels);
    expect(out.dpi).toBe(500);
  });
});
