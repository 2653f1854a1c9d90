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
  const out = new Float32Array(width * height);
  const half = blockSize / 2;
  // Horizontal interpolation positions are the same on every row: compute them once.
  const xs0 = new Int32Array(width);
  const xt = new Float32Array(width);
  for (let x = 0; x < width; x++) {
    const fx = Math.min(cols - 1, Math.max(0, (x - half + 0.5) / blockSize));
    xs0[x] = Math.min(cols - 2, Math.floor(fx));
    xt[x] = fx - xs0[x];
  }
  const rowMean = new Float32Array(cols);
  const rowScale = new Float32Array(cols);
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
    for (let x = 0; x < width; x++) {
      if (only && !only[blockRow + Math.floor(x / blockSize)]) {
        x += blockSize - 1 - (x % blockSize);
        continue;
      }
      const x0 = xs0[x];
      const t = xt[x];
      const m = rowMean[x0] + (rowMean[x0 + 1] - rowMean[x0]) * t;
      const k = rowScale[x0] + (rowScale[x0 + 1] - rowScale[x0]) * t;
      out[row + x] = (pixels[row + x] - m) * k;
    }
  }
  return out;
}
