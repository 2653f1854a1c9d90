/**
 * The picture inside fixtures/lzw-*.tif (made from it by libtiff's tiffcp, see tiff-lzw.test.ts):
 * a ramp on the left, deterministic noise on the right, so the LZW stream runs long enough to fill
 * the code table, widen to 12 bits and clear it several times.
 */
export function lzwTestPixels(): { width: number; height: number; pixels: Uint8Array } {
  const width = 200;
  const height = 150;
  const pixels = new Uint8Array(width * height);
  let seed = 12345;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      pixels[y * width + x] = x < width / 2 ? (x + y) & 255 : seed >>> 24;
    }
  }
  return { width, height, pixels };
}
