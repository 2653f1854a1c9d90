/**
 * The TIFF directory utif2 will decode, checked against the image budget first. utif2 allocates
 * what the tags say (rows x bits per pixel, a tile buffer of TileWidth x TileLength) and inflates
 * each Deflate strip with no output limit (a 256 kB strip of a 64x64 image inflated to 1 GB). So:
 * only the compressions a fingerprint file uses; samples and bits that make sense; strip and tile
 * counts that match the size; every strip inside the file; the bytes utif2 will hold within the
 * budget; and each Deflate strip inflated here once with a hard limit of the bytes it should hold.
 */
import { constants, inflateRawSync } from 'node:zlib';
import type UTIF from 'utif2';
import { checkDecodeBytes, checkDimensions, IMAGE_BUDGET } from './budget.ts';
import { undecodable } from './grey.ts';

const NONE = 1;
const LZW = 5;
const DEFLATE = 8;
const DEFLATE_OLD = 32946;
const PACKBITS = 32773;
const SUPPORTED = new Set([NONE, LZW, DEFLATE, DEFLATE_OLD, PACKBITS]);
const BITS = new Set([1, 2, 4, 8, 16]);

const first = (ifd: UTIF.IFD, tag: number): number | undefined =>
  (ifd[`t${tag}`] as number[] | undefined)?.[0];
const values = (ifd: UTIF.IFD, tag: number): number[] => (ifd[`t${tag}`] as number[] | undefined) ?? [];

export function checkTiffBudget(ifd: UTIF.IFD, bytes: Uint8Array): void {
  const width = first(ifd, 256) ?? 0;
  const height = first(ifd, 257) ?? 0;
  checkDimensions('TIFF image', width, height);
  const compression = first(ifd, 259) ?? NONE;
  if (!SUPPORTED.has(compression))
    throw undecodable('TIFF', `compression ${compression} is not supported (none, LZW, Deflate, PackBits)`);
  const spp = first(ifd, 277) ?? 1;
  const bps = first(ifd, 258) ?? 1;
  if (spp < 1 || spp > 4 || !BITS.has(bps)) throw undecodable('TIFF', `${spp} samples of ${bps} bits`);
  const bitsPerPixel = spp * bps;
  const rowBytes = Math.ceil((width * bitsPerPixel) / 8);

  const tiled = ifd.t322 !== undefined;
  // each piece of pixel data: a strip of rows, or a tile, and the bytes it decodes to
  let pieceWidth = width;
  let pieceRows = Math.min(first(ifd, 278) ?? height, height);
  let count = Math.ceil(height / Math.max(1, pieceRows));
  let tileBuffer = 0;
  if (tiled) {
    pieceWidth = first(ifd, 322) ?? 0;
    pieceRows = first(ifd, 323) ?? 0;
    checkDimensions('TIFF tile', pieceWidth, pieceRows);
    count = Math.ceil(width / pieceWidth) * Math.ceil(height / pieceRows);
    tileBuffer = Math.ceil((pieceWidth * pieceRows * bitsPerPixel) / 8);
  } else if (!(pieceRows >= 1)) {
    throw undecodable('TIFF', `rows per strip ${pieceRows}`);
  }
  const offsets = values(ifd, tiled ? 324 : 273);
  const counts = values(ifd, tiled ? 325 : 279);
  if (offsets.length !== count || (counts.length !== count && !(compression === NONE && count === 1)))
    throw undecodable(
      'TIFF',
      `${offsets.length} ${tiled ? 'tiles' : 'strips'} where the size needs ${count}`,
    );
  for (let i = 0; i < counts.length; i++) {
    if (!(offsets[i] >= 0 && counts[i] >= 0 && offsets[i] + counts[i] <= bytes.length))
      throw undecodable('TIFF', `${tiled ? 'tile' : 'strip'} ${i} lies outside the file`);
  }

  // utif2 holds: the file, the rows, a tile buffer, RGBA; then the grey image.
  const needed = bytes.length + height * rowBytes + tileBuffer + width * height * 5;
  checkDecodeBytes('TIFF image', needed, `${width}x${height}, ${bitsPerPixel} bits per pixel`);

  if (compression === DEFLATE || compression === DEFLATE_OLD) {
    const pieceBytes = Math.ceil((pieceWidth * bitsPerPixel) / 8) * pieceRows;
    for (let i = 0; i < count; i++) checkInflatedSize(bytes, offsets[i], counts[i], pieceBytes);
  }
}

/** utif2 inflates bytes [2, length - 4) of each piece as raw Deflate, with no output limit */
function checkInflatedSize(bytes: Uint8Array, offset: number, length: number, limit: number): void {
  if (length < 6) return; // utif2 inflates nothing
  try {
    inflateRawSync(bytes.subarray(offset + 2, offset + length - 4), {
      maxOutputLength: Math.min(limit, IMAGE_BUDGET.maxDecodeBytes) + 1,
      finishFlush: constants.Z_SYNC_FLUSH,
    });
  } catch (e) {
    if ((e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE')
      throw undecodable('TIFF', `a Deflate strip inflates beyond the ${limit} bytes the size allows`);
    throw undecodable('TIFF', 'corrupt Deflate data', e);
  }
}
