/**
 * Orientation field of a master fingerprint.
 *
 * Sherlock & Monro's zero-pole model ("A model for interpreting fingerprint topology", Pattern
 * Recognition 26, 1993) with the piecewise-linear corrections of Vizcaya & Gerhardt ("A nonlinear
 * orientation model for global description of fingerprints", Pattern Recognition 29, 1996), as used by
 * SFinGe (Cappelli, Maio, Maltoni, ICPR 2000):
 *
 *   θ(z) = θ∞ + ½ [ Σ_cores g_c(arg(z − c)) − Σ_deltas g_d(arg(z − d)) ]
 *
 * where each g is the identity plus a small correction interpolated between 8 sample angles: with all
 * corrections zero it is the pure zero-pole model (Poincaré index +½ around a core, −½ around a delta);
 * non-zero corrections bend the flow the way real fingers do without moving or removing singularities
 * (g still maps [−π, π) onto itself, increasing, so the index is unchanged).
 *
 * Arches have no singular point; their field is a family of upward bumps (see `archAngle`).
 *
 * Angles are ridge directions in radians, counter-clockwise as seen on the image (y grows downwards),
 * as in ISO/IEC 19794-2 and protocols/biometrics/types.ts; fields hold them modulo π in [0, π).
 */
import type { Point, SingularPoints } from './classes.ts';
import type { Rng } from './prng.ts';

/** 9 samples of the correction at α = −π + 2πi/8, i = 0..8; the last equals the first. */
export type Correction = Float32Array;

export interface ArchModel {
  /** x of the bump crest and y of the most curved ridge */
  cx: number;
  cy: number;
  /** height (px) of the strongest bump and its half-width (px) */
  amplitude: number;
  spread: number;
  /** vertical extent (px) over which the bumps fade out above and below cy */
  falloff: number;
}

export interface OrientationModel {
  singular: SingularPoints;
  /** one correction per core, then one per delta */
  coreCorrections: Correction[];
  deltaCorrections: Correction[];
  /** θ∞ in radians (the overall tilt) */
  base: number;
  arch?: ArchModel;
}

/**
 * A correction with independent samples of standard deviation `sd` added to `shape(α)` (default 0).
 * Adjacent samples are kept from dropping by more than 0.9·π/4, so g stays increasing and the
 * singular point keeps its Poincaré index.
 */
export function randomCorrection(
  rng: Rng,
  sd: number,
  shape: (alpha: number) => number = () => 0,
): Correction {
  const c = new Float32Array(9);
  for (let i = 0; i < 8; i++) c[i] = shape(-Math.PI + (i * Math.PI) / 4) + rng.normal(0, sd);
  c[8] = c[0];
  const step = (Math.PI / 4) * 0.9;
  for (let i = 1; i <= 8; i++) if (c[i] < c[i - 1] - step) c[i] = c[i - 1] - step;
  // the wrap-around step (from sample 8 back to sample 0 + 2π) must hold too
  if (c[8] !== c[0]) c[8] = c[0] = Math.max(c[0], c[8]);
  return c;
}

/**
 * The correction that turns the zero-pole model's fan of ridges below a loop's core into the
 * parallel "legs" of a real loop: g(α) = α − κ·sin(α − legs) is flat (slope 1 − κ) towards the
 * legs and steep (1 + κ) over the head of the loop, where real ridges turn quickly.
 */
export function hairpinShape(legs: number, kappa: number): (alpha: number) => number {
  return (alpha) => -kappa * Math.sin(alpha - legs);
}

function corrected(alpha: number, c: Correction | undefined): number {
  if (!c) return alpha;
  const t = ((alpha + Math.PI) / (2 * Math.PI)) * 8;
  const i = Math.min(7, Math.max(0, Math.floor(t)));
  const f = t - i;
  return alpha + c[i] * (1 - f) + c[i + 1] * f;
}

/** Angle of z − p in the counter-clockwise-as-seen convention. */
function argFrom(p: Point, x: number, y: number): number {
  return Math.atan2(p.y - y, x - p.x);
}

function archAngle(a: ArchModel, x: number, y: number): number {
  // ridges y_up(x) = h(y) · exp(−(x−cx)²/2s²); the direction is the slope of that curve
  const u = (x - a.cx) / a.spread;
  const v = (y - a.cy) / a.falloff;
  const h = a.amplitude / (1 + v * v);
  const slope = -h * (u / a.spread) * Math.exp(-0.5 * u * u);
  return Math.atan(slope);
}

/** Ridge direction at (x, y), radians in [0, π). */
export function orientationAt(m: OrientationModel, x: number, y: number): number {
  let t = m.base;
  const { cores, deltas } = m.singular;
  for (let i = 0; i < cores.length; i++) t += 0.5 * corrected(argFrom(cores[i], x, y), m.coreCorrections[i]);
  for (let i = 0; i < deltas.length; i++)
    t -= 0.5 * corrected(argFrom(deltas[i], x, y), m.deltaCorrections[i]);
  if (m.arch) t += archAngle(m.arch, x, y);
  t %= Math.PI;
  return t < 0 ? t + Math.PI : t;
}

/** The field sampled at every pixel of a `width` x `height` canvas. */
export function orientationField(m: OrientationModel, width: number, height: number): Float32Array {
  const out = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) out[y * width + x] = orientationAt(m, x, y);
  }
  return out;
}
