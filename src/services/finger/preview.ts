/**
 * finger.preview frames: small (at most 128 px wide) and few (at most one per interval), because
 * they go over the WebSocket as base64 PNG while the capture is still running and the counter page
 * only needs to show that the finger is seen.
 */
import type { GrayImage } from '../../../protocols/biometrics/types.ts';
import { encodePng, resampleToDpi } from '../../biometrics/image/index.ts';

export const PREVIEW_MAX_WIDTH = 128;
export const DEFAULT_PREVIEW_INTERVAL_MS = 250;

export interface PreviewFrame {
  /** PNG, base64 */
  image: string;
  width: number;
  height: number;
}

/** The frame shrunk to at most `maxWidth` pixels wide (aspect kept) and encoded as PNG. */
export function previewFrame(image: GrayImage, maxWidth = PREVIEW_MAX_WIDTH): PreviewFrame {
  let small = image;
  if (image.width > maxWidth) {
    // resampleToDpi scales by dpi ratio; the width rounds, so step the dpi down until it fits.
    let dpi = (image.dpi * maxWidth) / image.width;
    small = resampleToDpi(image, dpi);
    while (small.width > maxWidth) {
      dpi *= 0.995;
      small = resampleToDpi(image, dpi);
    }
  }
  return { image: encodePng(small).toString('base64'), width: small.width, height: small.height };
}

/** Lets a frame through when at least `intervalMs` passed since the last one let through. */
export class RateLimiter {
  private last = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly intervalMs: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  allow(): boolean {
    const t = this.now();
    if (t - this.last < this.intervalMs) return false;
    this.last = t;
    return true;
  }
}
