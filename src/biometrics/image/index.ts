/** Image files in, GrayImage out (and back to PNG): the only entry other modules import. */

export { IMAGE_BUDGET } from './budget.ts';
export {
  type DecodeImageOptions,
  decodeImage,
  decodeImageWithFormat,
  type ImageFormat,
  sniffImageFormat,
} from './decode-image.ts';
export { encodePng } from './encode-png.ts';
export { DEFAULT_DPI, MAX_PIXELS } from './grey.ts';
export { resampleTo500dpi, resampleToDpi, TARGET_DPI } from './resample.ts';
