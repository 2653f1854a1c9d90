import type { Enhanced } from './enhance.ts';
import { FRESH_BUFFERS, type Scratch } from './scratch.ts';

/**
 * Ridge pixels = 1: the enhanced response is negative on dark ridges. Pixels off the finger (response
 * exactly 0, the enhancer never visited them) stay 0, and so does the padding margin that the
 * thinning relies on. In the same pass, a pixel that disagrees with at least 7 of its 8 neighbours
 * is flipped: single-pixel holes in a ridge (sweat pores) and dots in a valley would otherwise thin
 * into loops and islands. Neighbours are read from the response, so the result does not depend on
 * scan order.
 */
export function binarise(enhanced: Enhanced, buffers: Scratch = FRESH_BUFFERS): Uint8Array {
  const { response, layout } = enhanced;
  const { width, height, pad, stride } = layout;
  const out = buffers.uint8('binary', response.length);
  // The 8-neighbour count is the sum of three column counts (left, own, right) minus the pixel
  // itself; walking along the row, two of the three columns are the ones already counted.
  for (let y = 0; y < height; y++) {
    const row = (y + pad) * stride + pad;
    let left = negativeColumn(response, row - 1, stride);
    let own = negativeColumn(response, row, stride);
    for (let i = row; i < row + width; i++) {
      const right = negativeColumn(response, i + 1, stride);
      const r = response[i];
      const on = left + own + right - (r < 0 ? 1 : 0);
      out[i] = r < 0 ? (on <= 1 ? 0 : 1) : r > 0 && on >= 7 ? 1 : 0;
      left = own;
      own = right;
    }
  }
  return out;
}

/** How many of the pixels at i - stride, i, i + stride are negative. */
function negativeColumn(response: Float32Array, i: number, stride: number): number {
  return (response[i - stride] < 0 ? 1 : 0) + (response[i] < 0 ? 1 : 0) + (response[i + stride] < 0 ? 1 : 0);
}
