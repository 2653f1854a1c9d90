/**
 * The fingerprint area (silhouette) of a master fingerprint, after the SFinGe shape model
 * (Cappelli, Maio, Maltoni, ICPR 2000; Handbook of Fingerprint Recognition, ch. "Synthetic
 * fingerprint generation"): a rectangle of height `middle` between an upper and a lower part, each made
 * of two quarter-ellipses, so that left and right, top and bottom can be rounded differently.
 */
import type { Rng } from './prng.ts';

export interface FingerShape {
  /** centre of the rectangular middle band, master pixels */
  cx: number;
  cy: number;
  /** half-widths to the left and right of cx */
  left: number;
  right: number;
  /** heights of the upper and lower elliptic caps, and of the middle band */
  top: number;
  bottom: number;
  middle: number;
}

/** Draws a plausible fingertip silhouette for a canvas of `width` x `height` (500 dpi). */
export function randomShape(rng: Rng, width: number, height: number): FingerShape {
  const halfW = rng.normalIn(0.34, 0.025, 0.29, 0.4) * width;
  const asym = rng.uniform(-0.06, 0.06);
  const top = rng.normalIn(0.33, 0.03, 0.26, 0.4) * height;
  const middle = rng.normalIn(0.2, 0.04, 0.1, 0.3) * height;
  const bottom = rng.normalIn(0.42, 0.04, 0.32, 0.5) * height;
  // the top of the finger sits near the top of the canvas; the bottom usually leaves it (the
  // finger continues towards the palm), as in a real placement on a sensor
  const cy = rng.uniform(0.03, 0.07) * height + top + middle / 2;
  return {
    cx: width / 2 + rng.uniform(-0.02, 0.02) * width,
    cy,
    left: halfW * (1 + asym),
    right: halfW * (1 - asym),
    top,
    bottom,
    middle,
  };
}

/**
 * Signed distance-like value: > 0 inside the silhouette, < 0 outside, in pixels near the border.
 * (For the ellipse caps it is the radial excess scaled by the local radius, which is close to the true
 * distance for the mild eccentricities used here and is cheap.)
 */
export function insideness(s: FingerShape, x: number, y: number): number {
  const dx = x - s.cx;
  const halfMid = s.middle / 2;
  const a = dx < 0 ? s.left : s.right;
  let b: number;
  let dy: number;
  if (y < s.cy - halfMid) {
    b = s.top;
    dy = s.cy - halfMid - y;
  } else if (y > s.cy + halfMid) {
    b = s.bottom;
    dy = y - (s.cy + halfMid);
  } else {
    return a - Math.abs(dx);
  }
  const r = Math.sqrt((dx / a) ** 2 + (dy / b) ** 2);
  // scale by the radius of the ellipse along this direction, so the value is in pixels
  const radius = r > 1e-9 ? Math.sqrt(dx * dx + dy * dy) / r : Math.min(a, b);
  return (1 - r) * radius;
}

/** Rasterises the silhouette into a 0/1 mask. */
export function shapeMask(s: FingerShape, width: number, height: number): Uint8Array {
  const mask = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) mask[y * width + x] = insideness(s, x, y) > 0 ? 1 : 0;
  }
  return mask;
}
