/**
 * The project's extractor and matcher on synthetic prints: impressions of one finger must score
 * above impressions of different fingers (small all-pairs run; the full figure is printed by
 * test/bench/synth/eer.ts). This checks the generator as much as the matcher: prints whose ridges
 * moved between impressions, or that all looked alike, would fail it.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { MinutiaeSet } from '../../../../protocols/biometrics/types.ts';
import { syntheticFinger } from '../../../../simulator/fingerprints/index.ts';
import { extractMinutiae } from '../../../../src/biometrics/extract/index.ts';
import { compare } from '../../../../src/biometrics/match/index.ts';

const FINGERS = 10;
const IMPRESSIONS = 3;

describe('synthetic fingerprints through the extractor and matcher', () => {
  const sets: MinutiaeSet[][] = [];
  const genuine: number[] = [];
  const impostor: number[] = [];
  beforeAll(() => {
    for (let f = 0; f < FINGERS; f++) {
      const finger = syntheticFinger(31_000 + f);
      sets.push(Array.from({ length: IMPRESSIONS }, (_, i) => extractMinutiae(finger.impression(i))));
    }
    const flat = sets.flatMap((s, f) => s.map((t) => ({ f, t })));
    for (let a = 0; a < flat.length; a++) {
      for (let b = a + 1; b < flat.length; b++) {
        (flat[a].f === flat[b].f ? genuine : impostor).push(compare(flat[a].t, flat[b].t));
      }
    }
  });

  it('extracts a natural number of minutiae from good impressions', () => {
    const counts = sets.flat().map((s) => s.minutiae.length);
    const mean = counts.reduce((s, c) => s + c, 0) / counts.length;
    expect(mean).toBeGreaterThan(20);
    expect(mean).toBeLessThan(90);
  });

  it('scores genuine pairs mostly above impostor pairs (all pairs, 10 fingers x 3 impressions)', () => {
    expect(genuine.length).toBe(FINGERS * 3);
    expect(impostor.length).toBe((FINGERS * IMPRESSIONS * (FINGERS * IMPRESSIONS - 1)) / 2 - genuine.length);
    // probability that a random genuine pair outscores a random impostor pair (ROC area)
    let wins = 0;
    for (const g of genuine) for (const i of impostor) wins += g > i ? 1 : g === i ? 0.5 : 0;
    expect(wins / (genuine.length * impostor.length)).toBeGreaterThan(0.95);
    const sortedImp = [...impostor].sort((x, y) => x - y);
    const imp99 = sortedImp[Math.floor(0.99 * sortedImp.length)];
    expect(genuine.filter((g) => g > imp99).length / genuine.length).toBeGreaterThan(0.8);
  });

  it("gives 'poor' impressions a clearly lower image quality than good ones", () => {
    const finger = syntheticFinger(31_000);
    for (const s of [7, 8, 9]) {
      const good = extractMinutiae(finger.impression(s));
      const poor = extractMinutiae(finger.impression(s, { quality: 'poor' }));
      expect(poor.quality).toBeLessThan(good.quality - 25);
    }
  });
});
