/**
 * PNG headers checked against the image budget before pngjs sees the file. pngjs acts on every
 * IHDR it meets (a second one replaced the checked size: 16000x16000 through a 4096 limit) and
 * inflates interlaced data with no output limit (a 1 MB file inflated to 2.2 GB). So: exactly one
 * IHDR, first; the size and the memory pngjs will hold computed from it; and interlaced data
 * inflated once here with a hard output limit of what the header says it holds.
 */
import { inflateSync } from 'node:zlib';
import { checkDecodeBytes, checkDimensions } from './budget.ts';
import { undecodable } from './grey.ts';

const SIGNATURE_BYTES = 8;
/** channels per colour type (PNG spec table 11.1) and the bit depths each allows */
const COLOUR_TYPES: Record<number, { channels: number; depths: number[] }> = {
  0: { channels: 1, depths: [1, 2, 4, 8, 16] },
  2: { channels: 3, depths: [8, 16] },
  3: { channels: 1, depths: [1, 2, 4, 8] },
  4: { channels: 2, depths: [8, 16] },
  6: { channels: 4, depths: [8, 16] },
};
/** Adam7: [x start, y start, x step, y step] of each pass */
const ADAM7 = [
  [0, 0, 8, 8],
  [4, 0, 8, 8],
  [0, 4, 4, 8],
  [2, 0, 4, 4],
  [0, 2, 2, 4],
  [1, 0, 2, 2],
  [0, 1, 1, 2],
];

export interface PngHeader {
  width: number;
  height: number;
  bitDepth: number;
  colourType: number;
  interlaced: boolean;
  /** filtered scanlines as inflated from IDAT (filter byte per row included) */
  rawBytes: number;
}

function rawSize(width: number, height: number, bitsPerPixel: number, interlaced: boolean): number {
  const rows = (w: number, h: number) => (w > 0 && h > 0 ? h * (1 + Math.ceil((w * bitsPerPixel) / 8)) : 0);
  if (!interlaced) return rows(width, height);
  let total = 0;
  for (const [x0, y0, dx, dy] of ADAM7)
    total += rows(Math.ceil((width - x0) / dx), Math.ceil((height - y0) / dy));
  return total;
}

/** Walks every chunk; throws INVALID_PARAMS unless the file is within the image budget. */
export function checkPngBudget(bytes: Uint8Array): PngHeader {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let header: PngHeader | undefined;
  const idat: Uint8Array[] = [];
  let pos = SIGNATURE_BYTES;
  while (pos + 8 <= bytes.length) {
    const length = view.getUint32(pos);
    const type = String.fromCharCode(bytes[pos + 4], bytes[pos + 5], bytes[pos + 6], bytes[pos + 7]);
    if (pos + 12 + length > bytes.length) throw undecodable('PNG', `chunk ${type} runs past the end`);
    const data = bytes.subarray(pos + 8, pos + 8 + length);
    if (type === 'IHDR') {
      if (header) throw undecodable('PNG', 'more than one IHDR chunk');
      if (pos !== SIGNATURE_BYTES || length !== 13) throw undecodable('PNG', 'IHDR is not the first chunk');
      header = readIhdr(data);
    } else if (!header) {
      throw undecodable('PNG', 'IHDR is not the first chunk');
    } else if (type === 'IDAT') {
      idat.push(data);
    } else if (type === 'IEND') {
      break;
    }
    pos += 12 + length;
  }
  if (!header) throw undecodable('PNG', 'no IHDR chunk');
  const { width, height, bitDepth, interlaced, rawBytes } = header;
  // pngjs holds: the IDAT data, the inflated scanlines, RGBA at the file's depth (16-bit as
  // Uint16), 8-bit RGBA when it scales 16-bit down; then the grey image is made from that.
  const compressed = idat.reduce((n, d) => n + d.length, 0);
  const rgba = width * height * 4;
  const needed = compressed + rawBytes + rgba * (bitDepth === 16 ? 3 : 1) + width * height;
  checkDecodeBytes(
    'PNG image',
    needed,
    `${width}x${height}, ${bitDepth}-bit${interlaced ? ', interlaced' : ''}`,
  );
  if (interlaced) checkInflatedSize(idat, rawBytes);
  return header;
}

function readIhdr(d: Uint8Array): PngHeader {
  const view = new DataView(d.buffer, d.byteOffset, d.byteLength);
  const width = view.getUint32(0);
  const height = view.getUint32(4);
  const [bitDepth, colourType, , , interlace] = d.subarray(8, 13);
  checkDimensions('PNG image', width, height);
  const type = COLOUR_TYPES[colourType];
  if (!type?.depths.includes(bitDepth))
    throw undecodable('PNG', `colour type ${colourType} with bit depth ${bitDepth}`);
  if (interlace > 1) throw undecodable('PNG', `interlace method ${interlace}`);
  const interlaced = interlace === 1;
  return {
    width,
    height,
    bitDepth,
    colourType,
    interlaced,
    rawBytes: rawSize(width, height, type.channels * bitDepth, interlaced),
  };
}

/**
 * pngjs inflates interlaced images without a limit: inflate once here, stopping one byte past
 * what the header allows (zlib stops early; memory stays within the limit).
 */
function checkInflatedSize(idat: Uint8Array[], rawBytes: number): void {
  try {
    inflateSync(Buffer.concat(idat), { maxOutputLength: rawBytes + 1 });
  } catch (e) {
    if ((e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE')
      throw undecodable('PNG', `image data inflates beyond the ${rawBytes} bytes its header declares`);
    throw undecodable('PNG', 'corrupt image data', e);
  }
}
