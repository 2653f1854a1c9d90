/**
 * A bank of small even-symmetric Gabor kernels, quantised by ridge direction and ridge period, stored
 * sparse and flattened (one Float32Array of weights, one Int32Array of pixel offsets) so the
 * space-variant filtering in ridge-growth.ts is a tight loop over typed arrays. Offsets depend on the
 * row stride of the image being filtered, so a bank is built for one stride and cached.
 */
import { MAX_PERIOD, MIN_PERIOD } from './frequency.ts';

export const ORIENTATION_BINS = 36;
export const PERIOD_STEP = 0.25;
export const PERIOD_BINS = Math.round((MAX_PERIOD - MIN_PERIOD) / PERIOD_STEP) + 1;
/** kernel half-size at full resolution; 7 px covers about 1.5 ridge periods at 500 dpi */
export const KERNEL_RADIUS = 7;

/** Kernel half-size for a bank working at `scale` (1 = 500 dpi, 0.5 = half resolution). */
export function kernelRadius(scale: number): number {
  return Math.ceil(KERNEL_RADIUS * scale);
}

export interface GaborBank {
  stride: number;
  scale: number;
  /** kernel k uses weights/offsets[start[k] .. start[k + 1]) */
  start: Int32Array;
  weights: Float32Array;
  offsets: Int32Array;
}

/**
 * Index of the kernel for ridge direction `theta` (radians, any value; taken modulo π) and `period`
 * (pixels at full resolution, whatever the scale of the bank).
 */
export function kernelIndex(theta: number, period: number): number {
  let t = theta % Math.PI;
  if (t < 0) t += Math.PI;
  const o = Math.round((t / Math.PI) * ORIENTATION_BINS) % ORIENTATION_BINS;
  const p = Math.min(PERIOD_BINS - 1, Math.max(0, Math.round((period - MIN_PERIOD) / PERIOD_STEP)));
  return o * PERIOD_BINS + p;
}

const cache = new Map<string, GaborBank>();

/** The bank for images of row stride `stride` at resolution `scale` (periods are multiplied by it). */
export function gaborBank(stride: number, scale = 1): GaborBank {
  const key = `${stride}@${scale}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const bank = buildBank(stride, scale);
  cache.set(key, bank);
  return bank;
}

function buildBank(stride: number, scale: number): GaborBank {
  const n = ORIENTATION_BINS * PERIOD_BINS;
  const start = new Int32Array(n + 1);
  const w: number[] = [];
  const off: number[] = [];
  for (let o = 0; o < ORIENTATION_BINS; o++) {
    for (let p = 0; p < PERIOD_BINS; p++) {
      start[o * PERIOD_BINS + p] = w.length;
      const k = kernel(
        (o * Math.PI) / ORIENTATION_BINS,
        (MIN_PERIOD + p * PERIOD_STEP) * scale,
        kernelRadius(scale),
      );
      for (const [dx, dy, v] of k) {
        w.push(v);
        off.push(dy * stride + dx);
      }
    }
  }
  start[n] = w.length;
  return { stride, scale, start, weights: Float32Array.from(w), offsets: Int32Array.from(off) };
}

/**
 * One kernel as (dx, dy, weight) taps: Gaussian envelope times a cosine across the ridges, with its
 * mean removed (so flat areas give no response) and scaled to respond 1 to a unit ridge wave that
 * matches it (so the growth loop's gain means the same thing for every direction and period).
 */
function kernel(theta: number, period: number, R: number): Array<[number, number, number]> {
  const sAlong = 0.45 * period;
  const sAcross = 0.38 * period;
  const c = Math.cos(theta);
  const s = Math.sin(theta);
  const taps: Array<[number, number, number, number, number]> = [];
  let sumW = 0;
  let sumE = 0;
  for (let dy = -R; dy <= R; dy++) {
    for (let dx = -R; dx <= R; dx++) {
      // direction (c, −s) in image coordinates because y grows downwards
      const along = dx * c - dy * s;
      const across = dx * s + dy * c;
      const env = Math.exp(
        -0.5 * ((along * along) / (sAlong * sAlong) + (across * across) / (sAcross * sAcross)),
      );
      if (env < 0.03) continue;
      const v = env * Math.cos((2 * Math.PI * across) / period);
      taps.push([dx, dy, v, env, across]);
      sumW += v;
      sumE += env;
    }
  }
  const dc = sumW / sumE;
  let gain = 0;
  for (const t of taps) {
    t[2] -= dc * t[3];
    gain += t[2] * Math.cos((2 * Math.PI * t[4]) / period);
  }
  return taps.map(([dx, dy, v]) => [dx, dy, v / gain]);
}
