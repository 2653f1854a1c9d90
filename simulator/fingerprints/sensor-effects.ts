/**
 * What the sensor and the skin do to an ideal ridge pattern (SFinGe impression steps): uneven
 * pressure and skin dryness (ridges thinned and broken, or thickened and merged), pores and
 * incipient breaks, smudges, blur, the platen background and electronic noise.
 * Pure functions on typed arrays; all randomness comes from the caller's Rng.
 */
import type { Rng } from './prng.ts';
import { type Field, valueNoise } from './smooth-noise.ts';

/** 3x3 binomial blur, `passes` times (edges clamp). */
export function blur3(src: Float32Array, width: number, height: number, passes = 1): Float32Array {
  let a: Float32Array = src;
  let b: Float32Array = new Float32Array(a.length);
  for (let p = 0; p < passes; p++) {
    for (let y = 0; y < height; y++) {
      const y0 = y > 0 ? y - 1 : 0;
      const y1 = y < height - 1 ? y + 1 : y;
      for (let x = 0; x < width; x++) {
        const x0 = x > 0 ? x - 1 : 0;
        const x1 = x < width - 1 ? x + 1 : x;
        const r0 = y0 * width;
        const r = y * width;
        const r1 = y1 * width;
        b[r + x] =
          (a[r0 + x0] +
            2 * a[r0 + x] +
            a[r0 + x1] +
            2 * (a[r + x0] + a[r + x1]) +
            4 * a[r + x] +
            a[r1 + x0] +
            2 * a[r1 + x] +
            a[r1 + x1]) /
          16;
      }
    }
    const t = a;
    a = b;
    b = t === src ? new Float32Array(a.length) : t;
  }
  return a;
}

export interface SkinParams {
  /** ridge threshold shift: > 0 dry (thin, broken ridges), < 0 wet / strong pressure (thick ridges) */
  dryness: number;
  /** how much the dryness varies over the print (0..1) */
  unevenness: number;
  /** fraction (0..1) of ridge length lost to pores and breaks */
  breaks: number;
}

/**
 * Ink coverage 0..1 per pixel from the ridge value (−1 valley .. +1 ridge) and the contact weight
 * (0..1). Ridges are cut at a threshold that follows the local dryness; small random holes make the
 * beaded look of real ridges (pores, dry skin).
 */
export function inkFromRidges(
  rng: Rng,
  ridge: Float32Array,
  contact: Float32Array,
  width: number,
  height: number,
  skin: SkinParams,
  /** per-pixel threshold shift added to the dryness (negative = wetter: blots), optional */
  thresholdShift?: Float32Array,
): Float32Array {
  const dry: Field = valueNoise(rng, width, height, 70, 2);
  const pores: Field = valueNoise(rng, width, height, 2.4, 1);
  const ink = new Float32Array(width * height);
  const poreCut = quantile(pores.data, skin.breaks);
  for (let i = 0; i < ink.length; i++) {
    const c = contact[i];
    if (c <= 0) continue;
    // less pressure near the contact border makes ridges thinner there, as on a real platen
    const t =
      skin.dryness +
      skin.unevenness * 0.45 * dry.data[i] +
      0.35 * (1 - c) +
      (thresholdShift ? thresholdShift[i] : 0);
    let v = (ridge[i] - t) / 0.25 + 0.5;
    v = v < 0 ? 0 : Math.min(v, 1);
    if (pores.data[i] < poreCut) v *= 0.15;
    ink[i] = v * c;
  }
  return blur3(ink, width, height, 1);
}

/** Approximate `q` quantile of `data` from a fixed, evenly spaced subsample (deterministic). */
function quantile(data: Float32Array, q: number): number {
  const n = Math.min(data.length, 4096);
  const sample = new Float32Array(n);
  const step = data.length / n;
  for (let i = 0; i < n; i++) sample[i] = data[Math.floor(i * step)];
  sample.sort();
  return sample[Math.min(n - 1, Math.max(0, Math.floor(q * n)))];
}

export interface SensorParams {
  /** platen grey level (0..255) and its slow variation */
  background: number;
  backgroundVariation: number;
  /** how dark a full ridge is below the background */
  depth: number;
  /** Gaussian pixel noise, grey levels */
  noise: number;
  /** number of smudges (latent prints, dirt) on the platen */
  smudges: number;
  /** darkening towards the image corners (0..1), as with optical sensors */
  vignette: number;
}

/** Composes ink on the platen background, adds smudges, vignetting and noise; returns 8-bit pixels. */
export function renderSensor(
  rng: Rng,
  ink: Float32Array,
  width: number,
  height: number,
  p: SensorParams,
): Uint8Array {
  const bgNoise = valueNoise(rng, width, height, 90, 3);
  const grain = valueNoise(rng, width, height, 5, 1);
  const smudge = new Float32Array(width * height);
  for (let s = 0; s < p.smudges; s++) {
    const cx = rng.uniform(0, width);
    const cy = rng.uniform(0, height);
    const r = rng.uniform(12, 45);
    const a = rng.uniform(0.25, 0.6) * (rng.random() < 0.7 ? 1 : -0.6);
    const x0 = Math.max(0, Math.floor(cx - 2 * r));
    const x1 = Math.min(width - 1, Math.ceil(cx + 2 * r));
    const y0 = Math.max(0, Math.floor(cy - 2 * r));
    const y1 = Math.min(height - 1, Math.ceil(cy + 2 * r));
    for (let y = y0; y <= y1; y++) {
      for (let x = x0; x <= x1; x++)
        smudge[y * width + x] += a * Math.exp(-((x - cx) ** 2 + (y - cy) ** 2) / (2 * r * r));
    }
  }
  const out = new Uint8Array(width * height);
  const hx = width / 2;
  const hy = height / 2;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      const rr = ((x - hx) / hx) ** 2 + ((y - hy) / hy) ** 2;
      const bg =
        p.background +
        p.backgroundVariation * (bgNoise.data[i] + 0.3 * grain.data[i]) -
        p.vignette * 40 * rr * rr;
      // a smudge both darkens the platen and washes out ridge contrast under it
      const sm = Math.max(-0.6, Math.min(0.9, smudge[i]));
      const inkHere = ink[i] * (1 - 0.6 * Math.max(0, sm));
      const v =
        bg - p.depth * inkHere - 55 * Math.max(0, sm) + 25 * Math.max(0, -sm) + rng.normal(0, p.noise);
      out[i] = v < 0 ? 0 : v > 255 ? 255 : Math.round(v);
    }
  }
  return out;
}
