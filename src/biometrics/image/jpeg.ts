/** JPEG -> GrayImage with jpeg-js; resolution from the JFIF APP0 density when it gives one. */
import jpeg from 'jpeg-js';
import type { GrayImage } from '../../../protocols/biometrics/types.ts';
import { IMAGE_BUDGET } from './budget.ts';
import { type DefaultDpi, grayImage, RGBA, toGrey, undecodable } from './grey.ts';
import { checkJpegBudget } from './jpeg-budget.ts';

const JFIF_UNIT_DPI = 1;
const JFIF_UNIT_DPCM = 2;

/** JFIF APP0 right after SOI: 'JFIF\0', version (2), units (1), x density (2), y density (2). */
export function readJfifDpi(bytes: Uint8Array): number | undefined {
  if (bytes.length < 20 || bytes[2] !== 0xff || bytes[3] !== 0xe0) return undefined;
  const id = String.fromCharCode(...bytes.subarray(6, 11));
  if (id !== 'JFIF\0') return undefined;
  const units = bytes[13];
  const density = (bytes[14] << 8) | bytes[15];
  if (density === 0) return undefined;
  if (units === JFIF_UNIT_DPI) return density;
  if (units === JFIF_UNIT_DPCM) return density * 2.54;
  return undefined;
}

export function decodeJpeg(bytes: Uint8Array, defaultDpi: DefaultDpi): GrayImage {
  // Every frame header against the budget before jpeg-js allocates for it.
  checkJpegBudget(bytes);
  let decoded: { width: number; height: number; data: Uint8Array };
  try {
    decoded = jpeg.decode(bytes, {
      useTArray: true,
      formatAsRGBA: true,
      maxResolutionInMP: IMAGE_BUDGET.maxPixels / 1e6,
      maxMemoryUsageInMB: IMAGE_BUDGET.maxDecodeBytes / 2 ** 20,
    });
  } catch (e) {
    throw undecodable('JPEG', 'unsupported, corrupt or too large', e);
  }
  const pixels = toGrey(decoded.data, decoded.width, decoded.height, RGBA);
  return grayImage(
    decoded.width,
    decoded.height,
    readJfifDpi(bytes) ?? defaultDpi(decoded.width, decoded.height),
    pixels,
  );
}
