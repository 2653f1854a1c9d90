import type { Enhanced } from './enhance.ts';

/**
 * Ridge pixels = 1: the enhanced response is negative on dark ridges. Pixels off the finger (response
 * exactly 0, the enhancer never visited them) stay 0, and so does the padding margin that the
 * thinning relies on. In the same pass, a pixel that disagrees with at least 7 of its 8 neighbours
 * is flipped: single-pixel holes in a ridge (sweat pores) and dots in a valley would otherwise thin
 * into loops and islands. Neighbours are read from the response, so the result does not depend on
 * scan order.
 */
export function binarise(enhanced: Enhanced): Uint8Array {
  const { response, layout } = enhanced;
  const { width, height, pad, stride } = layout;
  const out = new Uint8Array(response.length);
  for (let y = 0; y < height; y++) {
    const row = (y + pad) * stride + pad;
    for (let i = row; i < row + width; i++) {
      const r = response[i];
      if (r === 0) continue;
      const on =
        (response[i - stride - 1] < 0 ? 1 : 0) +
        (response[i - stride] < 0 ? 1 : 0) +
        (response[i - stride + 1] < 0 ? 1 : 0) +
        (response[i - 1] < 0 ? 1 : 0) +
        (response[i + 1] < 0 ? 1 : 0) +
        (response[i + stride - 1] < 0 ? 1 : 0) +
        (response[i + stride] < 0 ? 1 : 0) +
        (response[i + stride + 1] < 0 ? 1 : 0);
      out[i] = r < 0 ? (on <= 1 ? 0 : 1) : on >= 7 ? 1 : 0;
    }
  }
  return out;
}
