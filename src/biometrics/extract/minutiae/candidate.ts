import type { MinutiaType } from '../../../../protocols/biometrics/types.ts';

/** A minutia while the pipeline still works on it: working-resolution pixels, ISO angle. */
export interface Candidate {
  x: number;
  y: number;
  /** radians [0, 2π), ISO/IEC 19794-2 convention (counter-clockwise, y up) */
  angle: number;
  type: MinutiaType;
  /** 0..1, set by the quality stage */
  quality: number;
}

export const TWO_PI = 2 * Math.PI;

/** ISO angle of the image-axes direction (dx, dy), y pointing down. */
export function isoAngle(dx: number, dy: number): number {
  const a = Math.atan2(-dy, dx);
  return a < 0 ? a + TWO_PI : a;
}

/** Absolute difference of two directions, in [0, π]. */
export function angleDistance(a: number, b: number): number {
  const d = Math.abs(a - b) % TWO_PI;
  return d > Math.PI ? TWO_PI - d : d;
}
