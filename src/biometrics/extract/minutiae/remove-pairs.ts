import type { FrequencyField } from '../frequency.ts';
import type { OrientationField } from '../orientation.ts';
import { angleDistance, type Candidate } from './candidate.ts';

export interface PairOptions {
  closePairDistance: number;
  breakDistanceRatio: number;
}

/**
 * Removes both members of pairs that are typical artefacts rather than two real minutiae:
 * - any two minutiae very close together (a small loop from a pore, a spur the pruning missed);
 * - two endings facing each other along the ridge flow (a ridge broken by a crease or dryness);
 * - an ending facing a bifurcation across a short gap along the flow (a ridge that should join).
 * Distances for breaks scale with the local ridge period. (Bridges and lakes are found on the skeleton,
 * in remove-lakes-bridges.ts.)
 */
export function removeArtefactPairs(
  minutiae: Candidate[],
  field: OrientationField,
  frequency: FrequencyField,
  o: PairOptions,
): Candidate[] {
  const doomed = new Uint8Array(minutiae.length);
  for (let a = 0; a < minutiae.length; a++) {
    const p = minutiae[a];
    const b0 = Math.floor(p.y / field.blockSize) * field.cols + Math.floor(p.x / field.blockSize);
    const period = frequency.period[b0] || 9;
    // Ridge orientation as ISO angle mod π.
    const flow = (Math.PI - field.angle[b0]) % Math.PI;
    for (let b = a + 1; b < minutiae.length; b++) {
      const q = minutiae[b];
      const dx = q.x - p.x;
      const dy = q.y - p.y;
      const d = Math.hypot(dx, dy);
      if (d > period * 2.5) continue;
      if (d < o.closePairDistance) {
        doomed[a] = doomed[b] = 1;
        continue;
      }
      const link = Math.atan2(-dy, dx);
      const linkVsFlow = Math.min(angleDistance(link, flow), angleDistance(link, flow + Math.PI));
      const opposed = angleDistance(p.angle, q.angle) > (2 * Math.PI) / 3;
      if (p.type === 'ending' && q.type === 'ending') {
        // Facing: each points at the other (the ridge runs into p towards q's side and vice versa).
        if (d < o.breakDistanceRatio * period && opposed && linkVsFlow < Math.PI / 4)
          doomed[a] = doomed[b] = 1;
      } else if (p.type !== q.type && d < period && opposed && linkVsFlow < Math.PI / 4) {
        doomed[a] = doomed[b] = 1;
      }
    }
  }
  return minutiae.filter((_, i) => !doomed[i]);
}
