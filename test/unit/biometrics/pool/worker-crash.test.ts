/**
 * Fault matrix (issue 11 item 7): a worker thread crashing in the middle of a search, with the real
 * matcher. The call in flight is answered (INTERNAL, never a hang or a wrong score), piscina starts a
 * replacement, and the next search returns the same scores as before the crash: for 1:N identify
 * over a loaded gallery (split over both threads) and for the verify path (compareMany against a
 * card's two fingers, on one thread).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MinutiaeSet } from '../../../../protocols/biometrics/types.ts';
import { MatchPool } from '../../../../src/biometrics/pool/index.ts';
import { MATCH_TASKS } from '../../../../src/biometrics/pool/task-registry.ts';

function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function finger(seed: number): MinutiaeSet {
  const r = prng(seed);
  return {
    width: 300,
    height: 400,
    dpiX: 500,
    dpiY: 500,
    quality: 60,
    fingerPosition: 2,
    minutiae: Array.from({ length: 35 }, () => ({
      x: Math.floor(r() * 300),
      y: Math.floor(r() * 400),
      angle: r() * 2 * Math.PI,
      type: r() < 0.5 ? ('ending' as const) : ('bifurcation' as const),
      quality: 40 + Math.floor(r() * 60),
    })),
  };
}

const crashing = (probe: MinutiaeSet) => ({ ...probe, crashFlag: new Int32Array(new SharedArrayBuffer(4)) });

describe('a matcher worker crashing mid-search', () => {
  const pool = new MatchPool({
    threads: 2,
    minShardSize: 8,
    registry: {
      ...MATCH_TASKS,
      compareMany: {
        module: new URL('./fixtures/crash-mid-scan.ts', import.meta.url).href,
        export: 'scanOrCrash',
      },
    },
  });
  const gallery = Array.from({ length: 200 }, (_, i) => finger(1000 + i));
  const probe = { ...gallery[57], minutiae: gallery[57].minutiae.slice(0, 30) };
  let reference: number[];

  beforeAll(async () => {
    await pool.loadGallery('district', gallery);
    reference = Array.from(await pool.identify('district', probe));
    expect(reference.indexOf(Math.max(...reference))).toBe(57);
  }, 60_000);
  afterAll(() => pool.close());

  it('1:N identify: the call in flight is INTERNAL, the next ones score as before, three times over', async () => {
    for (let round = 0; round < 3; round++) {
      await expect(pool.identify('district', crashing(probe))).rejects.toMatchObject({ code: 'INTERNAL' });
      expect(Array.from(await pool.identify('district', probe))).toEqual(reference);
    }
    expect(pool.stats().threads).toBe(2);
  }, 60_000);

  it("verify (compareMany against a card's fingers): INTERNAL, then the same scores", async () => {
    const card = [gallery[57], gallery[3]];
    const before = Array.from(await pool.compareMany(probe, card));
    await expect(pool.compareMany(crashing(probe), card)).rejects.toMatchObject({ code: 'INTERNAL' });
    expect(Array.from(await pool.compareMany(probe, card))).toEqual(before);
    // searches running on the other thread at the time of a crash are not disturbed
    const [crashed, alongside] = await Promise.allSettled([
      pool.compareMany(crashing(probe), card),
      pool.identify('district', probe),
    ]);
    expect(crashed).toMatchObject({ status: 'rejected', reason: { code: 'INTERNAL' } });
    if (alongside.status === 'fulfilled') expect(Array.from(alongside.value)).toEqual(reference);
    else expect(alongside.reason).toMatchObject({ code: 'INTERNAL' }); // it shared the dead thread
    expect(Array.from(await pool.identify('district', probe))).toEqual(reference);
  }, 60_000);
});
