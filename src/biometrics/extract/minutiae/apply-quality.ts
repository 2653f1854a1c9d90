import type { OrientationField } from '../orientation.ts';
import { localQuality } from '../quality.ts';
import type { Candidate } from './candidate.ts';

/** Gives each minutia the quality of its neighbourhood and drops those in unreliable areas. */
export function applyLocalQuality(
  minutiae: Candidate[],
  field: OrientationField,
  quality: Float32Array,
  minQuality: number,
): Candidate[] {
  const kept: Candidate[] = [];
  for (const m of minutiae) {
    const q = localQuality(field, quality, m.x, m.y);
    if (q >= minQuality) kept.push({ ...m, quality: q });
  }
  return kept;
}
