/** Helpers every image decoder shares: colour to grey, size limits, resolution units. */

import type { GrayImage } from '../../../protocols/biometrics/types.ts';
import { BridgeError } from '../../../protocols/errors.ts';
import { checkDimensions, IMAGE_BUDGET } from './budget.ts';

/** Used when the file says nothing about its resolution: the resolution of nearly all AFIS scanners. */
export const DEFAULT_DPI = 500;

/**
 * The resolution to give an image whose file does not carry one, from its size (decode-image.ts):
 * a caller that knows its source (eval's FVC sets) can tell sets apart by their image size.
 */
export type DefaultDpi = (width: number, height: number) => number;
/** 4096 x 4096: far beyond any finger scanner, small enough that a hostile header cannot exhaust memory. */
export const MAX_PIXELS = IMAGE_BUDGET.maxPixels;

export function undecodable(format: string, reason: string, cause?: unknown): BridgeError {
  return new BridgeError('INVALID_PARAMS', `cannot decode ${format} image: ${reason}`, undefined, { cause });
}

export function checkSize(format: string, width: number, height: number): void {
  checkDimensions(`${format} image`, width, height);
}

/**
 * Interleaved 8-bit channels -> grey (ITU-R BT.601 luma). Transparent pixels are composited over white,
 * because white is the background (no ridge) of a fingerprint image. The result owns a fresh
 * ArrayBuffer so that it can be transferred to a worker.
 */
export function toGrey(
  data: ArrayLike<number>,
  width: number,
  height: number,
  layout: { channels: number; r: number; g: number; b: number; a?: number },
): Uint8Array {
  const out = new Uint8Array(width * height);
  const { channels, r, g, b, a } = layout;
  for (let i = 0, p = 0; i < out.length; i++, p += channels) {
    const luma = (299 * data[p + r] + 587 * data[p + g] + 114 * data[p + b]) / 1000;
    const alpha = a === undefined ? 255 : data[p + a];
    out[i] = Math.round((luma * alpha + 255 * (255 - alpha)) / 255);
  }
  return out;
}

export const RGBA = { channels: 4, r: 0, g: 1, b: 2, a: 3 } as const;

/** Pixels per metre (PNG pHYs, BMP header) -> dpi, rounded to 0.01 so that 19685 ppm reads as 500. */
export function ppmToDpi(ppm: number): number {
  return Math.round(ppm * 0.0254 * 100) / 100;
}

export function dpiToPpm(dpi: number): number {
  return Math.round(dpi / 0.0254);
}

export function grayImage(width: number, height: number, dpi: number, pixels: Uint8Array): GrayImage {
  return { width, height, dpi, pixels };
}
