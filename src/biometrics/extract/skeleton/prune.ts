import { removeStaircases } from './thin.ts';
import type { SkeletonWalker } from './trace.ts';

export interface PruneOptions {
  spurLength: number;
  shortRidgeLength: number;
}

/**
 * Removes what thinning makes out of noise before any minutia is looked for: spurs (a short branch
 * from a ridge ending into a junction: a bump on the ridge edge) and short isolated ridges (dust,
 * pores, broken fragments). Erasing a spur turns its junction back into a line pixel, so both the
 * fake ending and the fake bifurcation disappear. Returns the surviving skeleton pixels.
 */
export function pruneSkeleton(
  bin: Uint8Array,
  skeleton: Int32Array,
  walker: SkeletonWalker,
  offsets: Int32Array,
  o: PruneOptions,
): Int32Array {
  for (let k = 0; k < skeleton.length; k++) {
    const i = skeleton[k];
    if (!bin[i]) continue;
    const g = walker.crossing(i);
    if (g === 0) {
      bin[i] = 0; // a lone dot
      continue;
    }
    if (g !== 1) continue;
    const first = walker.branches(i)[0];
    const r = walker.walk(i, first, o.shortRidgeLength);
    const erase =
      (r.stop === 'junction' && r.steps <= o.spurLength) ||
      ((r.stop === 'ending' || r.stop === 'dead') && r.steps <= o.shortRidgeLength);
    if (!erase) continue;
    bin[i] = 0;
    // Keep the junction pixel itself: it belongs to the ridge the spur hangs from.
    const path = walker.path;
    const keepLast = r.stop === 'junction' ? 1 : 0;
    for (let p = 0; p < path.length - keepLast; p++) bin[path[p]] = 0;
  }
  removeStaircases(bin, skeleton, offsets);
  return skeleton.filter((i) => bin[i] === 1);
}
