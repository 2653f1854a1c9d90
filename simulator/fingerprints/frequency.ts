/**
 * Ridge-period map of a master fingerprint (SFinGe step 3, "density map").
 *
 * Real prints at 500 dpi have a ridge period of about 8.5-9 px (0.43-0.46 mm), a little larger (lower ridge
 * frequency) in the region above the upper core and below the deltas than in the middle. We model it
 * as a per-finger mean, plus those two regional offsets, plus slow value noise, so neighbouring ridges
 * never change spacing abruptly.
 */
import type { SingularPoints } from './classes.ts';
import type { Rng } from './prng.ts';
import { valueNoise } from './smooth-noise.ts';

export interface PeriodOptions {
  /** mean ridge period in pixels (default drawn around 8.4 px at 500 dpi, about 9 px once the regional offsets are added) */
  mean?: number;
}

export const MIN_PERIOD = 6;
export const MAX_PERIOD = 13;

export function periodMap(
  rng: Rng,
  width: number,
  height: number,
  singular: SingularPoints,
  opts: PeriodOptions = {},
): Float32Array {
  const mean = opts.mean ?? rng.normalIn(8.4, 0.35, 7.6, 9.2);
  const noise = valueNoise(rng, width, height, 110, 2);
  const wobble = rng.uniform(0.35, 0.7);
  const coreY = singular.cores.length ? Math.min(...singular.cores.map((c) => c.y)) : height * 0.4;
  const deltaY = singular.deltas.length ? Math.max(...singular.deltas.map((d) => d.y)) : height * 0.65;
  const above = rng.uniform(0.2, 0.6);
  const below = rng.uniform(0.1, 0.4);
  const out = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    // smooth ramps, 40 px wide, so the regional offsets have no edge
    const up = 1 / (1 + Math.exp((y - (coreY - 50)) / 20));
    const down = 1 / (1 + Math.exp(-(y - (deltaY + 30)) / 20));
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      const p = mean + above * up + below * down + wobble * noise.data[i];
      out[i] = Math.min(MAX_PERIOD, Math.max(MIN_PERIOD, p));
    }
  }
  return out;
}
