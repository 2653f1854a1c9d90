/**
 * The 1:N shortlist stage (docs/matching.md, "1:N shortlist") through the real pool: on a synthetic
 * gallery it must give the same top-1 as the exhaustive search, never cut a probe's mate, score the
 * entries it compares exactly as the exhaustive search does, and really skip most of the gallery.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { fuseBest } from '../../../../src/biometrics/pool/gallery-scan.ts';
import { MatchPool } from '../../../../src/biometrics/pool/index.ts';
import { selectShortlist } from '../../../../src/biometrics/pool/shortlist-plan.ts';
import { liveImpression, syntheticEntries } from '../../gallery/synthetic-gallery.ts';

const argmax = (xs: Float64Array): number => xs.reduce((best, x, i) => (x > xs[best] ? i : best), 0);

describe('selectShortlist', () => {
  const rank = Int32Array.from([5, 1, 9, 5, 0, 7, 5]);
  const pick = (keep: number) => Array.from(selectShortlist(rank, rank.length, keep));
  it('keeps exactly the keep best, ties at the cut broken by gallery order', () => {
    expect(pick(1)).toEqual([0, 0, 1, 0, 0, 0, 0]);
    expect(pick(3)).toEqual([1, 0, 1, 0, 0, 1, 0]); // 9, 7, then the first of three tied at 5
    expect(pick(5)).toEqual([1, 0, 1, 1, 0, 1, 1]);
    expect(pick(7)).toEqual([1, 1, 1, 1, 1, 1, 1]);
    expect(pick(6)).toEqual([1, 1, 1, 1, 0, 1, 1]);
  });
});

describe('fuseBest (the fusion cut)', () => {
  it('fuses the top by Hough score, ties to the earlier entry, zeroes the rest', () => {
    const out = Float64Array.from([0.3, 0.9, 0.3, 0.1, 0.5]);
    const fused: number[] = [];
    const n = fuseBest([0, 1, 2, 3, 4], 3, out, (i) => {
      fused.push(i);
      return 10 + i;
    });
    expect(n).toBe(3);
    expect(fused.sort()).toEqual([0, 1, 4]);
    expect(Array.from(out)).toEqual([10, 11, 0, 0, 14]);
    expect(fuseBest([], 3, out, () => 1)).toBe(0);
  });
});

describe('MatchPool.identify with the shortlist stage', () => {
  const SIZE = 3000;
  const pool = new MatchPool({ threads: 2 });
  afterAll(() => pool.close());
  const entries = syntheticEntries(SIZE, 21);
  const sets = entries.map((e) => e.set);

  it('same top-1 as the exhaustive search, the mate never cut, compared entries scored alike', async () => {
    await pool.loadGallery('shortlist', sets);
    const options = { shortlistFraction: 0.05, shortlistMin: 50 };
    for (let k = 0; k < 30; k++) {
      const mate = (k * 97 + 13) % SIZE;
      const probe = liveImpression(sets[mate], 1000 + k);
      const all = await pool.identify('shortlist', probe, undefined, { shortlist: false });
      expect(pool.identifyStats().compared).toBe(SIZE);
      const short = await pool.identify('shortlist', probe, undefined, options);
      const compared = pool.identifyStats().compared;
      // the stage cut the gallery to its 5 %, and each of the 2 threads fused at most its 10 best
      expect(compared).toBe(150);
      expect(pool.identifyStats().fused).toBeGreaterThan(0);
      expect(pool.identifyStats().fused).toBeLessThanOrEqual(20);
      expect(argmax(all)).toBe(mate);
      expect(argmax(short)).toBe(mate);
      expect(short[mate]).toBe(all[mate]);
      let nonZero = 0;
      for (let i = 0; i < SIZE; i++) {
        if (short[i] !== 0) {
          nonZero++;
          expect(short[i]).toBe(all[i]);
        }
      }
      expect(nonZero).toBeLessThanOrEqual(compared);
    }
  }, 120_000);

  it('fuseTop 0 fuses every shortlisted entry; the fused ones always score as the exhaustive search', async () => {
    const probe = liveImpression(sets[42], 4242);
    const all = await pool.identify('shortlist', probe, undefined, { shortlist: false });
    const every = await pool.identify('shortlist', probe, undefined, { shortlistMin: 50, fuseTop: 0 });
    expect(pool.identifyStats()).toEqual({ compared: 150, fused: 150 });
    const few = await pool.identify('shortlist', probe, undefined, { shortlistMin: 50, fuseTop: 1 });
    expect(pool.identifyStats().fused).toBeLessThanOrEqual(2);
    expect(argmax(few)).toBe(42);
    for (let i = 0; i < SIZE; i++) {
      if (every[i] !== 0) expect(every[i]).toBe(all[i]);
      if (few[i] !== 0) expect(few[i]).toBe(all[i]);
    }
  }, 60_000);

  it('is on by default for a gallery above the minimum, and off below it', async () => {
    const probe = liveImpression(sets[5], 77);
    await pool.identify('shortlist', probe);
    expect(pool.identifyStats().compared).toBeLessThan(SIZE);
    await pool.loadGallery('small', sets.slice(0, 150));
    await pool.identify('small', probe);
    expect(pool.identifyStats().compared).toBe(150);
  }, 60_000);
});
