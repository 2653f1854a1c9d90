import { describe, expect, it } from 'vitest';
import type { GrayImage } from '../../../../protocols/biometrics/types.ts';
import {
  drawSkinMarks,
  hardMixFinger,
  hardMixFingerSeed,
  hardTouch,
  makeMasterFinger,
  renderImpression,
  type SkinMark,
  type TouchCondition,
} from '../../../../simulator/fingerprints/index.ts';

const mean = (img: GrayImage) => img.pixels.reduce((s, v) => s + v, 0) / img.pixels.length;
const darkShare = (img: GrayImage, below = 90) =>
  img.pixels.filter((v) => v < below).length / img.pixels.length;
function ridgeContrast(img: GrayImage): number {
  // spread of the central block, where the finger is
  const xs: number[] = [];
  for (let y = 150; y < 230; y++) for (let x = 100; x < 190; x++) xs.push(img.pixels[y * img.width + x]);
  const m = xs.reduce((s, v) => s + v, 0) / xs.length;
  return Math.sqrt(xs.reduce((s, v) => s + (v - m) ** 2, 0) / xs.length);
}

describe('hard conditions of the synthetic generator', () => {
  const master = makeMasterFinger(77);
  const base = { rotationDeg: 0, shiftX: 0, shiftY: 0 };

  it('the hard mix is deterministic: same seed, finger and impression give the same bytes', () => {
    const a = hardMixFinger(5, 3).impression(2);
    const b = hardMixFinger(5, 3).impression(2);
    expect(a.conditions).toEqual(b.conditions);
    expect(Buffer.from(a.image.pixels).equals(Buffer.from(b.image.pixels))).toBe(true);
    expect(hardMixFingerSeed(5, 3)).not.toBe(hardMixFingerSeed(5, 4));
  });

  it('draws every touch condition, rotations up to 40 degrees and shifts that leave a small overlap', () => {
    const seen = new Map<TouchCondition, number>();
    let maxRot = 0;
    let maxShift = 0;
    for (let f = 1; f <= 60; f++) {
      for (let i = 1; i <= 8; i++) {
        const { conditions, options } = hardTouch(hardMixFingerSeed(1, f), i);
        for (const c of conditions) seen.set(c, (seen.get(c) ?? 0) + 1);
        maxRot = Math.max(maxRot, Math.abs(options.rotationDeg ?? 0));
        maxShift = Math.max(maxShift, Math.abs(options.shiftX ?? 0), Math.abs(options.shiftY ?? 0));
        expect(conditions.includes('dry') && conditions.includes('wet')).toBe(false);
      }
    }
    for (const c of ['normal', 'distorted', 'rotated', 'partial', 'dry', 'wet'] as const) {
      expect(seen.get(c) ?? 0).toBeGreaterThan(20);
    }
    expect(maxRot).toBeGreaterThan(35);
    expect(maxRot).toBeLessThanOrEqual(40);
    expect(maxShift).toBeGreaterThan(100);
  });

  it('scars and creases belong to the finger: drawn from its seed, whitening the print along them', () => {
    expect(drawSkinMarks(master)).toEqual(drawSkinMarks(master));
    const scar: SkinMark = { kind: 'scar', x0: 110, y0: 150, x1: 230, y1: 260, bend: 6, width: 10 };
    // ink lost along the scar: many pixels much lighter, none much darker
    for (const seed of [1, 2]) {
      const plain = renderImpression(master, seed, base);
      const scarred = renderImpression(master, seed, { ...base, marks: [scar] });
      let lighter = 0;
      let darker = 0;
      for (let i = 0; i < plain.pixels.length; i++) {
        const d = scarred.pixels[i] - plain.pixels[i];
        if (d > 30) lighter++;
        if (d < -30) darker++;
      }
      expect(lighter).toBeGreaterThan(500);
      expect(darker).toBeLessThan(lighter / 20);
    }
  });

  it('wet blots merge ridges into dark patches; dry and faint prints lose contrast', () => {
    const plain = renderImpression(master, 3, base);
    const wet = renderImpression(master, 3, { ...base, dryness: -0.4, blots: 4 });
    expect(darkShare(wet)).toBeGreaterThan(darkShare(plain) * 1.3);
    const dry = renderImpression(master, 3, { ...base, dryness: 0.5, breaks: 0.55, faint: 0.5 });
    expect(ridgeContrast(dry)).toBeLessThan(ridgeContrast(plain) * 0.7);
  });

  it('the non-linear warp moves ridges without tearing the print', () => {
    const plain = renderImpression(master, 4, base);
    const warped = renderImpression(master, 4, { ...base, warp: 10 });
    let differ = 0;
    for (let i = 0; i < plain.pixels.length; i++)
      if (Math.abs(plain.pixels[i] - warped.pixels[i]) > 40) differ++;
    expect(differ / plain.pixels.length).toBeGreaterThan(0.05);
    // same finger area on the sensor, within a few percent (a fold or tear would change it a lot)
    expect(Math.abs(mean(warped) - mean(plain))).toBeLessThan(6);
  });
});
