import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { MinutiaeSet } from '../../../../protocols/biometrics/types.ts';
import {
  packSets,
  packSetsShared,
  unpackSet,
  unpackSets,
} from '../../../../src/biometrics/pool/packed-sets.ts';

const minutia = fc.record({
  x: fc.double({ min: 0, max: 1000, noNaN: true }),
  y: fc.double({ min: 0, max: 1000, noNaN: true }),
  angle: fc.double({ min: 0, max: 6.28, noNaN: true }),
  type: fc.constantFrom('ending' as const, 'bifurcation' as const, 'other' as const),
  quality: fc.integer({ min: 0, max: 100 }),
});
const set: fc.Arbitrary<MinutiaeSet> = fc.record({
  width: fc.integer({ min: 1, max: 2000 }),
  height: fc.integer({ min: 1, max: 2000 }),
  dpiX: fc.double({ min: 100, max: 1000, noNaN: true }),
  dpiY: fc.double({ min: 100, max: 1000, noNaN: true }),
  quality: fc.integer({ min: 0, max: 100 }),
  fingerPosition: fc.integer({ min: 0, max: 10 }),
  minutiae: fc.array(minutia, { maxLength: 20 }),
});

describe('packed minutiae sets', () => {
  it('unpack(pack(list)) is the list, exactly', () => {
    fc.assert(
      fc.property(fc.array(set, { maxLength: 12 }), (list) => {
        expect(unpackSets(packSets(list))).toEqual(list);
      }),
    );
  });

  it('a shared packing gives back each set on its own, exactly, from shared memory', () => {
    fc.assert(
      fc.property(fc.array(set, { maxLength: 12 }), (list) => {
        const shared = packSetsShared(list);
        expect(shared.count).toBe(list.length);
        expect(shared.minutiae.buffer).toBeInstanceOf(SharedArrayBuffer);
        expect(list.map((_, i) => unpackSet(shared, i, shared.offsets[i]))).toEqual(list);
      }),
    );
  });
});
