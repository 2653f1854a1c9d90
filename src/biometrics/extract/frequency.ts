import { type BlockGrid, smoothBlocks } from './block-grid.ts';
import type { OrientationField } from './orientation.ts';

/** Ridge period per block, in pixels (the inverse of the ridge frequency). */
export interface FrequencyField extends BlockGrid {
  /** Ridge-to-ridge distance in pixels per block; 0 where nothing could be estimated (outside the mask). */
  period: Float32Array;
}

export interface FrequencyOptions {
  /** Samples across the ridges (the signature length) and along them (averaged). */
  windowLength?: number;
  windowWidth?: number;
  minPeriod?: number;
  maxPeriod?: number;
  /** Used when no block of the image gives a plausible estimate. */
  defaultPeriod?: number;
  smoothRadius?: number;
}

/**
 * Estimates the ridge period per block (Hong, Wan & Jain's "x-signature"): the pixels of an oriented
 * window are averaged along the ridge direction into a 1-D profile across the ridges, and the mean
 * distance between its consecutive peaks is the period. Failed or implausible blocks are filled from
 * their neighbours, and the field is smoothed (it changes slowly across a finger).
 * `pixels` should be contrast-normalised (any row-major numeric array); `mask` (per block, optional)
 * limits the work to the finger.
 */
export function estimateRidgeFrequency(
  pixels: ArrayLike<number>,
  width: number,
  height: number,
  orientation: OrientationField,
  mask?: Uint8Array,
  options: FrequencyOptions = {},
): FrequencyField {
  const length = options.windowLength ?? 32;
  const widthAlong = options.windowWidth ?? 12;
  const minPeriod = options.minPeriod ?? 5;
  const maxPeriod = options.maxPeriod ?? 15;
  const { blockSize, cols, rows, angle } = orientation;
  const n = cols * rows;
  const raw = new Float32Array(n);
  const weight = new Float32Array(n);
  const signature = new Float32Array(length);
  const half = length / 2;
  for (let by = 0; by < rows; by++) {
    for (let bx = 0; bx < cols; bx++) {
      const b = by * cols + bx;
      // A checkerboard of blocks is enough: the field is smoothed and filled from neighbours anyway.
      if ((mask && !mask[b]) || (bx + by) & 1) continue;
      const cx = bx * blockSize + blockSize / 2;
      const cy = by * blockSize + blockSize / 2;
      // Unit vectors along the ridge (u) and across it (v), image axes.
      const ux = Math.cos(angle[b]);
      const uy = Math.sin(angle[b]);
      const vx = -uy;
      const vy = ux;
      let valid = true;
      for (let k = 0; k < length && valid; k++) {
        const t = k - half + 0.5;
        let s = 0;
        let m = 0;
        for (let j = 0; j < widthAlong; j += 3) {
          const a = j - widthAlong / 2 + 1;
          const fx = cx + t * vx + a * ux;
          const fy = cy + t * vy + a * uy;
          if (fx < 0 || fy < 0 || fx >= width - 0.5 || fy >= height - 0.5) continue;
          const x = (fx + 0.5) | 0;
          const y = (fy + 0.5) | 0;
          s += pixels[y * width + x];
          m++;
        }
        if (m === 0) valid = false;
        signature[k] = s / (m || 1);
      }
      if (!valid) continue;
      const period = signaturePeriod(signature);
      if (period >= minPeriod && period <= maxPeriod) {
        raw[b] = period;
        weight[b] = 1;
      }
    }
  }
  return { blockSize, cols, rows, period: fillAndSmooth(orientation, raw, weight, mask, options) };
}

/** Mean distance between consecutive maxima of a lightly smoothed profile; 0 if fewer than two. */
function signaturePeriod(sig: Float32Array): number {
  let first = -1;
  let last = -1;
  let peaks = 0;
  const n = sig.length;
  for (let i = 2; i < n - 2; i++) {
    const c = sig[i - 1] + 2 * sig[i] + sig[i + 1];
    const l = sig[i - 2] + 2 * sig[i - 1] + sig[i];
    const r = sig[i] + 2 * sig[i + 1] + sig[i + 2];
    if (c > l && c >= r) {
      // Sub-pixel peak position from a parabola through the three smoothed samples.
      const denom = l - 2 * c + r;
      const pos = i + (denom < 0 ? (0.5 * (l - r)) / denom : 0);
      if (first < 0) first = pos;
      last = pos;
      peaks++;
    }
  }
  return peaks >= 2 ? (last - first) / (peaks - 1) : 0;
}

function fillAndSmooth(
  grid: BlockGrid,
  raw: Float32Array,
  weight: Float32Array,
  mask: Uint8Array | undefined,
  options: FrequencyOptions,
): Float32Array {
  let total = 0;
  let count = 0;
  for (let i = 0; i < raw.length; i++) {
    if (weight[i]) {
      total += raw[i];
      count++;
    }
  }
  const fallback = count > 0 ? total / count : (options.defaultPeriod ?? 9);
  const radius = options.smoothRadius ?? 2;
  const smooth = smoothBlocks(grid, raw, radius / 1.5, radius, weight);
  // Blocks with no valid neighbour at all get a wider look, then the image's mean. The wide look
  // costs as much as the rest of the stage and most prints need it nowhere: computed on demand.
  let wide: Float32Array | undefined;
  const out = new Float32Array(raw.length);
  for (let i = 0; i < raw.length; i++) {
    if (mask && !mask[i]) continue;
    if (smooth[i] > 0) {
      out[i] = smooth[i];
      continue;
    }
    wide ??= smoothBlocks(grid, raw, radius * 2, radius * 4, weight);
    out[i] = wide[i] > 0 ? wide[i] : fallback;
  }
  return out;
}
