import type { GrayImage } from '../../../protocols/biometrics/types.ts';

/**
 * Bilinear resampling to a target resolution. The extractor's constants are pixels at 500 dpi, so an
 * image from a 569 dpi sensor is brought to 500 dpi here and the minutiae are scaled back afterwards.
 * (Kept local so the extractor stands alone; src/biometrics/image may offer a better filter later.)
 */
export function resampleToDpi(image: GrayImage, dpi: number): GrayImage {
  const scale = dpi / image.dpi;
  const width = Math.max(1, Math.round(image.width * scale));
  const height = Math.max(1, Math.round(image.height * scale));
  const src = image.pixels;
  const sw = image.width;
  const out = new Uint8Array(width * height);
  const sx = image.width / width;
  const sy = image.height / height;
  for (let y = 0; y < height; y++) {
    const fy = Math.min(image.height - 1, Math.max(0, (y + 0.5) * sy - 0.5));
    const y0 = Math.floor(fy);
    const y1 = Math.min(image.height - 1, y0 + 1);
    const ty = fy - y0;
    for (let x = 0; x < width; x++) {
      const fx = Math.min(sw - 1, Math.max(0, (x + 0.5) * sx - 0.5));
      const x0 = Math.floor(fx);
      const x1 = Math.min(sw - 1, x0 + 1);
      const tx = fx - x0;
      const top = src[y0 * sw + x0] * (1 - tx) + src[y0 * sw + x1] * tx;
      const bottom = src[y1 * sw + x0] * (1 - tx) + src[y1 * sw + x1] * tx;
      out[y * width + x] = Math.round(top * (1 - ty) + bottom * ty);
    }
  }
  return { width, height, dpi, pixels: out };
}
