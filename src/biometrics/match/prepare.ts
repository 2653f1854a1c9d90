import type { MinutiaeSet } from '../../../protocols/biometrics/types.ts';
import { normalizeAngle } from './angles.ts';
import { buildEdges, type Edges } from './edges.ts';
import { buildFootprint, type Footprint } from './footprint.ts';
import { MAX_MINUTIAE, QUALITY_FULL, QUALITY_MIN_WEIGHT, TARGET_DPI } from './params.ts';

/**
 * A template turned into the flat typed arrays the comparison loops read. Built once per template
 * (a card template, a gallery entry) and reused for every comparison it takes part in.
 *
 * Coordinates are 500 dpi pixels with y pointing UP (mathematical orientation), so that rotations
 * and ISO angles (counter-clockwise) use the textbook formulas.
 */
export interface PreparedTemplate extends Edges {
  readonly count: number;
  readonly x: Float64Array;
  readonly y: Float64Array;
  /** radians, [0, 2π) */
  readonly angle: Float64Array;
  /** unit direction vector of each minutia, so angle checks in the pairing loop are two products */
  readonly cosAngle: Float64Array;
  readonly sinAngle: Float64Array;
  /** reliability of each minutia in [QUALITY_MIN_WEIGHT, 1] (params.ts): its weight in the score */
  readonly reliability: Float64Array;
  readonly centroidX: number;
  readonly centroidY: number;
  /** where the template has minutiae, for the overlap estimate of the score */
  readonly footprint: Footprint;
}

/**
 * Rescales to 500 dpi (a sensor at 569 dpi and a card template at 197 px/cm meet on one scale),
 * flips y, and builds the edges and the footprint. Never throws on odd input: minutiae with
 * non-finite values or coordinates beyond MAX_COORDINATE are dropped and an empty template gives
 * count 0.
 */
const MAX_COORDINATE = 100_000;
export function prepareTemplate(set: MinutiaeSet): PreparedTemplate {
  const sx = set.dpiX > 0 ? TARGET_DPI / set.dpiX : 1;
  const sy = set.dpiY > 0 ? TARGET_DPI / set.dpiY : 1;
  // Beyond MAX_COORDINATE (far outside any ISO record's 14-bit field, even rescaled) a minutia is
  // garbage, and would size the footprint grid by it: dropped like a non-finite one.
  const source = set.minutiae.filter(
    (m) =>
      Number.isFinite(m.angle) &&
      Math.abs(m.x * sx) <= MAX_COORDINATE &&
      Math.abs(m.y * sy) <= MAX_COORDINATE,
  );
  const n = Math.min(source.length, MAX_MINUTIAE);
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  const angle = new Float64Array(n);
  const reliability = new Float64Array(n);
  let centroidX = 0;
  let centroidY = 0;
  for (let i = 0; i < n; i++) {
    const m = source[i];
    x[i] = m.x * sx;
    y[i] = -m.y * sy;
    // Unequal scaling bends directions too: scale the direction vector, not just the point.
    angle[i] =
      sx === sy
        ? normalizeAngle(m.angle)
        : normalizeAngle(Math.atan2(Math.sin(m.angle) * sy, Math.cos(m.angle) * sx));
    const q = Number.isFinite(m.quality) ? m.quality : 0;
    reliability[i] = q > 0 ? Math.max(QUALITY_MIN_WEIGHT, Math.min(1, q / QUALITY_FULL)) : 1;
    centroidX += x[i] / n;
    centroidY += y[i] / n;
  }
  return {
    count: n,
    x,
    y,
    angle,
    cosAngle: angle.map(Math.cos),
    sinAngle: angle.map(Math.sin),
    reliability,
    centroidX,
    centroidY,
    ...buildEdges(x, y, angle, centroidX, centroidY),
    footprint: buildFootprint(x, y),
  };
}
