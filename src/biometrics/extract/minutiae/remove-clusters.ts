import type { Candidate } from './candidate.ts';

/**
 * Drops minutiae that sit in a crowd: real minutiae are rarely more than a couple within one and a
 * half ridge periods, while scars, creases and smudges produce dense clusters of fake ones.
 */
export function removeClusters(minutiae: Candidate[], radius: number, maxNeighbours: number): Candidate[] {
  const r2 = radius * radius;
  return minutiae.filter((m) => {
    let near = 0;
    for (const o of minutiae) {
      if (o === m) continue;
      const dx = o.x - m.x;
      const dy = o.y - m.y;
      if (dx * dx + dy * dy < r2) near++;
    }
    return near < maxNeighbours;
  });
}
