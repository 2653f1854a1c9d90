import type { Enhanced } from './enhance.ts';

/**
 * Ridge pixels = 1: the enhanced response is negative on dark ridges. Pixels off the finger (response
 * exactly 0, the enhancer never visited them) stay 0, and so does the padding margin that the
 * thinning relies on.
 */
export function binarise(enhanced: Enhanced): Uint8Array {
  const { response } = enhanced;
  const out = new Uint8Array(response.length);
  for (let i = 0; i < response.length; i++) out[i] = response[i] < 0 ? 1 : 0;
  removeSpecks(enhanced, out);
  return out;
}

/**
 * Flips pixels that disagree with at least 7 of their 8 neighbours: single-pixel holes in a ridge
 * (sweat pores) and dots in a valley would otherwise thin into loops and islands.
 */
function removeSpecks(enhanced: Enhanced, bin: Uint8Array): void {
  const { width, height, pad, stride } = enhanced.layout;
  for (let y = 0; y < height; y++) {
    const row = (y + pad) * stride + pad;
    for (let i = row; i < row + width; i++) {
      const on =
        bin[i - stride - 1] +
        bin[i - stride] +
        bin[i - stride + 1] +
        bin[i - 1] +
        bin[i + 1] +
        bin[i + stride - 1] +
        bin[i + stride] +
        bin[i + stride + 1];
      if (bin[i] && on <= 1) bin[i] = 0;
      else if (!bin[i] && on >= 7 && enhanced.response[i] !== 0) bin[i] = 1;
    }
  }
}
