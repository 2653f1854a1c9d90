import { afterAll, describe, expect, it } from 'vitest';
import type { MinutiaeSet } from '../../../../protocols/biometrics/types.ts';
import { BridgeError } from '../../../../protocols/errors.ts';
import { MatchPool } from '../../../../src/biometrics/pool/index.ts';
import { FIXTURE_TASKS } from './fixtures/registry.ts';

function set(firstX: number, fingerPosition = 0): MinutiaeSet {
  return {
    width: 300,
    height: 400,
    dpiX: 500,
    dpiY: 500,
    quality: 0,
    fingerPosition,
    minutiae: [
      { x: firstX, y: 2, angle: 1.5, type: 'ending', quality: 10 },
      { x: 5, y: 6, angle: 0.25, type: 'bifurcation', quality: 0 },
    ],
  };
}

describe('MatchPool facade (fixture tasks)', () => {
  const pool = new MatchPool({ threads: 2, registry: FIXTURE_TASKS, minShardSize: 4 });
  afterAll(() => pool.close());

  it('compareMany splits the gallery over the threads and merges the scores in gallery order', async () => {
    const gallery = Array.from({ length: 37 }, (_, i) => set(i));
    const before = pool.stats().completed;
    const scores = await pool.compareMany(set(0), gallery);
    expect(Array.from(scores)).toEqual(gallery.map((_, i) => i / 1000));
    expect(pool.stats().completed - before).toBe(2); // one job per thread
    // the packed gallery is cached per array and still right on a second call
    expect(Array.from(await pool.compareMany(set(0), gallery))).toEqual(gallery.map((_, i) => i / 1000));
  });

  it('a small gallery goes to one worker; an empty one to none', async () => {
    const before = pool.stats().completed;
    expect(Array.from(await pool.compareMany(set(0), [set(7), set(8)]))).toEqual([0.007, 0.008]);
    expect(pool.stats().completed - before).toBe(1);
    expect((await pool.compareMany(set(0), [])).length).toBe(0);
  });

  it('a failing shard fails the whole 1:N call with its own code', async () => {
    const gallery = Array.from({ length: 20 }, (_, i) => set(i, i === 15 ? 99 : 0));
    await expect(pool.compareMany(set(0), gallery)).rejects.toMatchObject({ code: 'CARD_DATA_INVALID' });
  });

  it('extract moves the image pixels to the worker', async () => {
    const img = { width: 4, height: 2, dpi: 500, pixels: new Uint8Array(8).fill(10) };
    const out = (await pool.extract(img)) as unknown as { pixels: Uint8Array };
    expect(img.pixels.byteLength).toBe(0);
    expect(Array.from(out.pixels)).toEqual(new Array(8).fill(245));
  });

  it('an aborted signal cancels a 1:N call', async () => {
    const gallery = Array.from({ length: 20 }, (_, i) => set(i));
    await expect(pool.compareMany(set(0), gallery, AbortSignal.abort())).rejects.toBeInstanceOf(BridgeError);
  });

  it('reports its size', () => {
    expect(pool.stats()).toMatchObject({ threads: 2, queued: 0, active: 0 });
  });
});

describe('MatchPool registered galleries (fixture tasks)', () => {
  const pool = new MatchPool({ threads: 2, registry: FIXTURE_TASKS, minShardSize: 4 });
  afterAll(() => pool.close());

  it('identify scores a loaded gallery in order; reloading replaces it; unloading forgets it', async () => {
    pool.loadGallery(
      'counter',
      Array.from({ length: 50 }, (_, i) => set(i)),
    );
    expect(Array.from(await pool.identify('counter', set(0)))).toEqual(
      Array.from({ length: 50 }, (_, i) => i / 1000),
    );
    await pool.loadGallery('counter', [set(3), set(4)]);
    expect(Array.from(await pool.identify('counter', set(0)))).toEqual([0.003, 0.004]);
    expect(pool.unloadGallery('counter')).toBe(true);
    await expect(pool.identify('counter', set(0))).rejects.toMatchObject({ code: 'INVALID_PARAMS' });
  });

  it('while one thread is busy elsewhere, the other runs both tasks of a search and still scores every entry', async () => {
    const sets = Array.from({ length: 64 }, (_, i) => set(i));
    await pool.loadGallery('busy', sets);
    // the fixture 'compare' sleeps its first argument's worth of milliseconds on one worker
    const busy = pool.compare(300 as unknown as MinutiaeSet, set(0));
    await new Promise((r) => setTimeout(r, 50));
    expect(Array.from(await pool.identify('busy', set(0)))).toEqual(sets.map((_, i) => i / 1000));
    await busy;
  });

  it('the loaded copy does not follow later changes to the caller array', async () => {
    const sets = [set(1), set(2)];
    const loaded = pool.loadGallery('frozen', sets);
    sets[0] = set(9);
    await loaded;
    expect(Array.from(await pool.identify('frozen', set(0)))).toEqual([0.001, 0.002]);
  });
});
