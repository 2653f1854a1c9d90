import { type BlockGrid, blockGrid, smoothBlocks } from './block-grid.ts';

/**
 * Ridge orientation per block, from image gradients (the squared-gradient method): gradients are
 * summed as doubled-angle vectors so that opposite gradients across one ridge reinforce instead of
 * cancelling, then smoothed over neighbouring blocks.
 *
 * Angle convention (differs from the ISO minutia angle on purpose: this is an orientation, not a
 * direction): `angle` is in [0, π), in IMAGE axes (x right, y DOWN): the ridge runs along
 * (cos angle, sin angle). The ISO-style counter-clockwise orientation is (π - angle) mod π.
 */
export interface OrientationField extends BlockGrid {
  /** Ridge orientation per block, radians in [0, π), image axes (see above). */
  angle: Float32Array;
  /** Consistency of the gradients around the block, 0 (isotropic noise) .. 1 (perfectly parallel ridges). */
  coherence: Float32Array;
  /** Mean squared Sobel gradient per block, unsmoothed (absolute contrast; 0 on flat background). */
  energy: Float32Array;
}

export interface OrientationOptions {
  blockSize?: number;
  /** Gaussian smoothing of the doubled-angle vectors, in blocks. */
  smoothSigma?: number;
  smoothRadius?: number;
}

/**
 * Estimates the orientation field of a greyscale image (any numeric pixel array, row-major).
 * Reusable outside the extractor (synthetic fingerprints, matchers that compare orientation maps).
 */
export function estimateOrientationField(
  pixels: ArrayLike<number>,
  width: number,
  height: number,
  options: OrientationOptions = {},
): OrientationField {
  const grid = blockGrid(width, height, options.blockSize ?? 8);
  const { blockSize, cols, rows } = grid;
  const n = cols * rows;
  const gxx = new Float32Array(n);
  const gyy = new Float32Array(n);
  const gxy = new Float32Array(n);
  const count = new Float32Array(n);
  // Every other row is enough: each block still sums ~30 gradients, and the smoothing over
  // neighbouring blocks averages far more; it halves the cost of the one full-image pass.
  for (let y = 1; y < height - 1; y += 2) {
    const rowBlock = Math.floor(y / blockSize) * cols;
    const up = (y - 1) * width;
    const mid = y * width;
    const down = (y + 1) * width;
    for (let bx = 0; bx < cols; bx++) {
      // Sums over this block's stretch of the row in locals: one array update per stretch.
      const xa = Math.max(1, bx * blockSize);
      const xb = Math.min(width - 1, (bx + 1) * blockSize);
      let sxx = 0;
      let syy = 0;
      let sxy = 0;
      // Sobel by columns: gx is the right column's (1, 2, 1) sum minus the left one's, gy the
      // (1, 2, 1) sum of the three columns' down-minus-up differences. Sliding along the row, each
      // pixel reads one new column (3 pixels) instead of 8. Integer pixels give integer gradients,
      // so the sums are exactly those of the textbook formula whatever the order of the terms.
      let leftCol = pixels[up + xa - 1] + 2 * pixels[mid + xa - 1] + pixels[down + xa - 1];
      let leftDiff = pixels[down + xa - 1] - pixels[up + xa - 1];
      let ownCol = pixels[up + xa] + 2 * pixels[mid + xa] + pixels[down + xa];
      let ownDiff = pixels[down + xa] - pixels[up + xa];
      for (let x = xa; x < xb; x++) {
        const u = pixels[up + x + 1];
        const d = pixels[down + x + 1];
        const rightCol = u + 2 * pixels[mid + x + 1] + d;
        const rightDiff = d - u;
        const gx = rightCol - leftCol;
        const gy = leftDiff + 2 * ownDiff + rightDiff;
        sxx += gx * gx;
        syy += gy * gy;
        sxy += gx * gy;
        leftCol = ownCol;
        leftDiff = ownDiff;
        ownCol = rightCol;
        ownDiff = rightDiff;
      }
      const bi = rowBlock + bx;
      gxx[bi] += sxx;
      gyy[bi] += syy;
      gxy[bi] += sxy;
      count[bi] += Math.max(0, xb - xa);
    }
  }
  const vx = new Float32Array(n);
  const vy = new Float32Array(n);
  const energy = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const c = count[i] || 1;
    vx[i] = (gxx[i] - gyy[i]) / c;
    vy[i] = (2 * gxy[i]) / c;
    energy[i] = (gxx[i] + gyy[i]) / c;
  }
  const sigma = options.smoothSigma ?? 1.2;
  const radius = options.smoothRadius ?? 3;
  const svx = smoothBlocks(grid, vx, sigma, radius);
  const svy = smoothBlocks(grid, vy, sigma, radius);
  const sen = smoothBlocks(grid, energy, sigma, radius);
  const angle = new Float32Array(n);
  const coherence = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    // Doubled gradient angle -> gradient angle -> ridge angle (perpendicular to the gradient).
    let a = 0.5 * Math.atan2(svy[i], svx[i]) + Math.PI / 2;
    if (a >= Math.PI) a -= Math.PI;
    if (a < 0) a += Math.PI;
    angle[i] = a;
    coherence[i] = sen[i] > 1e-6 ? Math.min(1, Math.hypot(svx[i], svy[i]) / sen[i]) : 0;
  }
  return { ...grid, angle, coherence, energy };
}
