import { describe, expect, it } from 'vitest';
import { mixSeeds, mulberry32, Rng } from '../../../../simulator/fingerprints/prng.ts';

describe('seeded PRNG', () => {
  it('gives the same sequence for the same seed and a different one for another seed', () => {
    const a = mulberry32(7);
    const b = mulberry32(7);
    const c = mulberry32(8);
    const sa = Array.from({ length: 20 }, () => a());
    expect(Array.from({ length: 20 }, () => b())).toEqual(sa);
    expect(Array.from({ length: 20 }, () => c())).not.toEqual(sa);
  });

  it('keeps its pinned first outputs (every synthetic print depends on them)', () => {
    const r = mulberry32(0);
    expect(Math.round(r() * 4294967296)).toBe(1144304738);
    expect(Math.round(r() * 4294967296)).toBe(1416247);
  });

  it('stays in [0, 1) with a uniform-looking histogram', () => {
    const r = mulberry32(123);
    const bins = new Array(10).fill(0);
    let outside = 0;
    for (let i = 0; i < 100_000; i++) {
      const x = r();
      if (!(x >= 0 && x < 1)) outside++;
      else bins[Math.floor(x * 10)]++;
    }
    expect(outside).toBe(0);
    for (const b of bins) expect(Math.abs(b - 10_000)).toBeLessThan(400);
  });

  it('draws normals with the right mean and spread', () => {
    const rng = new Rng(5);
    let s = 0;
    let s2 = 0;
    const n = 50_000;
    for (let i = 0; i < n; i++) {
      const x = rng.normal(3, 2);
      s += x;
      s2 += x * x;
    }
    const mean = s / n;
    expect(mean).toBeCloseTo(3, 1);
    expect(Math.sqrt(s2 / n - mean * mean)).toBeCloseTo(2, 1);
  });

  it('picks weighted keys in proportion to their weights', () => {
    const rng = new Rng(9);
    const counts = { a: 0, b: 0, c: 0 };
    for (let i = 0; i < 30_000; i++) counts[rng.weighted({ a: 1, b: 2, c: 7 })]++;
    expect(counts.a / 30_000).toBeCloseTo(0.1, 1);
    expect(counts.c / 30_000).toBeCloseTo(0.7, 1);
  });

  it('mixes related seeds into unrelated ones', () => {
    const seen = new Set<number>();
    for (let f = 0; f < 100; f++) for (let i = 0; i < 10; i++) seen.add(mixSeeds(f, i));
    expect(seen.size).toBe(1000);
    expect(mixSeeds(1, 2)).not.toBe(mixSeeds(2, 1));
  });
});
