/**
 * The conditions that make real counters hard (FVC2004 DB1/DB2-like): strong non-linear plastic
 * distortion, large rotation, displacement with small overlap, partial prints at the sensor's edge,
 * dry skin (broken, faint ridges), wet skin (merged ridges, blots), and the permanent marks of
 * manual work: scars and creases.
 *
 * Scars and creases belong to the finger, so they are drawn in master coordinates from the finger's
 * own seed and every impression shows the same ones (moved by placement and distortion). The other
 * conditions belong to one touch and are drawn per impression. All draws are deterministic.
 */
import type { MasterFinger } from './master.ts';
import { mixSeeds, Rng } from './prng.ts';
import { type Field, valueNoise } from './smooth-noise.ts';

/** A scar (wide, white, irregular) or a crease (thin, white, nearly straight), in master pixels. */
export interface SkinMark {
  kind: 'scar' | 'crease';
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  /** sideways bulge of the curve's middle, pixels (0 = straight) */
  bend: number;
  /** full width in pixels */
  width: number;
}

/** Per-touch condition names, for reporting which impressions were hard and why. */
export type TouchCondition = 'normal' | 'distorted' | 'rotated' | 'partial' | 'dry' | 'wet';

const MARK_STREAM = 41;

/**
 * The marks of one finger: about a quarter of fingers carry a scar, about a third carry creases
 * (flexion or wrinkle creases run roughly across the finger). `share` scales both chances (1 = the
 * hard mix).
 */
export function drawSkinMarks(master: MasterFinger, share = 1): SkinMark[] {
  const r = new Rng(mixSeeds(master.seed, MARK_STREAM));
  const marks: SkinMark[] = [];
  const { cx } = master.shape;
  const midY = master.height * 0.46;
  if (r.random() < 0.25 * share) {
    const n = 1 + (r.random() < 0.3 ? 1 : 0);
    for (let k = 0; k < n; k++) {
      const len = r.uniform(70, 170);
      const angle = r.uniform(0, Math.PI);
      const x = cx + r.normal(0, 40);
      const y = midY + r.normal(0, 55);
      marks.push({
        kind: 'scar',
        x0: x - (len / 2) * Math.cos(angle),
        y0: y - (len / 2) * Math.sin(angle),
        x1: x + (len / 2) * Math.cos(angle),
        y1: y + (len / 2) * Math.sin(angle),
        bend: r.normal(0, 12),
        width: r.uniform(5, 12),
      });
    }
  }
  if (r.random() < 0.35 * share) {
    const n = 2 + r.int(4);
    const tilt = r.normal(0, 0.25);
    for (let k = 0; k < n; k++) {
      const len = r.uniform(60, 200);
      const angle = tilt + r.normal(0, 0.15);
      const x = cx + r.normal(0, 50);
      const y = midY + r.uniform(-120, 140);
      marks.push({
        kind: 'crease',
        x0: x - (len / 2) * Math.cos(angle),
        y0: y - (len / 2) * Math.sin(angle),
        x1: x + (len / 2) * Math.cos(angle),
        y1: y + (len / 2) * Math.sin(angle),
        bend: r.normal(0, 4),
        width: r.uniform(1.8, 4),
      });
    }
  }
  return marks;
}

/** A polyline of each mark (its bent curve sampled), for the distance queries of rendering. */
export interface MarkShape {
  points: Float64Array;
  halfWidth: number;
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
}

export function markShapes(marks: readonly SkinMark[]): MarkShape[] {
  return marks.map((m) => {
    const n = 12;
    const points = new Float64Array(2 * (n + 1));
    const dx = m.x1 - m.x0;
    const dy = m.y1 - m.y0;
    const len = Math.hypot(dx, dy) || 1;
    const nx = -dy / len;
    const ny = dx / len;
    for (let i = 0; i <= n; i++) {
      const t = i / n;
      const b = 4 * t * (1 - t) * m.bend;
      points[2 * i] = m.x0 + dx * t + nx * b;
      points[2 * i + 1] = m.y0 + dy * t + ny * b;
    }
    const hw = m.width / 2;
    let minX = Infinity;
    let minY = Infinity;
    let maxX = -Infinity;
    let maxY = -Infinity;
    for (let i = 0; i <= n; i++) {
      minX = Math.min(minX, points[2 * i]);
      maxX = Math.max(maxX, points[2 * i]);
      minY = Math.min(minY, points[2 * i + 1]);
      maxY = Math.max(maxY, points[2 * i + 1]);
    }
    return {
      points,
      halfWidth: hw,
      minX: minX - hw - 2,
      minY: minY - hw - 2,
      maxX: maxX + hw + 2,
      maxY: maxY + hw + 2,
    };
  });
}

/**
 * How much of the ridge survives at master point (x, y): 1 away from every mark, 0 inside one, with
 * a soft edge of about 1.5 px (a scar or crease shows as a white line that cuts the ridges).
 */
export function markSurvival(shapes: readonly MarkShape[], x: number, y: number): number {
  let keep = 1;
  for (const s of shapes) {
    if (x < s.minX || x > s.maxX || y < s.minY || y > s.maxY) continue;
    const d = distanceToPolyline(s.points, x, y) - s.halfWidth;
    if (d < 1.5) keep = Math.min(keep, d <= 0 ? 0 : d / 1.5);
  }
  return keep;
}

function distanceToPolyline(p: Float64Array, x: number, y: number): number {
  let best = Infinity;
  for (let i = 0; i + 3 < p.length; i += 2) {
    const ax = p[i];
    const ay = p[i + 1];
    const bx = p[i + 2];
    const by = p[i + 3];
    const vx = bx - ax;
    const vy = by - ay;
    const l2 = vx * vx + vy * vy;
    let t = l2 > 0 ? ((x - ax) * vx + (y - ay) * vy) / l2 : 0;
    t = Math.max(0, Math.min(1, t));
    const d = Math.hypot(x - ax - t * vx, y - ay - t * vy);
    if (d < best) best = d;
  }
  return best;
}

/**
 * A smooth random displacement field of amplitude about `amplitude` pixels with features `cell`
 * pixels across: the non-linear part of skin distortion that the elliptic plastic model does not
 * make (skin stretched unevenly under an uneven push). `cell` >= 6 x amplitude keeps the mapping
 * one-to-one (no folds).
 */
export interface WarpField {
  dx: Field;
  dy: Field;
  amplitude: number;
}

export function randomWarp(rng: Rng, width: number, height: number, amplitude: number): WarpField {
  const cell = Math.max(70, 6 * amplitude);
  return {
    dx: valueNoise(rng, width, height, cell, 2),
    dy: valueNoise(rng, width, height, cell, 2),
    amplitude,
  };
}

/**
 * Water and sweat blots on a wet finger: where they sit the ridges merge into a dark patch.
 * Returns a per-pixel ridge-threshold shift (negative = wetter) for `inkFromRidges`.
 */
export function blotField(rng: Rng, width: number, height: number, count: number): Float32Array {
  const out = new Float32Array(width * height);
  for (let b = 0; b < count; b++) {
    const cx = rng.uniform(0.15, 0.85) * width;
    const cy = rng.uniform(0.15, 0.85) * height;
    const rx = rng.uniform(12, 38);
    const ry = rx * rng.uniform(0.6, 1.4);
    const strength = rng.uniform(0.6, 1.1);
    const x0 = Math.max(0, Math.floor(cx - 2.5 * rx));
    const x1 = Math.min(width - 1, Math.ceil(cx + 2.5 * rx));
    const y0 = Math.max(0, Math.floor(cy - 2.5 * ry));
    const y1 = Math.min(height - 1, Math.ceil(cy + 2.5 * ry));
    for (let y = y0; y <= y1; y++) {
      for (let x = x0; x <= x1; x++) {
        const e = ((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2;
        out[y * width + x] -= strength * Math.exp(-e * e);
      }
    }
  }
  return out;
}
