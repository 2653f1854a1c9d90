import { describe, expect, it } from 'vitest';
import { genuinePairs, impostorPairs, listImpressions } from '../../../../src/biometrics/eval/protocol.ts';

const fvcNames = (ext: string) =>
  Array.from({ length: 10 }, (_, f) =>
    Array.from({ length: 8 }, (_, i) => `${101 + f}_${i + 1}.${ext}`),
  ).flat();

describe('FVC protocol', () => {
  it('lists <finger>_<impression> files of one extension, sorted, ignoring everything else', () => {
    const list = listImpressions(
      ['102_1.tif', '101_2.TIF', '101_1.tif', '101_1.iso', 'SOURCE.md', 'x_y.tif'],
      'tif',
    );
    expect(list.map((i) => i.id)).toEqual(['101_1', '101_2', '102_1']);
    expect(list[1]).toEqual({ id: '101_2', finger: '101', impression: 2 });
  });

  it('sorts impressions numerically', () => {
    expect(listImpressions(['1_10.tif', '1_9.tif'], 'tif').map((i) => i.impression)).toEqual([9, 10]);
  });

  it('10 fingers x 8 impressions: 280 genuine and 2,880 impostor pairs', () => {
    const list = listImpressions(fvcNames('tif'), 'tif');
    const genuine = genuinePairs(list);
    const impostor = impostorPairs(list);
    expect(genuine).toHaveLength(280);
    expect(impostor).toHaveLength(2880);
    expect(genuine.every((p) => p.a.finger === p.b.finger && p.a.impression < p.b.impression)).toBe(true);
    expect(impostor.every((p) => p.a.finger < p.b.finger)).toBe(true);
    // each unordered pair once
    expect(new Set(genuine.map((p) => `${p.a.id}:${p.b.id}`)).size).toBe(280);
    expect(new Set(impostor.map((p) => `${p.a.id}:${p.b.id}`)).size).toBe(2880);
    // 28 per finger
    expect(genuine.filter((p) => p.a.finger === '105')).toHaveLength(28);
  });
});
