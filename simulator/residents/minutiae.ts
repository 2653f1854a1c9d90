/**
 * Plausible seeded minutiae until synthetic fingerprint images exist: 40-60 minutiae inside a
 * finger-shaped area of a 500 dpi image, spaced like real ridge endings and bifurcations (at least
 * about two ridge periods apart), with directions that follow a loop-shaped ridge flow around a core.
 * The source is a parameter of makeResident, so minutiae extracted from synthetic finger images can
 * replace this later without touching residents or cards.
 */
import type { Minutia, MinutiaeSet } from '../../protocols/biometrics/types.ts';
import type { Rng } from './random.ts';

/**
 * Gives the minutiae of one finger of a resident: `fingerPosition` is the ISO/IEC 19794-2 code,
 * `fingerSeed` names the resident's synthetic finger (simulator/fingerprints) for sources that render it.
 */
export type MinutiaeSource = (rng: Rng, fingerPosition: number, fingerSeed: number) => MinutiaeSet;

export const FINGER_IMAGE_WIDTH = 300;
export const FINGER_IMAGE_HEIGHT = 400;
const MIN_SPACING_PX = 18; // ~2 ridge periods at 500 dpi (ridge period ≈ 9 px)

export const plausibleMinutiae: MinutiaeSource = (rng, fingerPosition) => {
  const w = FINGER_IMAGE_WIDTH;
  const h = FINGER_IMAGE_HEIGHT;
  // Finger pad: an ellipse, a little off-centre as a finger rarely sits perfectly.
  const cx = w / 2 + rng.float(-15, 15);
  const cy = h / 2 + rng.float(-10, 25);
  const ax = w * rng.float(0.36, 0.42);
  const ay = h * rng.float(0.4, 0.45);
  const coreX = cx + rng.float(-20, 20);
  const coreY = cy - ay * rng.float(0.05, 0.3);
  // Left and right loops lean opposite ways; the finger position decides, as for most people.
  const lean = fingerPosition <= 5 ? 1 : -1;
  const target = rng.int(40, 60);
  const minutiae: Minutia[] = [];
  let attempts = 0;
  while (minutiae.length < target && attempts++ < 20000) {
    const x = rng.float(cx - ax, cx + ax);
    const y = rng.float(cy - ay, cy + ay);
    if (((x - cx) / ax) ** 2 + ((y - cy) / ay) ** 2 > 0.92) continue;
    if (minutiae.some((m) => Math.hypot(m.x - x, m.y - y) < MIN_SPACING_PX)) continue;
    // Ridge orientation: arches below the core, circling around it above (a loop pattern).
    const dx = x - coreX;
    const dy = y - coreY;
    const ridge = dy > 0 ? Math.atan2(-dy * 0.15 * lean, 1) : Math.atan2(dx, dy) + Math.PI / 2;
    // A minutia points along its ridge, one way or the other.
    let angle = -ridge + (rng.chance(0.5) ? Math.PI : 0) + rng.gaussian() * 0.12;
    angle = ((angle % (2 * Math.PI)) + 2 * Math.PI) % (2 * Math.PI);
    minutiae.push({
      x: Math.round(x),
      y: Math.round(y),
      angle,
      type: rng.chance(0.55) ? 'ending' : 'bifurcation',
      quality: rng.int(40, 100),
    });
  }
  return {
    width: w,
    height: h,
    dpiX: 500,
    dpiY: 500,
    minutiae,
    quality: rng.int(60, 95),
    fingerPosition,
  };
};
