/**
 * Low-frequency random fields (value noise): a coarse grid of seeded random values, interpolated with
 * a smooth (cubic Hermite) weight so that the result has no visible grid lines. Used for the slowly
 * varying parts of a print: ridge period, pressure, background blotches, skin dryness.
 */
import type { Rng } from './prng.ts';

/** A float image, row-major, `width * height` values. */
export interface Field {
  width: number;
  height: number;
  data: Float32Array;
}

export function makeField(width: number, height: number, fill = 0): Field {
  return { width, height, data: new Float32Array(width * height).fill(fill) };
}

/**
 * Value noise with features about `cell` pixels across, values roughly in [-1, 1] (mean 0).
 * `octaves` > 1 adds finer layers at half the cell size and half the amplitude each.
 */
export function valueNoise(rng: Rng, width: number, height: number, cell: number, octaves = 1): Field {
  const out = makeField(width, height);
  let amp = 1;
  let norm = 0;
  for (let o = 0; o < octaves; o++) {
    addLayer(rng, out, Math.max(2, cell / 2 ** o), amp);
    norm += amp;
    amp /= 2;
  }
  for (let i = 0; i < out.data.length; i++) out.data[i] /= norm;
  return out;
}

function addLayer(rng: Rng, out: Field, cell: number, amp: number): void {
  const gw = Math.ceil(out.width / cell) + 2;
  const gh = Math.ceil(out.height / cell) + 2;
  const grid = new Float32Array(gw * gh);
  for (let i = 0; i < grid.length; i++) grid[i] = rng.uniform(-1, 1);
  for (let y = 0; y < out.height; y++) {
    const gy = y / cell;
    const iy = Math.floor(gy);
    const ty = smooth(gy - iy);
    for (let x = 0; x < out.width; x++) {
      const gx = x / cell;
      const ix = Math.floor(gx);
      const tx = smooth(gx - ix);
      const a = grid[iy * gw + ix];
      const b = grid[iy * gw + ix + 1];
      const c = grid[(iy + 1) * gw + ix];
      const d = grid[(iy + 1) * gw + ix + 1];
      out.data[y * out.width + x] += amp * (a + (b - a) * tx + (c - a) * ty + (a - b - c + d) * tx * ty);
    }
  }
}

function smooth(t: number): number {
  return t * t * (3 - 2 * t);
}
