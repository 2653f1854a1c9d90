/**
 * Synthetic galleries for finger.identify tests and the gallery benchmark: seeded, plausible
 * minutiae sets (simulator/residents/minutiae.ts) as ISO/IEC 19794-2 records, and a "live" probe of
 * one of them as a sensor would see it again: turned, shifted, with jitter, minutiae lost and added.
 */
import { encodeIso19794_2 } from '../../../protocols/biometrics/iso19794-2.ts';
import type { Minutia, MinutiaeSet } from '../../../protocols/biometrics/types.ts';
import { plausibleMinutiae } from '../../../simulator/residents/minutiae.ts';
import { Rng } from '../../../simulator/residents/random.ts';

export interface SyntheticEntry {
  id: string;
  set: MinutiaeSet;
  iso: Uint8Array;
}

export function syntheticEntries(count: number, seed = 1): SyntheticEntry[] {
  return Array.from({ length: count }, (_, i) => {
    const set = plausibleMinutiae(new Rng(seed * 1_000_003 + i), 2, i);
    return { id: `person-${String(i).padStart(5, '0')}`, set, iso: encodeIso19794_2(set) };
  });
}

/** Another impression of `set`: rotated up to ±15°, shifted up to ±20 px, 2 px jitter, 20% lost, 4 spurious. */
export function liveImpression(set: MinutiaeSet, seed: number): MinutiaeSet {
  const rng = new Rng(seed);
  const turn = rng.float(-Math.PI / 12, Math.PI / 12);
  const dx = rng.float(-20, 20);
  const dy = rng.float(-20, 20);
  const cx = set.width / 2;
  const cy = set.height / 2;
  const cos = Math.cos(turn);
  const sin = Math.sin(turn);
  const moved: Minutia[] = [];
  for (const m of set.minutiae) {
    if (rng.next() < 0.2) continue;
    // y grows downwards: a counter-clockwise turn on the image is (x, -y) rotated
    const x = cx + (m.x - cx) * cos + (m.y - cy) * sin + dx + rng.float(-2, 2);
    const y = cy - (m.x - cx) * sin + (m.y - cy) * cos + dy + rng.float(-2, 2);
    if (x < 0 || y < 0 || x >= set.width || y >= set.height) continue;
    const angle = (m.angle + turn + rng.float(-0.1, 0.1) + 4 * Math.PI) % (2 * Math.PI);
    moved.push({ ...m, x: Math.round(x), y: Math.round(y), angle });
  }
  for (let i = 0; i < 4; i++) {
    moved.push({
      x: rng.int(20, set.width - 20),
      y: rng.int(20, set.height - 20),
      angle: rng.float(0, 2 * Math.PI),
      type: 'ending',
      quality: 40,
    });
  }
  return { ...set, minutiae: moved };
}
