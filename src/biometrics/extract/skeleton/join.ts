import type { FrequencyField } from '../frequency.ts';
import type { OrientationField } from '../orientation.ts';
import type { PaddedLayout } from '../padded.ts';
import type { SkeletonWalker } from './trace.ts';

export interface JoinOptions {
  /** Longest gap joined, times the local ridge period. */
  joinDistanceRatio: number;
  /** Largest angle (radians) between either end's tip direction, the gap and the ridge flow. */
  joinMaxTurn: number;
}

/** Pixels traced from an end to find the direction its tip looks in. */
const TIP_TRACE = 6;

interface SkeletonEnd {
  x: number;
  y: number;
  /** Unit vector (image axes) from the ridge body out through the tip. */
  tx: number;
  ty: number;
}

/**
 * Joins skeleton ends that face each other across a short gap along the ridge flow: a dry or faint
 * print breaks its ridges into fragments, and each break would become two spurious endings (or,
 * for fragments shorter than `shortRidgeLength`, an erased piece of ridge and endings further on).
 * Both tips must look at each other, the gap must run along the orientation field, and the straight
 * line between them must not touch another ridge. Runs between thinning and pruning, so joined
 * fragments are pruned and detected as one ridge. Draws the joins into `bin` and returns the
 * skeleton list with the drawn pixels appended.
 */
export function joinRidgeBreaks(
  bin: Uint8Array,
  skeleton: Int32Array,
  layout: PaddedLayout,
  walker: SkeletonWalker,
  field: OrientationField,
  frequency: FrequencyField,
  o: JoinOptions,
): Int32Array {
  const { stride, pad } = layout;
  const ends: SkeletonEnd[] = [];
  for (let k = 0; k < skeleton.length; k++) {
    const i = skeleton[k];
    if (!bin[i] || walker.crossing(i) !== 1) continue;
    const r = walker.walk(i, walker.branches(i)[0], TIP_TRACE);
    if (r.steps < 4) continue; // too short to have a direction; pruning erases it anyway
    const x = (i % stride) - pad;
    const y = Math.floor(i / stride) - pad;
    const dx = x - ((r.end % stride) - pad);
    const dy = y - (Math.floor(r.end / stride) - pad);
    const n = Math.hypot(dx, dy);
    ends.push({ x, y, tx: dx / n, ty: dy / n });
  }
  const cosTurn = Math.cos(o.joinMaxTurn);
  const used = new Uint8Array(ends.length);
  const added: number[] = [];
  for (let a = 0; a < ends.length; a++) {
    if (used[a]) continue;
    const p = ends[a];
    const block = Math.floor(p.y / field.blockSize) * field.cols + Math.floor(p.x / field.blockSize);
    const period = frequency.period[block] || 9;
    const fx = Math.cos(field.angle[block]);
    const fy = Math.sin(field.angle[block]);
    let best = -1;
    let bestDistance = o.joinDistanceRatio * period;
    for (let b = 0; b < ends.length; b++) {
      if (b === a || used[b]) continue;
      const q = ends[b];
      // Math.hypot is never below the larger side: ends that far away in x or y are out already.
      if (Math.abs(q.x - p.x) >= bestDistance || Math.abs(q.y - p.y) >= bestDistance) continue;
      const d = Math.hypot(q.x - p.x, q.y - p.y);
      if (d >= bestDistance || d < 2) continue;
      const ux = (q.x - p.x) / d;
      const uy = (q.y - p.y) / d;
      if (p.tx * ux + p.ty * uy < cosTurn) continue; // p looks at q
      if (-(q.tx * ux + q.ty * uy) < cosTurn) continue; // q looks at p
      if (Math.abs(fx * ux + fy * uy) < cosTurn) continue; // the gap runs along the ridges
      best = b;
      bestDistance = d;
    }
    if (best < 0) continue;
    const q = ends[best];
    if (touchesRidge(bin, layout, p, q)) continue;
    used[a] = used[best] = 1;
    const steps = Math.max(Math.abs(q.x - p.x), Math.abs(q.y - p.y));
    for (let s = 1; s < steps; s++) {
      const i =
        (Math.round(p.y + ((q.y - p.y) * s) / steps) + pad) * stride +
        Math.round(p.x + ((q.x - p.x) * s) / steps) +
        pad;
      if (bin[i]) continue;
      bin[i] = 1;
      added.push(i);
    }
  }
  if (!added.length) return skeleton;
  const out = new Int32Array(skeleton.length + added.length);
  out.set(skeleton);
  out.set(added, skeleton.length);
  return out;
}

/** Whether the segment between two ends, away from the ends themselves, meets a skeleton pixel. */
function touchesRidge(bin: Uint8Array, layout: PaddedLayout, p: SkeletonEnd, q: SkeletonEnd): boolean {
  const steps = Math.max(Math.abs(q.x - p.x), Math.abs(q.y - p.y));
  for (let s = 2; s <= steps - 2; s++) {
    const x = Math.round(p.x + ((q.x - p.x) * s) / steps);
    const y = Math.round(p.y + ((q.y - p.y) * s) / steps);
    if (bin[(y + layout.pad) * layout.stride + x + layout.pad]) return true;
  }
  return false;
}
