import { describe, expect, it } from 'vitest';
import type { MinutiaeSet } from '../../../../protocols/biometrics/types.ts';
import { compare } from '../../../../src/biometrics/match/index.ts';
import { QUALITY_FULL } from '../../../../src/biometrics/match/params.ts';
import { randomSet } from './fixtures.ts';

/** `base` plus the minutiae of `extra` that are not within 12 px of one of base's, all at `quality`. */
function withExtras(base: MinutiaeSet, extra: MinutiaeSet, quality: number): MinutiaeSet {
  const added = extra.minutiae
    .filter((e) => base.minutiae.every((m) => Math.hypot(m.x - e.x, m.y - e.y) >= 12))
    .map((e) => ({ ...e, quality }));
  return { ...base, minutiae: [...base.minutiae, ...added] };
}

describe('compare: minutia reliability from the extractor quality', () => {
  const base = randomSet(11, 25);
  const noise = randomSet(12, 25);

  it('unmatched minutiae of low quality cost a genuine pair less than confident ones', () => {
    const lowNoise = compare(base, withExtras(base, noise, 5));
    const highNoise = compare(base, withExtras(base, noise, 90));
    expect(lowNoise).toBeGreaterThan(highNoise + 0.05);
  });

  it('quality 0 (not reported, as in vendor templates) counts as fully reliable', () => {
    expect(compare(base, withExtras(base, noise, 0))).toBeCloseTo(
      compare(base, withExtras(base, noise, 90)),
      10,
    );
  });

  it('quality at or above QUALITY_FULL everywhere changes nothing; a print poor all over scores lower', () => {
    const all = (set: MinutiaeSet, q: number) => ({
      ...set,
      minutiae: set.minutiae.map((m) => ({ ...m, quality: q })),
    });
    const probe = withExtras(base, noise, 60);
    const good = compare(all(probe, 90), base);
    expect(compare(all(probe, QUALITY_FULL), base)).toBeCloseTo(good, 10);
    expect(compare(all(probe, Math.floor(QUALITY_FULL / 4)), base)).toBeLessThan(good);
  });
});
