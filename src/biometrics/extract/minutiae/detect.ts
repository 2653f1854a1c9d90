import type { OrientationField } from '../orientation.ts';
import type { PaddedLayout } from '../padded.ts';
import type { SkeletonWalker } from '../skeleton/trace.ts';
import { angleDistance, type Candidate, isoAngle, TWO_PI } from './candidate.ts';

export interface DetectOptions {
  traceLength: number;
  traceAngleWeight: number;
}

/**
 * Crossing-number detection on the skeleton: one neighbour group = ridge ending, three = bifurcation.
 * Direction, decided by calibration against a commercial ISO extractor (SecuGen, see
 * test/bench/extract/compare-iso.ts; the opposite sense for endings measured a mean difference of
 * 180°): an ending points from its tip back ALONG its ridge (into the ridge body), a bifurcation
 * points from the junction into its fork (between the two branches, away from the stem). Both point
 * to the side where the pattern has two lines (valley or ridge). The line comes mostly from the
 * smoother orientation field; the sense always comes from the trace.
 */
export function detectMinutiae(
  skeleton: Int32Array,
  layout: PaddedLayout,
  walker: SkeletonWalker,
  orientation: OrientationField,
  blockMask: Uint8Array,
  o: DetectOptions,
): Candidate[] {
  const { stride, pad } = layout;
  const found: Candidate[] = [];
  const bifurcationPixels: number[] = [];
  for (let k = 0; k < skeleton.length; k++) {
    const i = skeleton[k];
    const g = walker.crossing(i);
    if (g !== 1 && g !== 3) continue;
    const x = (i % stride) - pad;
    const y = Math.floor(i / stride) - pad;
    const b =
      Math.floor(y / orientation.blockSize) * orientation.cols + Math.floor(x / orientation.blockSize);
    if (!blockMask[b]) continue;
    let direction: number;
    if (g === 1) {
      const r = walker.walk(i, walker.branches(i)[0], o.traceLength);
      if (r.steps < 3) continue;
      direction = towards(i, r.end, stride);
    } else {
      // Adjacent junction pixels are one bifurcation seen twice.
      if (
        bifurcationPixels.some(
          (j) => Math.abs((j % stride) - (i % stride)) <= 2 && Math.abs(j - i) <= 2 * stride + 2,
        )
      )
        continue;
      const branches = walker.branches(i);
      if (branches.length !== 3) continue;
      const ends = branches.map((first, n) =>
        walker.walk(
          i,
          first,
          o.traceLength,
          branches.filter((_, m) => m !== n),
        ),
      );
      // Two branches lie on the fork side and one (the stem) opposite, so the sum of the three unit
      // vectors points into the fork; more robust than picking the stem when the branches curve.
      let sx = 0;
      let sy = 0;
      for (const r of ends) {
        const d = towards(i, r.end, stride);
        sx += Math.cos(d);
        sy += Math.sin(d);
      }
      direction = Math.atan2(sy, sx);
      if (direction < 0) direction += TWO_PI;
      bifurcationPixels.push(i);
    }
    found.push({
      x,
      y,
      angle: blendWithField(direction, orientationAt(orientation, x, y), o.traceAngleWeight),
      type: g === 1 ? 'ending' : 'bifurcation',
      quality: 0,
    });
  }
  return found;
}

/**
 * Ridge orientation (image axes, [0, π)) at a pixel, interpolated bilinearly between block centres
 * as doubled-angle vectors (orientations θ and θ+π must average to θ, not to θ+π/2).
 */
export function orientationAt(field: OrientationField, x: number, y: number): number {
  const { blockSize, cols, rows, angle, coherence } = field;
  const fx = Math.min(cols - 1, Math.max(0, (x + 0.5) / blockSize - 0.5));
  const fy = Math.min(rows - 1, Math.max(0, (y + 0.5) / blockSize - 0.5));
  const x0 = Math.floor(fx);
  const y0 = Math.floor(fy);
  const x1 = Math.min(cols - 1, x0 + 1);
  const y1 = Math.min(rows - 1, y0 + 1);
  const tx = fx - x0;
  const ty = fy - y0;
  let c = 0;
  let s = 0;
  for (const [bx, by, w] of [
    [x0, y0, (1 - tx) * (1 - ty)],
    [x1, y0, tx * (1 - ty)],
    [x0, y1, (1 - tx) * ty],
    [x1, y1, tx * ty],
  ]) {
    const b = by * cols + bx;
    // Weighted by coherence so an unreliable block (a core, a scar) pulls less.
    const k = w * (coherence[b] + 1e-3);
    c += k * Math.cos(2 * angle[b]);
    s += k * Math.sin(2 * angle[b]);
  }
  let a = 0.5 * Math.atan2(s, c);
  if (a < 0) a += Math.PI;
  return a;
}

/** ISO angle of the direction from pixel `from` to pixel `to`. */
function towards(from: number, to: number, stride: number): number {
  const dx = (to % stride) - (from % stride);
  const dy = Math.floor(to / stride) - Math.floor(from / stride);
  return isoAngle(dx, dy);
}

/**
 * The minutia direction: the orientation field's line (smoother than a short skeleton trace) in the
 * sense of the trace, pulled towards the traced direction by `traceWeight` (0 = field only).
 */
function blendWithField(traced: number, fieldImageAngle: number, traceWeight: number): number {
  // Image-axes orientation -> ISO orientation (y flips), then pick the sense nearer the trace.
  const iso = (Math.PI - fieldImageAngle) % Math.PI;
  const field = angleDistance(iso, traced) <= Math.PI / 2 ? iso : iso + Math.PI;
  const c = (1 - traceWeight) * Math.cos(field) + traceWeight * Math.cos(traced);
  const s = (1 - traceWeight) * Math.sin(field) + traceWeight * Math.sin(traced);
  const a = Math.atan2(s, c);
  return a < 0 ? a + TWO_PI : a;
}
