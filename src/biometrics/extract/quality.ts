import type { OrientationField } from './orientation.ts';

/**
 * Local ridge quality per block, 0..1: how parallel the ridges are (orientation coherence: noise,
 * scars and creases lower it) times how clear they are (RMS grey-level gradient against a "fully
 * clear" level: blur, dry or faint prints lower it). Background blocks are 0.
 */
export function blockQuality(field: OrientationField, mask: Uint8Array, clearGradient: number): Float32Array {
  const q = new Float32Array(mask.length);
  for (let i = 0; i < mask.length; i++) {
    if (!mask[i]) continue;
    // Sobel responses are 8× the per-pixel derivative.
    const rms = Math.sqrt(field.energy[i]) / 8;
    q[i] = field.coherence[i] * Math.min(1, rms / clearGradient);
  }
  return q;
}

/** Mean block quality over the 3×3 blocks around a point, 0..1 (off-finger blocks count as 0). */
export function localQuality(field: OrientationField, quality: Float32Array, x: number, y: number): number {
  const bx = Math.floor(x / field.blockSize);
  const by = Math.floor(y / field.blockSize);
  let s = 0;
  for (let dy = -1; dy <= 1; dy++) {
    for (let dx = -1; dx <= 1; dx++) {
      const xx = bx + dx;
      const yy = by + dy;
      if (xx >= 0 && yy >= 0 && xx < field.cols && yy < field.rows) s += quality[yy * field.cols + xx];
    }
  }
  return s / 9;
}

/**
 * An NFIQ-like finger image quality, 0..100: the mean local quality of the finger area, scaled down
 * when the finger covers little of the image or yields few minutiae (both leave a matcher little to
 * work with). Not NFIQ itself: the figures are comparable only between images of this extractor.
 */
export function imageQuality(quality: Float32Array, mask: Uint8Array, minutiaeCount: number): number {
  let sum = 0;
  let fg = 0;
  for (let i = 0; i < mask.length; i++) {
    if (!mask[i]) continue;
    sum += quality[i];
    fg++;
  }
  if (fg === 0) return 0;
  const local = sum / fg;
  const area = Math.min(1, fg / mask.length / 0.3);
  const features = Math.min(1, minutiaeCount / 15);
  return Math.round(100 * Math.min(1, local * 1.25) * Math.sqrt(area) * Math.sqrt(features));
}
