/**
 * The coarse grid of square blocks on which orientation, frequency, mask and quality live.
 * Per-block arrays are row-major, `cols * rows` long; the last row/column may be partial.
 */
export interface BlockGrid {
  blockSize: number;
  cols: number;
  rows: number;
}

export function blockGrid(width: number, height: number, blockSize: number): BlockGrid {
  return { blockSize, cols: Math.ceil(width / blockSize), rows: Math.ceil(height / blockSize) };
}

/** Index of the block holding pixel (x, y), clamped to the grid. */
export function blockAt(grid: BlockGrid, x: number, y: number): number {
  const bx = Math.min(grid.cols - 1, Math.max(0, Math.floor(x / grid.blockSize)));
  const by = Math.min(grid.rows - 1, Math.max(0, Math.floor(y / grid.blockSize)));
  return by * grid.cols + bx;
}

/**
 * Separable Gaussian smoothing of a per-block field, optionally weighted (0 weight = ignored), so that
 * holes in a field are filled from their neighbours. Returns a new array.
 */
export function smoothBlocks(
  grid: BlockGrid,
  values: Float32Array,
  sigma: number,
  radius: number,
  weights?: Float32Array,
): Float32Array {
  const { cols, rows } = grid;
  const kernel = new Float32Array(2 * radius + 1);
  for (let i = -radius; i <= radius; i++) kernel[i + radius] = Math.exp(-(i * i) / (2 * sigma * sigma));
  const n = cols * rows;
  const num = new Float32Array(n);
  const den = new Float32Array(n);
  // Horizontal pass of weighted values and of weights, then vertical pass of both. Taps that fall
  // off the grid are left out by the loop bounds, not tested one by one; the terms that remain are
  // added in the same order, so the sums are the same.
  for (let y = 0; y < rows; y++) {
    const row = y * cols;
    for (let x = 0; x < cols; x++) {
      const kFrom = Math.max(-radius, -x);
      const kTo = Math.min(radius, cols - 1 - x);
      let s = 0;
      let w = 0;
      if (weights) {
        for (let k = kFrom; k <= kTo; k++) {
          const i = row + x + k;
          const wk = kernel[k + radius] * weights[i];
          s += wk * values[i];
          w += wk;
        }
      } else {
        for (let k = kFrom; k <= kTo; k++) {
          const wk = kernel[k + radius];
          s += wk * values[row + x + k];
          w += wk;
        }
      }
      num[row + x] = s;
      den[row + x] = w;
    }
  }
  const out = new Float32Array(n);
  for (let y = 0; y < rows; y++) {
    const kFrom = Math.max(-radius, -y);
    const kTo = Math.min(radius, rows - 1 - y);
    for (let x = 0; x < cols; x++) {
      let s = 0;
      let w = 0;
      for (let k = kFrom; k <= kTo; k++) {
        const i = (y + k) * cols + x;
        const wk = kernel[k + radius];
        s += wk * num[i];
        w += wk * den[i];
      }
      out[y * cols + x] = w > 1e-9 ? s / w : 0;
    }
  }
  return out;
}
