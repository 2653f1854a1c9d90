/**
 * The one size and memory budget every image decoder and the extractor answer to (issue 11: a
 * 1 MB PNG inflating to 2.2 GB, a 618-byte JPEG claiming 4000x4000). Each decoder works out from
 * the file's headers alone, before it inflates or allocates anything, the pixels and the bytes its
 * decoding library will hold, and refuses with INVALID_PARAMS naming the reason when either is over.
 * Over budget is refused in milliseconds: no decoding work is spent on it.
 */
import { BridgeError } from '../../../protocols/errors.ts';

export const IMAGE_BUDGET = {
  /** 4096 x 4096: far beyond any finger scanner (a four-finger slap at 500 dpi is ~1600 x 1500) */
  maxPixels: 4096 * 4096,
  /** no side longer than this either, so a 1 x 16M strip is no way around maxPixels' intent */
  maxSide: 8192,
  /** what a decoder may hold at once while decoding one file: inflated data, library buffers, output */
  maxDecodeBytes: 256 * 2 ** 20,
  /**
   * The extractor's working image, after resampling to its working dpi (it holds ~20 bytes per
   * working pixel): 2048 x 2048 at 500 dpi is 10 cm square, larger than any finger or slap scan.
   */
  maxWorkingPixels: 2048 * 2048,
} as const;

export function overBudget(what: string, reason: string): BridgeError {
  return new BridgeError('INVALID_PARAMS', `${what} refused: ${reason}`);
}

/** The declared size: positive integers, within maxSide and maxPixels. */
export function checkDimensions(what: string, width: number, height: number): void {
  if (!(Number.isInteger(width) && Number.isInteger(height) && width > 0 && height > 0)) {
    throw new BridgeError('INVALID_PARAMS', `cannot decode ${what}: size ${width}x${height}`);
  }
  const { maxSide, maxPixels } = IMAGE_BUDGET;
  if (width > maxSide || height > maxSide)
    throw overBudget(what, `${width}x${height} exceeds the ${maxSide}-pixel side limit`);
  if (width * height > maxPixels)
    throw overBudget(what, `${width}x${height} exceeds ${maxPixels} pixels (4096x4096)`);
}

/** The bytes a decoder will hold for this file, estimated from its headers. */
export function checkDecodeBytes(what: string, bytes: number, detail: string): void {
  const limit = IMAGE_BUDGET.maxDecodeBytes;
  if (!(bytes <= limit)) {
    throw overBudget(what, `${detail} needs ${mb(bytes)} MB to decode, over the ${mb(limit)} MB budget`);
  }
}

function mb(bytes: number): number {
  return Math.ceil(bytes / 2 ** 20);
}
