/**
 * Where each sensor pixel comes from on the master fingerprint: the finger's placement (translation
 * and rotation) and the non-linear plastic distortion of the skin pressed on a flat platen
 * (Cappelli, Maio, Maltoni, "Modelling plastic distortion in fingerprint images", ICAPR 2001):
 *
 *   - a close-contact region (an ellipse) where skin sticks to the sensor and is not distorted;
 *   - an outer region that moves rigidly by a small extra rotation and translation (the finger was
 *     pushed or twisted after touching);
 *   - a transition between them whose displacement grows with the distance d from the contact
 *     region through brake(d) = 1 − exp(−d² / 2k²).
 *
 * We model the mapping from sensor to master directly (the inverse of the paper's forward mapping;
 * the family of mappings is the same and it is what rendering needs).
 */
import type { WarpField } from './hard-conditions.ts';
import type { Rng } from './prng.ts';

export interface Pose {
  /** rotation of the finger on the sensor, radians, counter-clockwise as seen */
  rotation: number;
  /** master point that lands at the sensor centre */
  masterX: number;
  masterY: number;
}

export interface PlasticDistortion {
  /** close-contact ellipse in sensor pixels */
  cx: number;
  cy: number;
  rx: number;
  ry: number;
  /** transition width, pixels */
  k: number;
  /** extra rigid motion of the outer region: rotation (radians) about the contact centre, shift */
  rotation: number;
  tx: number;
  ty: number;
}

export function randomPlasticDistortion(
  rng: Rng,
  width: number,
  height: number,
  strength: number,
): PlasticDistortion {
  return {
    cx: width / 2 + rng.normal(0, width * 0.08),
    cy: height / 2 + rng.normal(0, height * 0.08),
    rx: rng.uniform(35, 60),
    ry: rng.uniform(45, 75),
    k: rng.uniform(50, 90),
    rotation: strength * rng.normalIn(0, 0.06, -0.12, 0.12),
    tx: strength * rng.normalIn(0, 8, -16, 16),
    ty: strength * rng.normalIn(0, 8, -16, 16),
  };
}

/**
 * A function writing into `out` the master coordinates of sensor pixel (x, y); sensor size
 * `width` x `height` centred on `pose.masterX/Y`. `warp`, when given, adds a smooth non-linear
 * displacement (in sensor pixels) before the plastic model.
 */
export function sensorToMaster(
  pose: Pose,
  plastic: PlasticDistortion,
  width: number,
  height: number,
  warp?: WarpField,
): (x: number, y: number, out: Float64Array) => void {
  const cosP = Math.cos(plastic.rotation);
  const sinP = Math.sin(plastic.rotation);
  const cosR = Math.cos(pose.rotation);
  const sinR = Math.sin(pose.rotation);
  const scx = width / 2;
  const scy = height / 2;
  const k2 = 2 * plastic.k * plastic.k;
  return (sx, sy, out) => {
    let x = sx;
    let y = sy;
    if (warp) {
      const i =
        Math.min(height - 1, Math.max(0, Math.round(sy))) * width +
        Math.min(width - 1, Math.max(0, Math.round(sx)));
      x += warp.amplitude * warp.dx.data[i];
      y += warp.amplitude * warp.dy.data[i];
    }
    // plastic part, in sensor coordinates
    const ux = x - plastic.cx;
    const uy = y - plastic.cy;
    const rEll = Math.sqrt((ux / plastic.rx) ** 2 + (uy / plastic.ry) ** 2);
    let px = x;
    let py = y;
    if (rEll > 1) {
      // distance outside the ellipse along the ray from its centre
      const d = ((rEll - 1) * Math.sqrt(ux * ux + uy * uy)) / rEll;
      const brake = 1 - Math.exp((-d * d) / k2);
      const rx = plastic.cx + ux * cosP + uy * sinP + plastic.tx;
      const ry = plastic.cy - ux * sinP + uy * cosP + plastic.ty;
      px = x + (rx - x) * brake;
      py = y + (ry - y) * brake;
    }
    // rigid placement: turning the finger by +rotation on the sensor means sampling the master
    // at the sensor offset turned by −rotation (y grows downwards)
    const dx = px - scx;
    const dy = py - scy;
    out[0] = pose.masterX + dx * cosR - dy * sinR;
    out[1] = pose.masterY + dx * sinR + dy * cosR;
  };
}
