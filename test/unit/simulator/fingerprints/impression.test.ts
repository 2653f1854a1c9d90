import { describe, expect, it } from 'vitest';
import type { GrayImage } from '../../../../protocols/biometrics/types.ts';
import {
  makeMasterFinger,
  renderImpression,
  SENSOR_SIZES,
  syntheticFinger,
} from '../../../../simulator/fingerprints/index.ts';

function stats(img: GrayImage): { mean: number; sd: number; p05: number; p95: number } {
  let s = 0;
  let s2 = 0;
  const hist = new Array(256).fill(0);
  for (const v of img.pixels) {
    s += v;
    s2 += v * v;
    hist[v]++;
  }
  const n = img.pixels.length;
  const pct = (q: number) => {
    let acc = 0;
    for (let v = 0; v < 256; v++) {
      acc += hist[v];
      if (acc >= q * n) return v;
    }
    return 255;
  };
  const mean = s / n;
  return { mean, sd: Math.sqrt(s2 / n - mean * mean), p05: pct(0.05), p95: pct(0.95) };
}

/** Dominant ridge period (px) of a square block, from the peak of its 2-D DFT (Hann window). */
function dominantPeriod(img: GrayImage, x0: number, y0: number, size: number): number {
  const block = new Float64Array(size * size);
  let mean = 0;
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++) mean += img.pixels[(y0 + y) * img.width + x0 + x];
  mean /= size * size;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const w =
        (0.5 - 0.5 * Math.cos((2 * Math.PI * (x + 0.5)) / size)) *
        (0.5 - 0.5 * Math.cos((2 * Math.PI * (y + 0.5)) / size));
      block[y * size + x] = w * (img.pixels[(y0 + y) * img.width + x0 + x] - mean);
    }
  }
  let best = 0;
  let bestR = 0;
  // frequencies from period 4 px to period 20 px (half plane is enough: the spectrum is symmetric)
  for (let v = 0; v <= size / 4; v++) {
    for (let u = -size / 4; u <= size / 4; u++) {
      const r = Math.hypot(u, v);
      if (r < size / 20 || r > size / 4) continue;
      let re = 0;
      let im = 0;
      for (let y = 0; y < size; y++) {
        for (let x = 0; x < size; x++) {
          const a = (-2 * Math.PI * (u * x + v * y)) / size;
          re += block[y * size + x] * Math.cos(a);
          im += block[y * size + x] * Math.sin(a);
        }
      }
      const p = re * re + im * im;
      if (p > best) {
        best = p;
        bestR = r;
      }
    }
  }
  return size / bestR;
}

/** Pixel noise: mean |pixel − mean of its 4 neighbours| over a background strip (no finger there). */
function backgroundNoise(img: GrayImage): number {
  let s = 0;
  let n = 0;
  for (let y = 1; y < 12; y++) {
    for (let x = 1; x < img.width - 1; x++) {
      const i = y * img.width + x;
      const p = img.pixels;
      s += Math.abs(p[i] - (p[i - 1] + p[i + 1] + p[i - img.width] + p[i + img.width]) / 4);
      n++;
    }
  }
  return s / n;
}

/**
 * Ridge/valley contrast at ridge scale, insensitive to pixel noise and to slow shading: mean
 * |smoothed − local mean| over the centre, where smoothed is a 3x3 mean and local mean an 11x11 one.
 */
function ridgeContrast(img: GrayImage): number {
  const boxMean = (x: number, y: number, r: number) => {
    let s = 0;
    for (let dy = -r; dy <= r; dy++)
      for (let dx = -r; dx <= r; dx++) s += img.pixels[(y + dy) * img.width + x + dx];
    return s / (2 * r + 1) ** 2;
  };
  let s = 0;
  let n = 0;
  for (let y = 150; y < 234; y += 2) {
    for (let x = 100; x < 188; x += 2) {
      s += Math.abs(boxMean(x, y, 1) - boxMean(x, y, 5));
      n++;
    }
  }
  return s / n;
}

const master = makeMasterFinger(4242);

describe('impressions', () => {
  it('are deterministic from (finger seed, impression seed)', () => {
    const a = renderImpression(master, 3);
    const b = renderImpression(makeMasterFinger(4242), 3);
    expect(Buffer.from(a.pixels).equals(Buffer.from(b.pixels))).toBe(true);
    const c = renderImpression(master, 4);
    expect(Buffer.from(a.pixels).equals(Buffer.from(c.pixels))).toBe(false);
    const d = syntheticFinger(4243).impression(3);
    expect(Buffer.from(a.pixels).equals(Buffer.from(d.pixels))).toBe(false);
  });

  it('come out at the sensor size, 500 dpi, 8-bit', () => {
    const a = renderImpression(master, 0);
    expect([a.width, a.height, a.dpi, a.pixels.length]).toEqual([288, 384, 500, 288 * 384]);
    const g = renderImpression(master, 0, SENSOR_SIZES.growR30x);
    expect([g.width, g.height, g.pixels.length]).toEqual([256, 288, 256 * 288]);
  });

  it('have FVC2002 DB4-like grey statistics (dark ridges on a light background)', () => {
    for (let f = 0; f < 6; f++) {
      const finger = syntheticFinger(900 + f);
      for (let i = 0; i < 2; i++) {
        const s = stats(finger.impression(i));
        // DB4_B measures mean 132-158, standard deviation 28-51, 5th percentile 27-108, 95th 184-196
        expect(s.mean).toBeGreaterThan(110);
        expect(s.mean).toBeLessThan(175);
        expect(s.sd).toBeGreaterThan(25);
        expect(s.sd).toBeLessThan(60);
        expect(s.p05).toBeLessThan(110);
        expect(s.p95).toBeGreaterThan(165);
        expect(s.p95 - s.p05).toBeGreaterThan(80);
      }
    }
  });

  it('keep the ridge period near 9 px at 500 dpi (DFT of a central block)', () => {
    for (let f = 0; f < 4; f++) {
      const finger = syntheticFinger(700 + f);
      const img = finger.impression(0, { rotationDeg: 0, distortion: 0, shiftX: 0, shiftY: 0 });
      const p = dominantPeriod(img, img.width / 2 - 32, img.height / 2 - 32, 64);
      expect(p).toBeGreaterThan(7.2);
      expect(p).toBeLessThan(10.8);
    }
  });

  it('are not copies of each other: several impressions of one finger differ but stay correlated', () => {
    const a = renderImpression(master, 0, { rotationDeg: 0, distortion: 0, shiftX: 0, shiftY: 0 });
    const b = renderImpression(master, 1, { rotationDeg: 0, distortion: 0, shiftX: 0, shiftY: 0 });
    const c = renderImpression(makeMasterFinger(4243), 0, {
      rotationDeg: 0,
      distortion: 0,
      shiftX: 0,
      shiftY: 0,
    });
    const corr = (x: GrayImage, y: GrayImage) => {
      // central region only, where both show ridges
      let sx = 0;
      let sy = 0;
      let sxx = 0;
      let syy = 0;
      let sxy = 0;
      let n = 0;
      for (let yy = 140; yy < 240; yy++) {
        for (let xx = 90; xx < 200; xx++) {
          const i = yy * x.width + xx;
          const u = x.pixels[i];
          const v = y.pixels[i];
          sx += u;
          sy += v;
          sxx += u * u;
          syy += v * v;
          sxy += u * v;
          n++;
        }
      }
      const cov = sxy / n - (sx / n) * (sy / n);
      return cov / Math.sqrt((sxx / n - (sx / n) ** 2) * (syy / n - (sy / n) ** 2));
    };
    // same finger, same placement: ridges coincide although skin and noise differ
    expect(corr(a, b)).toBeGreaterThan(0.5);
    expect(corr(a, b)).toBeLessThan(0.98);
    // another finger: no relation
    expect(Math.abs(corr(a, c))).toBeLessThan(0.2);
  });

  it('rotation turns the print: the same finger at +10 deg correlates best when turned back', () => {
    const flat = renderImpression(master, 5, { rotationDeg: 0, distortion: 0, shiftX: 0, shiftY: 0 });
    const turned = renderImpression(master, 5, { rotationDeg: 10, distortion: 0, shiftX: 0, shiftY: 0 });
    expect(Buffer.from(flat.pixels).equals(Buffer.from(turned.pixels))).toBe(false);
    // sample `turned` at points of `flat` turned by +10° about the centre
    const score = (deg: number) => {
      const r = (deg * Math.PI) / 180;
      let s = 0;
      let n = 0;
      for (let y = 150; y < 234; y += 2) {
        for (let x = 100; x < 188; x += 2) {
          const dx = x - 144;
          const dy = y - 192;
          const tx = Math.round(144 + dx * Math.cos(r) + dy * Math.sin(r));
          const ty = Math.round(192 - dx * Math.sin(r) + dy * Math.cos(r));
          s += (flat.pixels[y * 288 + x] - 128) * (turned.pixels[ty * 288 + tx] - 128);
          n++;
        }
      }
      return s / n;
    };
    expect(score(10)).toBeGreaterThan(score(0));
    expect(score(10)).toBeGreaterThan(score(-10));
  });

  it("quality 'poor' is noisier and lower in ridge contrast than 'good'", () => {
    const same = { rotationDeg: 0, distortion: 1, shiftX: 0, shiftY: 0 };
    for (let s = 0; s < 3; s++) {
      const good = renderImpression(master, s, { ...same, quality: 'good' });
      const poor = renderImpression(master, s, { ...same, quality: 'poor' });
      expect(backgroundNoise(poor)).toBeGreaterThan(2 * backgroundNoise(good));
      expect(ridgeContrast(poor)).toBeLessThan(0.75 * ridgeContrast(good));
    }
  });
});
