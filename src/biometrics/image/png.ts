/** PNG -> GrayImage with pngjs; the resolution comes from the pHYs chunk, which pngjs does not read. */
import { PNG } from 'pngjs';
import type { GrayImage } from '../../../protocols/biometrics/types.ts';
import { type DefaultDpi, grayImage, ppmToDpi, RGBA, toGrey, undecodable } from './grey.ts';
import { checkPngBudget } from './png-budget.ts';

const SIGNATURE_BYTES = 8;
const PHYS_UNIT_METRE = 1;

/** Walk the chunk list for pHYs in metres; undefined when absent or unit-less (aspect ratio only). */
export function readPngDpi(bytes: Uint8Array): number | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let pos = SIGNATURE_BYTES;
  while (pos + 8 <= bytes.length) {
    const length = view.getUint32(pos);
    const type = String.fromCharCode(bytes[pos + 4], bytes[pos + 5], bytes[pos + 6], bytes[pos + 7]);
    if (type === 'IDAT' || type === 'IEND') return undefined; // pHYs must come before the image data
    if (type === 'pHYs' && length === 9 && pos + 17 <= bytes.length) {
      if (bytes[pos + 16] !== PHYS_UNIT_METRE) return undefined;
      const ppm = view.getUint32(pos + 8);
      return ppm > 0 ? ppmToDpi(ppm) : undefined;
    }
    pos += 12 + length;
  }
  return undefined;
}

export function decodePng(bytes: Uint8Array, defaultDpi: DefaultDpi): GrayImage {
  // Check every header against the budget before pngjs allocates or inflates anything.
  if (bytes.length < 24) throw undecodable('PNG', 'file too short');
  checkPngBudget(bytes);
  let png: { width: number; height: number; data: Buffer };
  try {
    // pngjs hands back RGBA, 8 bits per channel, whatever the file holds (grey, palette, 16-bit).
    png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  } catch (e) {
    throw undecodable('PNG', 'corrupt data', e);
  }
  const pixels = toGrey(png.data, png.width, png.height, RGBA);
  return grayImage(png.width, png.height, readPngDpi(bytes) ?? defaultDpi(png.width, png.height), pixels);
}
