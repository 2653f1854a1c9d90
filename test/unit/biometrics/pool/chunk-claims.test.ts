import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  cancelChunks,
  newChunkPlan,
  newOwners,
  runChunks,
} from '../../../../src/biometrics/pool/chunk-claims.ts';

/** Runs `threads` scans one after another (the worst interleaving for "the last one sweeps"). */
function visits(count: number, chunkSize: number, threads: number, owners = newOwners(count, chunkSize)) {
  const seen = new Array<number>(count).fill(0);
  const byThread: number[] = [];
  const plan = newChunkPlan(count, chunkSize, owners, threads);
  for (let t = 1; t <= threads; t++) {
    let n = 0;
    runChunks(
      plan,
      t,
      () => false,
      (from, to) => {
        for (let i = from; i < to; i++) seen[i]++;
        n += to - from;
      },
    );
    byThread.push(n);
  }
  return { seen, byThread, owners };
}

describe('chunk claims of a 1:N call', () => {
  it('every entry is visited exactly once, whatever the sizes and thread count', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 500 }),
        fc.integer({ min: 1, max: 70 }),
        fc.integer({ min: 1, max: 4 }),
        (count, size, threads) => {
          const { seen } = visits(count, size, threads);
          expect(seen.every((v) => v === 1)).toBe(true);
        },
      ),
    );
  });

  it('chunks another thread prepared are left to it while few chunks are free, and the last thread sweeps them', () => {
    const count = 64;
    // thread 1 prepared everything in an earlier call
    const owners = newOwners(count, 8);
    owners.fill(1);
    const plan = newChunkPlan(count, 8, owners, 2);
    const got: number[] = [];
    // thread 2 runs first: 8 chunks free is not fewer than the steal limit, so it takes the top one,
    // then leaves the remaining 7 to their owner
    runChunks(
      plan,
      2,
      () => false,
      (from) => got.push(from),
    );
    expect(got).toEqual([56]);
    const owner: number[] = [];
    runChunks(
      plan,
      1,
      (c) => c !== 7,
      (from) => owner.push(from),
    );
    expect(owner.sort((a, b) => a - b)).toEqual([0, 8, 16, 24, 32, 40, 48]);
  });

  it('chunks left for an owner that never comes are swept by the last thread out', () => {
    const owners = newOwners(40, 4);
    owners.fill(7); // prepared by a thread that takes no part in this call
    const { seen, byThread } = visits(40, 4, 2, owners);
    expect(seen.every((v) => v === 1)).toBe(true);
    expect(byThread[1]).toBeGreaterThan(0);
  });

  it('a cancelled plan visits nothing more', () => {
    const plan = newChunkPlan(100, 10, newOwners(100, 10), 1);
    cancelChunks(plan);
    let n = 0;
    runChunks(
      plan,
      1,
      () => false,
      () => n++,
    );
    expect(n).toBe(0);
  });
});
