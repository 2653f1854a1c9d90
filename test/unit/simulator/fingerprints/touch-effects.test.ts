import { describe, expect, it } from 'vitest';
import type { GrayImage } from '../../../../protocols/biometrics/types.ts';
import { Rng } from '../../../../simulator/fingerprints/prng.ts';
import { realHardTouch } from '../../../../simulator/fingerprints/real-hard.ts';
import {
  dryTouch,
  landingPoint,
  placeTouch,
  printStats,
  type TouchPlacement,
  wetTouch,
} from '../../../../simulator/fingerprints/touch-effects.ts';

/** A whorl-like test print: dark rings 9 px apart on a bright platen, no pixel at 0 or 255. */
function ringPrint(width = 220, height = 260, dpi = 500): GrayImage {
  const pixels = new Uint8Array(width * height);
  const cx = width * 0.5;
  const cy = height * 0.45;
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const r = Math.hypot(x - cx, (y - cy) * 0.8);
      const inside = Math.max(0, Math.min(1, (85 - r) / 6));
      const ridge = 0.5 + 0.5 * Math.cos((2 * Math.PI * r) / 9);
      pixels[y * width + x] = Math.round(230 - 200 * inside * ridge);
    }
  return { width, height, dpi, pixels };
}

const minOf = (img: GrayImage) => img.pixels.reduce((m, v) => Math.min(m, v), 255);
const darkShare = (img: GrayImage) => img.pixels.filter((v) => v < 110).length / img.pixels.length;
const same = (a: GrayImage, b: GrayImage) => Buffer.from(a.pixels).equals(Buffer.from(b.pixels));

const strongOuterMotion = (rotation: number): TouchPlacement => ({
  rotation,
  shiftX: 12,
  shiftY: -9,
  plastic: { cx: 0, cy: 0, rx: 35, ry: 45, k: 60, rotation: 0.12, tx: 30, ty: -25 },
});

describe('touch effects on any grey print', () => {
  const src = ringPrint();
  const stats = printStats(src);

  it('finds the print: bright background, dark ridges, centre on the rings', () => {
    expect(stats.background).toBeGreaterThan(200);
    expect(stats.ridge).toBeLessThan(80);
    expect(Math.abs(stats.centreX - 110)).toBeLessThan(10);
    expect(Math.abs(stats.centreY - 117)).toBeLessThan(12);
  });

  it('keeps the close-contact region rigid: inside it every pixel is the rigidly placed source, exactly', () => {
    for (const rotation of [0, 0.4]) {
      const t = strongOuterMotion(rotation);
      const distorted = placeTouch(src, stats, t);
      const rigid = placeTouch(src, stats, { ...t, plastic: { ...t.plastic, rotation: 0, tx: 0, ty: 0 } });
      const [lx, ly] = landingPoint(src, t, stats.centreX, stats.centreY);
      let inside = 0;
      let outsideChanged = 0;
      for (let y = 0; y < src.height; y++)
        for (let x = 0; x < src.width; x++) {
          const e = ((x - lx) / 35) ** 2 + ((y - ly) / 45) ** 2;
          const i = y * src.width + x;
          if (e < 0.95) {
            inside++;
            expect(distorted.pixels[i]).toBe(rigid.pixels[i]);
          } else if (e > 4 && distorted.pixels[i] !== rigid.pixels[i]) outsideChanged++;
        }
      expect(inside).toBeGreaterThan(3000);
      // and the outer region really moved
      expect(outsideChanged).toBeGreaterThan(2000);
    }
  });

  it('with no motion at all the print comes back unchanged (no NaN, no off-by-one in the sampling)', () => {
    const still: TouchPlacement = {
      rotation: 0,
      shiftX: 0,
      shiftY: 0,
      plastic: { cx: 0, cy: 0, rx: 40, ry: 50, k: 60, rotation: 0, tx: 0, ty: 0 },
    };
    expect(same(placeTouch(src, stats, still), src)).toBe(true);
  });

  it('dry skin lightens and breaks the ridges, wet skin darkens and merges them; sizes kept, no NaN', () => {
    const dry = dryTouch(src, stats, new Rng(3), 0.9);
    const wet = wetTouch(src, stats, new Rng(3), 0.9);
    for (const img of [dry, wet]) {
      expect([img.width, img.height, img.dpi]).toEqual([src.width, src.height, src.dpi]);
      // a NaN would be stored as 0; the darkest a touch may go is the print's ridge level
      expect(minOf(img)).toBeGreaterThanOrEqual(stats.ridge);
    }
    expect(darkShare(dry)).toBeLessThan(0.6 * darkShare(src));
    expect(darkShare(wet)).toBeGreaterThan(1.3 * darkShare(src));
  });
});

describe('real-hard touches', () => {
  const src = ringPrint(240, 280);

  it('are deterministic from (seed, finger, impression), and differ between impressions', () => {
    for (const set of ['distort', 'drywet'] as const) {
      const a = realHardTouch(set, src, 1, 105, 3);
      const b = realHardTouch(set, src, 1, 105, 3);
      expect(same(a.image, b.image)).toBe(true);
      expect(a.drawn).toEqual(b.drawn);
      expect(same(a.image, realHardTouch(set, src, 1, 105, 4).image)).toBe(false);
      expect([a.image.width, a.image.height, a.image.dpi]).toEqual([240, 280, 500]);
    }
  });

  it('distort draws rotations within +/-35 degrees and outer drags of 20-55 px at 500 dpi', () => {
    const small = ringPrint(120, 140);
    let maxRot = 0;
    for (let i = 1; i <= 40; i++) {
      const { drawn, condition } = realHardTouch('distort', small, 9, 101, i);
      expect(condition).toBe('distorted');
      expect(Math.abs(drawn.rotationDeg)).toBeLessThanOrEqual(35);
      expect(drawn.outerDragPx).toBeGreaterThanOrEqual(20);
      expect(drawn.outerDragPx).toBeLessThanOrEqual(55);
      maxRot = Math.max(maxRot, Math.abs(drawn.rotationDeg));
    }
    expect(maxRot).toBeGreaterThan(20);
  });

  it('drywet mixes dry, wet and normal touches', () => {
    const small = ringPrint(120, 140);
    const seen = new Set<string>();
    for (let i = 1; i <= 24; i++) seen.add(realHardTouch('drywet', small, 9, 101, i).condition);
    expect([...seen].sort()).toEqual(['dry', 'normal', 'wet']);
  });
});
