import { FRESH_BUFFERS, type Scratch } from './scratch.ts';

/**
 * Local contrast normalisation: each pixel minus the mean of its neighbourhood, divided by the
 * neighbourhood's standard deviation. Removes uneven pressure and illumination (dry and wet patches,
 * capacitive sensors' gain drift) so that later stages see ridges of one amplitude everywhere; dark
 * ridges come out negative. The statistics are taken per block over a window of (2·radius+1) blocks
 * and interpolated bilinearly between block centres: one pass over the pixels, no per-pixel window.
 * With `only` (per block, same grid), pixels of other blocks are left at 0: nobody will read them.
 */
export function normaliseLocal(
  pixels: Uint8Array,
  width: number,
  height: number,
  blockSize = 8,
  radius = 1,
  only?: Uint8Array,
  buffers: Scratch = FRESH_BUFFERS,
): Float32Array {
  const cols = Math.ceil(width / blockSize);
  const rows = Math.ceil(height / blockSize);
  const sum = new Float64Array(cols * rows);
  const sq = new Float64Array(cols * rows);
  const cnt = new Float64Array(cols * rows);
  // Sums per block row segment in locals first: one array update per segment, not per pixel.
  for (let y = 0; y < height; y++) {
    const rowBlock = Math.floor(y / blockSize) * cols;
    const row = y * width;
    for (let bx = 0; bx < cols; bx++) {
      const x1 = Math.min(width, (bx + 1) * blockSize);
      let s = 0;
      let q = 0;
      for (let i = row + bx * blockSize; i < row + x1; i++) {
        const v = pixels[i];
        s += v;
        q += v * v;
      }
      sum[rowBlock + bx] += s;
      sq[rowBlock + bx] += q;
      cnt[rowBlock + bx] += x1 - bx * blockSize;
    }
  }
  const mean = new Float32Array(cols * rows);
  const scale = new Float32Array(cols * rows);
  for (let by = 0; by < rows; by++) {
    for (let bx = 0; bx < cols; bx++) {
      let s = 0;
      let q = 0;
      let n = 0;
      for (let y = Math.max(0, by - radius); y <= Math.min(rows - 1, by + radius); y++) {
        for (let x = Math.max(0, bx - radius); x <= Math.min(cols - 1, bx + radius); x++) {
          const b = y * cols + x;
          s += sum[b];
          q += sq[b];
          n += cnt[b];
        }
      }
      const m = s / n;
      mean[by * cols + bx] = m;
      // The floor keeps flat background from being blown up into full-contrast noise.
      scale[by * cols + bx] = 1 / Math.sqrt(Math.max(q / n - m * m, 25));
    }
  }
  const out = buffers.float32('normalised', width * height);
  const half = blockSize / 2;
  const rowMean = new Float32Array(cols);
  const rowScale = new Float32Array(cols);
  const lastCentre = (cols - 1) * blockSize + half;
  for (let y = 0; y < height; y++) {
    const fy = Math.min(rows - 1, Math.max(0, (y - half + 0.5) / blockSize));
    const y0 = Math.floor(fy);
    const y1 = Math.min(rows - 1, y0 + 1);
    const ty = fy - y0;
    for (let bx = 0; bx < cols; bx++) {
      rowMean[bx] = mean[y0 * cols + bx] * (1 - ty) + mean[y1 * cols + bx] * ty;
      rowScale[bx] = scale[y0 * cols + bx] * (1 - ty) + scale[y1 * cols + bx] * ty;
    }
    const row = y * width;
    const blockRow = Math.floor(y / blockSize) * cols;
    // Before the first and after the last block centre the statistics are constant.
    for (let x = 0; x < Math.min(half, width); x++)
      out[row + x] = (pixels[row + x] - rowMean[0]) * rowScale[0];
    for (let x = lastCentre; x < width; x++) {
      out[row + x] = (pixels[row + x] - rowMean[cols - 1]) * rowScale[cols - 1];
    }
    // Between centres j and j+1 they change linearly: step them along instead of interpolating.
    for (let j = 0; j < cols - 1; j++) {
      if (only && !only[blockRow + j] && !only[blockRow + j + 1]) continue;
      const xa = j * blockSize + half;
      const xb = Math.min(width, xa + blockSize);
      const dm = (rowMean[j + 1] - rowMean[j]) / blockSize;
      const dk = (rowScale[j + 1] - rowScale[j]) / blockSize;
      let m = rowMean[j] + dm * 0.5;
      let k = rowScale[j] + dk * 0.5;
      for (let i = row + xa; i < row + xb; i++) {
        out[i] = (pixels[i] - m) * k;
        m += dm;
        k += dk;
      }
    }
  }
  return out;
}
