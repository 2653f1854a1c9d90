/**
 * Local contrast normalisation: each pixel minus the mean of its neighbourhood, divided by the
 * neighbourhood's standard deviation. Removes uneven pressure and illumination (dry and wet patches,
 * capacitive sensors' gain drift) so that later stages see ridges of one amplitude everywhere.
 * Dark ridges come out negative. Integral images keep it O(1) per pixel whatever the radius.
 */
export function normaliseLocal(
  pixels: Uint8Array,
  width: number,
  height: number,
  radius: number,
): Float32Array {
  const w1 = width + 1;
  const sum = new Float64Array(w1 * (height + 1));
  const sq = new Float64Array(w1 * (height + 1));
  for (let y = 0; y < height; y++) {
    let rs = 0;
    let rq = 0;
    const row = y * width;
    const o = (y + 1) * w1;
    for (let x = 0; x < width; x++) {
      const v = pixels[row + x];
      rs += v;
      rq += v * v;
      sum[o + x + 1] = sum[o - w1 + x + 1] + rs;
      sq[o + x + 1] = sq[o - w1 + x + 1] + rq;
    }
  }
  const out = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    const y0 = Math.max(0, y - radius);
    const y1 = Math.min(height, y + radius + 1);
    for (let x = 0; x < width; x++) {
      const x0 = Math.max(0, x - radius);
      const x1 = Math.min(width, x + radius + 1);
      const a = y0 * w1 + x0;
      const b = y0 * w1 + x1;
      const c = y1 * w1 + x0;
      const d = y1 * w1 + x1;
      const n = (y1 - y0) * (x1 - x0);
      const mean = (sum[d] - sum[b] - sum[c] + sum[a]) / n;
      const variance = (sq[d] - sq[b] - sq[c] + sq[a]) / n - mean * mean;
      // The floor keeps flat background from being blown up into full-contrast noise.
      out[y * width + x] = (pixels[y * width + x] - mean) / Math.sqrt(Math.max(variance, 25));
    }
  }
  return out;
}
