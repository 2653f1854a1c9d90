/**
 * "Real hard" touches: the seeded per-impression draws that turn one REAL print (an FVC2002 scan)
 * into an FVC2004-like hard impression, through touch-effects.ts.
 *
 *   - 'distort' (like FVC2004 DB1, where volunteers were asked to twist and press): strong plastic
 *     distortion (outer region moved 20-50 px at 500 dpi by a rotation and a translation about a
 *     rigid close-contact region, Cappelli, Maio, Maltoni 2001), a smooth uneven stretch on top,
 *     rotation up to +/-35 degrees and a displacement that pushes part of the print off the sensor.
 *   - 'drywet' (like FVC2004 DB2): about a third of the touches dry, a third wet, a third normal,
 *     with mild rotation, displacement and distortion.
 *
 * Each impression gets its own draw from (seed, finger, impression), so both sides of a genuine
 * pair are changed, differently. Deterministic: the same seed gives the same bytes.
 */
import type { GrayImage } from '../../protocols/biometrics/types.ts';
import { randomWarp } from './hard-conditions.ts';
import { mixSeeds, Rng } from './prng.ts';
import { dryTouch, placeTouch, printStats, type TouchPlacement, wetTouch } from './touch-effects.ts';

export type RealHardSet = 'distort' | 'drywet';
export type RealHardCondition = 'distorted' | 'dry' | 'wet' | 'normal';

export interface RealHardTouch {
  image: GrayImage;
  condition: RealHardCondition;
  /** what was drawn, for the set's conditions.json (rounded, in source pixels and degrees) */
  drawn: Record<string, number>;
}

const STREAM: Record<RealHardSet, number> = { distort: 61, drywet: 62 };
const deg = (r: number) => (r * 180) / Math.PI;
const round1 = (x: number) => Math.round(x * 10) / 10;

/** One hard impression of `source` (finger `finger`, impression `impression`) for `set`. */
export function realHardTouch(
  set: RealHardSet,
  source: GrayImage,
  seed: number,
  finger: number,
  impression: number,
): RealHardTouch {
  const r = new Rng(mixSeeds(seed, finger, impression, STREAM[set]));
  const stats = printStats(source);
  const { width: w, height: h } = source;
  const scale = source.dpi / 500;
  if (set === 'distort') {
    const t = strongPlacement(r, w, h, scale);
    const image = placeTouch(source, stats, t);
    return { image, condition: 'distorted', drawn: describe(t, scale) };
  }
  const t = mildPlacement(r, w, h, scale);
  const placed = placeTouch(source, stats, t);
  const kind = r.weighted({ dry: 1, wet: 1, normal: 1 } as const);
  const level = r.uniform(0.55, 1);
  const drawn = describe(t, scale);
  if (kind === 'normal') return { image: placed, condition: 'normal', drawn };
  // the effects need the stats of the placed image (the print moved)
  const placedStats = printStats(placed);
  const fx = r.fork(7);
  const image =
    kind === 'dry' ? dryTouch(placed, placedStats, fx, level) : wetTouch(placed, placedStats, fx, level);
  return { image, condition: kind, drawn: { ...drawn, level: round1(level) } };
}

/** Twist and press: big rotation, big shift, outer skin dragged 20-50 px (at 500 dpi). */
function strongPlacement(r: Rng, w: number, h: number, scale: number): TouchPlacement {
  const sign = () => (r.random() < 0.5 ? -1 : 1);
  const pull = r.uniform(18, 40) * scale;
  const dir = r.uniform(0, 2 * Math.PI);
  return {
    rotation: (r.normalIn(0, 18, -35, 35) * Math.PI) / 180,
    shiftX: r.normalIn(0, 0.11 * w, -0.24 * w, 0.24 * w),
    shiftY: r.normalIn(0, 0.11 * h, -0.24 * h, 0.24 * h),
    plastic: {
      cx: r.normal(0, 15 * scale),
      cy: r.normal(0, 15 * scale),
      rx: r.uniform(30, 50) * scale,
      ry: r.uniform(40, 65) * scale,
      k: r.uniform(55, 85) * scale,
      rotation: sign() * r.uniform(0.03, 0.1),
      tx: pull * Math.cos(dir),
      ty: pull * Math.sin(dir),
    },
    warp: randomWarp(r, w, h, r.uniform(4, 8) * scale),
  };
}

/** An ordinary touch: a little turned, shifted and stretched. */
function mildPlacement(r: Rng, w: number, h: number, scale: number): TouchPlacement {
  return {
    rotation: (r.normalIn(0, 7, -15, 15) * Math.PI) / 180,
    shiftX: r.normalIn(0, 0.05 * w, -0.1 * w, 0.1 * w),
    shiftY: r.normalIn(0, 0.05 * h, -0.1 * h, 0.1 * h),
    plastic: {
      cx: r.normal(0, 10 * scale),
      cy: r.normal(0, 10 * scale),
      rx: r.uniform(35, 60) * scale,
      ry: r.uniform(45, 75) * scale,
      k: r.uniform(50, 90) * scale,
      rotation: r.normalIn(0, 0.04, -0.08, 0.08),
      tx: r.normalIn(0, 5, -10, 10) * scale,
      ty: r.normalIn(0, 5, -10, 10) * scale,
    },
  };
}

function describe(t: TouchPlacement, scale: number): Record<string, number> {
  return {
    rotationDeg: round1(deg(t.rotation)),
    shiftX: round1(t.shiftX),
    shiftY: round1(t.shiftY),
    // the outer region's drag at 150 px (500 dpi) from the contact centre: translation + turn
    outerDragPx: round1(Math.hypot(t.plastic.tx, t.plastic.ty) + Math.abs(t.plastic.rotation) * 150 * scale),
    plasticTurnDeg: round1(deg(t.plastic.rotation)),
  };
}
