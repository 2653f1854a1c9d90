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
  // Horizontal pass of weighted values and of weights, then vertical pass of both.
  for (let y = 0; y < rows; y++) {
    for (let x = 0; x < cols; x++) {
      let s = 0;
      let w = 0;
      for (let k = -radius; k <= radius; k++) {
        const xx = x + k;
        if (xx < 0 || xx >= cols) continue;
        const i = y * cols + xx;
        const wk = kernel[k + radius] * (weights ? weights[i] : 1);
        s += wk * values[i];
        w += wk;
      }
      num[y * cols + x] = s;
      den[y * cols + x] = w;
    }
  }
  const out = new Float32Array(n);
  for (let y = 0; y < rows; y++) {
    for (let x = 0; x < cols; x++) {
      let s = 0;
      let w = 0;
      for (let k = -radius; k <= radius; k++) {
        const yy = y + k;
        if (yy < 0 || yy >= rows) continue;
        const i = yy * cols + x;
        s += kernel[k + radius] * num[i];
        w += kernel[k + radius] * den[i];
      }
      out[y * cols + x] = w > 1e-9 ? s / w : 0;
    }
  }
  return out;
}
