/**
 * Any supported image file -> GrayImage: the format is recognised from its first bytes, never from a
 * file name or a client's word. Undecodable input is BridgeError('INVALID_PARAMS').
 */
import type { GrayImage } from '../../../protocols/biometrics/types.ts';
import { BridgeError } from '../../../protocols/errors.ts';
import { decodeBmp } from './bmp.ts';
import { DEFAULT_DPI, type DefaultDpi } from './grey.ts';
import { decodeJpeg } from './jpeg.ts';
import { decodePgm } from './pgm.ts';
import { decodePng } from './png.ts';
import { decodeTiff } from './tiff.ts';

export type ImageFormat = 'tiff' | 'png' | 'bmp' | 'jpeg' | 'pgm';

export interface DecodeImageOptions {
  /**
   * dpi to assume when the file does not say (TIFF without XResolution, PGM, ...), or a function of
   * the image's size giving it; default 500
   */
  defaultDpi?: number | DefaultDpi;
}

const DECODERS: Record<ImageFormat, (bytes: Uint8Array, defaultDpi: DefaultDpi) => GrayImage> = {
  tiff: decodeTiff,
  png: decodePng,
  bmp: decodeBmp,
  jpeg: decodeJpeg,
  pgm: decodePgm,
};

export function sniffImageFormat(bytes: Uint8Array): ImageFormat | undefined {
  const b = bytes;
  if (b.length < 4) return undefined;
  if (
    (b[0] === 0x49 && b[1] === 0x49 && b[2] === 0x2a && b[3] === 0) ||
    (b[0] === 0x4d && b[1] === 0x4d && b[2] === 0 && b[3] === 0x2a)
  ) {
    return 'tiff';
  }
  if (b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47) return 'png';
  if (b[0] === 0x42 && b[1] === 0x4d) return 'bmp';
  if (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'jpeg';
  if (b[0] === 0x50 && (b[1] === 0x35 || b[1] === 0x32)) return 'pgm';
  return undefined;
}

export function decodeImageWithFormat(
  bytes: Uint8Array,
  options: DecodeImageOptions = {},
): { image: GrayImage; format: ImageFormat } {
  const given = options.defaultDpi ?? DEFAULT_DPI;
  const checked = (dpi: number) => {
    if (!(dpi > 0)) throw new BridgeError('INVALID_PARAMS', `default dpi ${dpi}`);
    return dpi;
  };
  if (typeof given === 'number') checked(given);
  const defaultDpi: DefaultDpi =
    typeof given === 'number' ? () => given : (width, height) => checked(given(width, height));
  const format = sniffImageFormat(bytes);
  if (!format)
    throw new BridgeError('INVALID_PARAMS', 'image format not recognised (TIFF, PNG, BMP, JPEG, PGM)');
  return { image: DECODERS[format](bytes, defaultDpi), format };
}

export function decodeImage(bytes: Uint8Array, options?: DecodeImageOptions): GrayImage {
  return decodeImageWithFormat(bytes, options).image;
}
