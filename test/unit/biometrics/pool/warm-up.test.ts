/** MatchPool.warmUp(): every worker runs the real extractor and matcher once at start. */
import { afterAll, describe, expect, it } from 'vitest';
import { extractMinutiae } from '../../../../src/biometrics/extract/index.ts';
import { compare } from '../../../../src/biometrics/match/index.ts';
import { MatchPool } from '../../../../src/biometrics/pool/index.ts';
import { warmUp, warmUpImages } from '../../../../src/biometrics/pool/warm-up.ts';

describe('warm-up on a made-up print', () => {
  it('the made-up print has minutiae enough for pairing and re-fit, and its shifted copy matches it', () => {
    const [a, b] = warmUpImages();
    const ta = extractMinutiae(a);
    const tb = extractMinutiae(b);
    expect(ta.minutiae.length).toBeGreaterThanOrEqual(20);
    expect(tb.minutiae.length).toBeGreaterThanOrEqual(20);
    expect(compare(ta, tb)).toBeGreaterThan(0.5);
  });

  it('in-process (no barrier) it returns the genuine score', () => {
    expect(warmUp(1)).toBeGreaterThan(0.5);
  });

  it('barrier: a job counts itself in and returns at once when every expected job has started', () => {
    const barrier = new Int32Array(new SharedArrayBuffer(8));
    barrier[1] = 1;
    expect(warmUp(1, barrier)).toBeGreaterThan(0.5);
    expect(barrier[0]).toBe(1);
  });
});

describe('MatchPool.warmUp', () => {
  const pool = new MatchPool({ threads: 2 });
  afterAll(() => pool.close());

  it('runs one warm-up job per thread, each on the real extractor and matcher', async () => {
    const scores = await pool.warmUp();
    expect(scores).toHaveLength(2);
    for (const s of scores) expect(s).toBeGreaterThan(0.5);
    // one warm-up job per thread, then one small compareMany (the main thread's side of a verify)
    expect(pool.stats().completed).toBe(3);
    expect(pool.stats().failed).toBe(0);
  });
});
