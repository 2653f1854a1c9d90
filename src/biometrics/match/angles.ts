const TWO_PI = 2 * Math.PI;

export function normalizeAngle(a: number): number {
  const r = a % TWO_PI;
  return r < 0 ? r + TWO_PI : r;
}

/** An angle in 1/256 turns, the unit of ISO/IEC 19794-2:2005 (1.40625°). */
export function quantizeAngle(a: number): number {
  return Math.round((normalizeAngle(a) * 256) / TWO_PI) & 255;
}

/** Smallest absolute difference of two angles, in [0, π]. */
export function angleDistance(a: number, b: number): number {
  const d = Math.abs(a - b) % TWO_PI;
  return d > Math.PI ? TWO_PI - d : d;
}

/** cos and sin of every quantised angle, so the voting loop never calls Math.cos. */
export const COS_Q = new Float64Array(256).map((_, q) => Math.cos((q * TWO_PI) / 256));
export const SIN_Q = new Float64Array(256).map((_, q) => Math.sin((q * TWO_PI) / 256));

/** Table T with T[(a - b) & 255] = 1 when quantised angles a and b differ by at most `tolerance` radians. */
export function angleToleranceTable(tolerance: number): Uint8Array {
  return new Uint8Array(256).map((_, d) => ((Math.min(d, 256 - d) * TWO_PI) / 256 <= tolerance ? 1 : 0));
}
