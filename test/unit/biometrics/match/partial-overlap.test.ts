import { describe, expect, it } from 'vitest';
import type { MinutiaeSet } from '../../../../protocols/biometrics/types.ts';
import { compare, DEFAULT_THRESHOLD } from '../../../../src/biometrics/match/index.ts';
import { fvcPresent, isoTemplate } from './fixtures.ts';

/** Keeps the minutiae on one side of the median x (or y): half the finger, as on a small sensor. */
function half(set: MinutiaeSet, axis: 'x' | 'y', keepLow: boolean): MinutiaeSet {
  const values = set.minutiae.map((m) => m[axis]).sort((p, q) => p - q);
  const cut = values[Math.floor(values.length / 2)];
  return { ...set, minutiae: set.minutiae.filter((m) => (keepLow ? m[axis] < cut : m[axis] >= cut)) };
}

describe.skipIf(!fvcPresent)('partial overlap', () => {
  // Genuine pairs of DB1_B and DB2_B whose full templates match clearly.
  const pairs: [string, string, string][] = [
    ['DB1_B', '101_1', '101_2'],
    ['DB1_B', '102_1', '102_3'],
    ['DB1_B', '105_1', '105_3'],
    ['DB2_B', '101_1', '101_2'],
    ['DB2_B', '103_1', '103_2'],
    ['DB2_B', '107_1', '107_2'],
  ];

  it('half of a genuine mate still matches', () => {
    let matched = 0;
    let tried = 0;
    for (const [set, a, b] of pairs) {
      const probe = isoTemplate(set, a);
      const mate = isoTemplate(set, b);
      expect(compare(probe, mate)).toBeGreaterThan(DEFAULT_THRESHOLD);
      for (const axis of ['x', 'y'] as const) {
        for (const keepLow of [true, false]) {
          tried++;
          if (compare(probe, half(mate, axis, keepLow)) >= DEFAULT_THRESHOLD) matched++;
        }
      }
    }
    // half the minutiae in the overlap is a hard case for every matcher: most must still pass
    expect(matched / tried).toBeGreaterThanOrEqual(0.75);
  });

  it('a half does not score much higher against an impostor than the whole', () => {
    const probe = isoTemplate('DB1_B', '101_1');
    for (const other of ['103_1', '106_2', '110_4']) {
      const impostor = isoTemplate('DB1_B', other);
      for (const axis of ['x', 'y'] as const) {
        expect(compare(probe, half(impostor, axis, true))).toBeLessThan(DEFAULT_THRESHOLD);
      }
    }
  });
});
