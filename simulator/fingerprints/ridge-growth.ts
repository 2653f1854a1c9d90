/**
 * Ridge pattern of a master fingerprint, grown by iterated space-variant Gabor filtering from random
 * seeds (SFinGe step 4; Cappelli, Maio, Maltoni, ICPR 2000). Each pass filters every pixel of the
 * finger area with the kernel that matches the local ridge direction and period, then saturates the
 * result to [−1, 1]; ridges spread out from the seeds by about a kernel radius per pass and settle
 * into a pattern that follows the orientation and period maps everywhere. Where growth fronts meet
 * out of phase, or where the period forces it, ridges end or split: those are the minutiae.
 *
 * The start is a few strong point seeds over weaker random noise everywhere (`noise`). With point
 * seeds alone (SFinGe's textbook start) the fronts that meet in opposite phase cancel into flat grey
 * seams and the print has too few minutiae (~35 per fingertip); the noise gives every region its
 * own phase early, and the number of minutiae becomes natural (~60 per fingertip, 14 px border
 * excluded). Fewer passes keep more of those phase conflicts (more minutiae).
 *
 * For speed the growth runs at half resolution (a 9 px period is still 4.5 samples, well above
 * Nyquist), with a quarter of the pixels and a third of the taps; the result is upsampled and
 * finished at full resolution by `refine` saturated passes (default none) and one unsaturated pass,
 * which gives the ridges a rounded profile instead of a square wave.
 */
import { type GaborBank, gaborBank, kernelIndex, kernelRadius } from './gabor-bank.ts';
import type { Rng } from './prng.ts';

export interface GrowthOptions {
  /** number of initial seed points inside the finger area */
  seeds: number;
  /** saturated filtering passes at half resolution */
  iterations: number;
  /** saturated passes at full resolution after upsampling (one unsaturated pass always follows) */
  refine: number;
  /** amplification before saturation; > 1 makes the wave grow and stay crisp */
  gain: number;
  /**
   * amplitude of the uniform noise laid under the seeds: it breaks the symmetry where two growth
   * fronts meet in opposite phase (otherwise they cancel into a flat grey seam instead of forming
   * minutiae) and sets how many minutiae the print gets
   */
  noise: number;
}

export const DEFAULT_GROWTH: GrowthOptions = { seeds: 12, iterations: 8, refine: 0, gain: 2.5, noise: 0.5 };

/** One resolution level: the pixels to filter (padded indices) and the kernel each one uses. */
interface Level {
  width: number;
  height: number;
  stride: number;
  pad: number;
  bank: GaborBank;
  active: Int32Array;
  kernels: Int32Array;
}

function makeLevel(
  width: number,
  height: number,
  scale: number,
  inside: (x: number, y: number) => boolean,
  kernelAt: (x: number, y: number) => number,
): Level {
  const pad = kernelRadius(scale);
  const stride = width + 2 * pad;
  const active: number[] = [];
  const kernels: number[] = [];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (!inside(x, y)) continue;
      active.push((y + pad) * stride + x + pad);
      kernels.push(kernelAt(x, y));
    }
  }
  return {
    width,
    height,
    stride,
    pad,
    bank: gaborBank(stride, scale),
    active: Int32Array.from(active),
    kernels: Int32Array.from(kernels),
  };
}

function newBuffer(l: Level): Float32Array {
  return new Float32Array(l.stride * (l.height + 2 * l.pad));
}

/** `passes` filterings of `buf` in place (ping-pong through a scratch buffer); gain 0 = no saturation. */
function filterPasses(l: Level, buf: Float32Array, passes: number, gain: number): Float32Array {
  const { start, weights, offsets } = l.bank;
  const { active, kernels } = l;
  let cur = buf;
  let next = newBuffer(l);
  for (let it = 0; it < passes; it++) {
    for (let a = 0; a < active.length; a++) {
      const p = active[a];
      const k = kernels[a];
      let sum = 0;
      for (let t = start[k], end = start[k + 1]; t < end; t++) sum += weights[t] * cur[p + offsets[t]];
      const v = gain > 0 ? sum * gain : sum;
      next[p] = v > 1 ? 1 : Math.max(v, -1);
    }
    const tmp = cur;
    cur = next;
    next = tmp;
  }
  return cur;
}

/**
 * Returns the ridge field (Float32Array, width*height, about −1 valley .. +1 ridge) inside `mask`,
 * 0 outside. `orientation` and `period` are per-pixel maps of the same size.
 */
export function growRidges(
  rng: Rng,
  width: number,
  height: number,
  mask: Uint8Array,
  orientation: Float32Array,
  period: Float32Array,
  opts: GrowthOptions = DEFAULT_GROWTH,
): Float32Array {
  const hw = Math.ceil(width / 2);
  const hh = Math.ceil(height / 2);
  // a half-resolution sample counts as inside if any of its 2x2 full-resolution pixels is
  const insideHalf = (x: number, y: number): boolean => {
    for (let dy = 0; dy < 2; dy++) {
      for (let dx = 0; dx < 2; dx++) {
        const fx = Math.min(width - 1, 2 * x + dx);
        const fy = Math.min(height - 1, 2 * y + dy);
        if (mask[fy * width + fx]) return true;
      }
    }
    return false;
  };
  const full = (x: number, y: number): number =>
    Math.min(height - 1, 2 * y) * width + Math.min(width - 1, 2 * x);
  const half = makeLevel(hw, hh, 0.5, insideHalf, (x, y) =>
    kernelIndex(orientation[full(x, y)], period[full(x, y)]),
  );
  const fine = makeLevel(
    width,
    height,
    1,
    (x, y) => mask[y * width + x] === 1,
    (x, y) => kernelIndex(orientation[y * width + x], period[y * width + x]),
  );
  const out = new Float32Array(width * height);
  if (half.active.length === 0 || fine.active.length === 0) return out;

  let hb = newBuffer(half);
  for (const p of half.active) hb[p] = rng.uniform(-opts.noise, opts.noise);
  for (let s = 0; s < opts.seeds; s++)
    hb[half.active[rng.int(half.active.length)]] = rng.random() < 0.5 ? -1 : 1;
  hb = filterPasses(half, hb, opts.iterations, opts.gain);

  // bilinear upsampling into the full-resolution padded buffer
  let fb = newBuffer(fine);
  for (const p of fine.active) {
    const x = (p % fine.stride) - fine.pad;
    const y = Math.floor(p / fine.stride) - fine.pad;
    const gx = Math.min(hw - 1, x / 2);
    const gy = Math.min(hh - 1, y / 2);
    const ix = Math.floor(gx);
    const iy = Math.floor(gy);
    const fx = gx - ix;
    const fy = gy - iy;
    const q = (iy + half.pad) * half.stride + ix + half.pad;
    const a = hb[q];
    const b = hb[q + 1];
    const c = hb[q + half.stride];
    const d = hb[q + half.stride + 1];
    fb[p] = (a * (1 - fx) + b * fx) * (1 - fy) + (c * (1 - fx) + d * fx) * fy;
  }
  fb = filterPasses(fine, fb, opts.refine, opts.gain);
  fb = filterPasses(fine, fb, 1, 0);

  for (const p of fine.active) {
    const x = (p % fine.stride) - fine.pad;
    const y = Math.floor(p / fine.stride) - fine.pad;
    out[y * width + x] = fb[p];
  }
  return out;
}
