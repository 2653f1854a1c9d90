/** BMP -> GrayImage with bmp-js; resolution from the header's horizontal pixels per metre. */
import bmp from 'bmp-js';
import type { GrayImage } from '../../../protocols/biometrics/types.ts';
import { checkDecodeBytes } from './budget.ts';
import { checkSize, type DefaultDpi, grayImage, ppmToDpi, toGrey, undecodable } from './grey.ts';

/** bmp-js writes 4 bytes per pixel in A, B, G, R order. */
const ABGR = { channels: 4, r: 3, g: 2, b: 1 } as const;
const HEADER_BYTES = 54;

export function decodeBmp(bytes: Uint8Array, defaultDpi: DefaultDpi): GrayImage {
  if (bytes.length < HEADER_BYTES) throw undecodable('BMP', 'file too short');
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // Check the size before bmp-js allocates for it (height is negative for top-down files).
  const width = buf.readInt32LE(18);
  const height = Math.abs(buf.readInt32LE(22));
  checkSize('BMP', width, height);
  checkBmpBudget(buf, width, height);
  let decoded: { width: number; height: number; data: Buffer; hr: number };
  try {
    decoded = bmp.decode(buf);
  } catch (e) {
    throw undecodable('BMP', 'unsupported or corrupt data', e);
  }
  if (decoded.data.length < width * height * 4) throw undecodable('BMP', 'pixel data is short');
  // bmp-js ignores the alpha of 32-bit files (it is 0 in most of them), so alpha is not used here.
  const pixels = toGrey(decoded.data, decoded.width, decoded.height, ABGR);
  const dpi = decoded.hr > 0 ? ppmToDpi(decoded.hr) : defaultDpi(decoded.width, decoded.height);
  return grayImage(decoded.width, decoded.height, dpi, pixels);
}

const BITS_PER_PIXEL = new Set([1, 4, 8, 16, 24, 32]);
const BI_RGB = 0;
const BI_BITFIELDS = 3;

/**
 * bmp-js allocates width x height x 4 from the header and, for uncompressed files, reads every row
 * the header promises: the rows must be in the file, a palette at most 256 entries, and the memory
 * within the image budget.
 */
function checkBmpBudget(buf: Buffer, width: number, height: number): void {
  const dataAt = buf.readUInt32LE(10);
  const bpp = buf.readUInt16LE(28);
  const compression = buf.readUInt32LE(30);
  const colours = buf.readUInt32LE(46);
  if (!BITS_PER_PIXEL.has(bpp)) throw undecodable('BMP', `${bpp} bits per pixel`);
  if (bpp <= 8 && colours > 256) throw undecodable('BMP', `a palette of ${colours} colours`);
  if (compression === BI_RGB || compression === BI_BITFIELDS) {
    const rowBytes = Math.ceil((width * bpp) / 32) * 4;
    if (dataAt + rowBytes * height > buf.length)
      throw undecodable('BMP', 'pixel data is shorter than the size says');
  }
  checkDecodeBytes('BMP image', buf.length + width * height * 5, `${width}x${height}`);
}
