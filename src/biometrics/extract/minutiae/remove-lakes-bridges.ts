import type { OrientationField } from '../orientation.ts';
import type { PaddedLayout } from '../padded.ts';
import type { SkeletonWalker } from '../skeleton/trace.ts';
import { angleDistance, type Candidate } from './candidate.ts';
import { orientationAt } from './detect.ts';

export interface LakeBridgeOptions {
  /** Longest loop side (skeleton pixels) still taken for a lake (a hole in a ridge, from a pore or dirt). */
  lakeLength: number;
  /** Longest junction-to-junction link still taken for a bridge across a valley. */
  bridgeLength: number;
}

/**
 * Follows the skeleton from each bifurcation to find two artefacts that distance rules miss:
 * - a lake: two branches of one bifurcation meet again at the same junction a short way on (a ridge
 *   split around a pore or a speck of dirt): both junctions go;
 * - a bridge: a short branch that runs ACROSS the ridge flow into another junction (ink, sweat or a
 *   scratch joining two neighbouring ridges): both junctions go.
 */
export function removeLakesAndBridges(
  minutiae: Candidate[],
  layout: PaddedLayout,
  walker: SkeletonWalker,
  field: OrientationField,
  o: LakeBridgeOptions,
): Candidate[] {
  const { stride, pad } = layout;
  const doomed = new Uint8Array(minutiae.length);
  const pixelOf = (m: Candidate) => (m.y + pad) * stride + m.x + pad;
  const xy = (i: number) => [(i % stride) - pad, Math.floor(i / stride) - pad];
  const doomNear = (i: number) => {
    const [x, y] = xy(i);
    minutiae.forEach((m, k) => {
      if (m.type === 'bifurcation' && Math.abs(m.x - x) <= 2 && Math.abs(m.y - y) <= 2) doomed[k] = 1;
    });
  };
  minutiae.forEach((m, k) => {
    if (m.type !== 'bifurcation') return;
    const p = pixelOf(m);
    const branches = walker.branches(p);
    const ends: number[] = [];
    for (let b = 0; b < branches.length; b++) {
      const others = branches.filter((_, c) => c !== b);
      const r = walker.walk(p, branches[b], o.lakeLength, others);
      if (r.stop !== 'junction') continue;
      const [ex, ey] = xy(r.end);
      // Lake: another branch already arrived at (nearly) the same junction.
      if (ends.some((e) => Math.abs(xy(e)[0] - ex) <= 2 && Math.abs(xy(e)[1] - ey) <= 2)) {
        doomed[k] = 1;
        doomNear(r.end);
      }
      ends.push(r.end);
      if (r.steps <= o.bridgeLength) {
        const link = Math.atan2(-(ey - m.y), ex - m.x);
        const flow = (Math.PI - orientationAt(field, m.x, m.y)) % Math.PI;
        const off = Math.min(angleDistance(link, flow), angleDistance(link, flow + Math.PI));
        if (off > Math.PI / 4) {
          doomed[k] = 1;
          doomNear(r.end);
        }
      }
    }
  });
  return minutiae.filter((_, k) => !doomed[k]);
}
