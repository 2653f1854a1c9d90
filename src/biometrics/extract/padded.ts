/**
 * A row-major buffer with a margin of `pad` pixels on every side, so that filters and neighbourhood
 * walks can index (x + dx, y + dy) with a precomputed linear offset and no bounds checks.
 * Pixel (x, y) of the image lives at `(y + pad) * stride + x + pad`.
 */
export interface PaddedLayout {
  width: number;
  height: number;
  pad: number;
  stride: number;
  /** Total length of a buffer in this layout. */
  size: number;
}

export function paddedLayout(width: number, height: number, pad: number): PaddedLayout {
  const stride = width + 2 * pad;
  return { width, height, pad, stride, size: stride * (height + 2 * pad) };
}

export function paddedIndex(l: PaddedLayout, x: number, y: number): number {
  return (y + l.pad) * l.stride + x + l.pad;
}

/** Copies an unpadded image into a zero-margined buffer (`out`, zero-filled, or a new one). */
export function padFloat(
  l: PaddedLayout,
  src: Float32Array,
  out: Float32Array = new Float32Array(l.size),
): Float32Array {
  for (let y = 0; y < l.height; y++) {
    out.set(src.subarray(y * l.width, (y + 1) * l.width), (y + l.pad) * l.stride + l.pad);
  }
  return out;
}
