/** TIFF -> GrayImage with utif2 (first image of the file); resolution from XResolution/ResolutionUnit. */
import UTIF from 'utif2';
import type { GrayImage } from '../../../protocols/biometrics/types.ts';
import { BridgeError } from '../../../protocols/errors.ts';
import { type DefaultDpi, grayImage, RGBA, toGrey, undecodable } from './grey.ts';
import { checkTiffBudget } from './tiff-budget.ts';
import { decodeTiffLzw } from './tiff-lzw.ts';
import { checkTiffStructure } from './tiff-structure.ts';

// utif2's LZW decoder can loop forever on a crafted strip (tiff-lzw.ts): LZW strips go through ours.
// Same arguments (data, offset, length, target, target offset); utif2 applies the predictor after.
(UTIF.decode as unknown as { _decodeLZW: typeof decodeTiffLzw })._decodeLZW = decodeTiffLzw;

const RESOLUTION_UNIT_NONE = 1;
const RESOLUTION_UNIT_CM = 3;

/** XResolution in dpi, or undefined when absent or unit-less. TIFF's default unit is the inch. */
function tiffDpi(ifd: UTIF.IFD): number | undefined {
  const xres = ifd.t282 as unknown;
  const unit = (ifd.t296 as number[] | undefined)?.[0] ?? 2;
  if (unit === RESOLUTION_UNIT_NONE || !Array.isArray(xres) || xres.length === 0) return undefined;
  const first = xres[0] as unknown;
  const value = Array.isArray(first) ? Number(first[0]) / Number(first[1]) : Number(first);
  if (!(Number.isFinite(value) && value > 0)) return undefined;
  return unit === RESOLUTION_UNIT_CM ? value * 2.54 : value;
}

const COMPRESSION_NONE = 1;
const COMPRESSION_PACKBITS = 32773;

/**
 * A damaged header can claim 4096 x 4096 pixels in a 300-byte file, and utif2 would then spend a
 * second decoding zeros. Refuse first: uncompressed strips must hold every byte the size implies,
 * and compressed ones cannot expand beyond their scheme's best ratio (PackBits 64:1; LZW and
 * Deflate stay near 1000:1 in practice).
 */
function checkPixelDataCovers(ifd: UTIF.IFD, fileLength: number): void {
  const width = (ifd.t256 as number[])[0];
  const height = (ifd.t257 as number[])[0];
  const bits = ((ifd.t258 as number[] | undefined) ?? [1]).reduce((a, b) => a + b, 0);
  const needed = Math.ceil((width * bits) / 8) * height;
  const compression = (ifd.t259 as number[] | undefined)?.[0] ?? COMPRESSION_NONE;
  const stripBytes = ((ifd.t279 as number[] | undefined) ?? []).reduce((a, b) => a + b, 0);
  const ratio = compression === COMPRESSION_NONE ? 1 : compression === COMPRESSION_PACKBITS ? 64 : 1100;
  if (Math.min(stripBytes || fileLength, fileLength) * ratio < needed) {
    throw undecodable('TIFF', 'pixel data is shorter than the image size says');
  }
}

export function decodeTiff(bytes: Uint8Array, defaultDpi: DefaultDpi): GrayImage {
  // utif2 reads through the ArrayBuffer it is given, so hand it a view-exact copy. Not
  // bytes.slice(): on a Node Buffer that is a view of the same (possibly pooled, offset) memory.
  const buffer = new Uint8Array(bytes).buffer;
  let rgba: Uint8Array;
  let ifd: UTIF.IFD;
  try {
    checkTiffStructure(bytes);
    // MakerNote parsing off: camera vendor blocks are one more structure utif2 would trust.
    const ifds = (UTIF.decode as (b: ArrayBuffer, prm: object) => UTIF.IFD[])(buffer, {
      parseMN: false,
      debug: false,
    });
    const found = ifds.find((d) => d.t256 !== undefined && d.t257 !== undefined);
    if (!found) throw undecodable('TIFF', 'no image directory');
    ifd = found;
    checkTiffBudget(ifd, bytes);
    checkPixelDataCovers(ifd, bytes.length);
    UTIF.decodeImage(buffer, ifd);
    rgba = UTIF.toRGBA8(ifd);
  } catch (e) {
    if (e instanceof BridgeError) throw e;
    throw undecodable('TIFF', 'unsupported or corrupt data', e);
  }
  if (rgba.length < ifd.width * ifd.height * 4) throw undecodable('TIFF', 'pixel data is short');
  const pixels = toGrey(rgba, ifd.width, ifd.height, RGBA);
  return grayImage(ifd.width, ifd.height, tiffDpi(ifd) ?? defaultDpi(ifd.width, ifd.height), pixels);
}
