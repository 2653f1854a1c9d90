/**
 * Values shared by the fingerprint codecs (this folder), the extractor and the matcher (src/biometrics).
 *
 * Coordinates are pixels of the image the minutiae belong to, with `dpi` saying how big a pixel is;
 * the matcher rescales to 500 dpi itself. The origin is the top-left pixel, y grows downwards.
 * Angles follow ISO/IEC 19794-2: radians in [0, 2π), measured counter-clockwise from the x axis
 * as seen on the image (so with y pointing down, a direction (dx, dy) has angle atan2(-dy, dx)).
 */
export type MinutiaType = 'ending' | 'bifurcation' | 'other';

export interface Minutia {
  x: number;
  y: number;
  /** radians, [0, 2π), ISO/IEC 19794-2 convention (see above) */
  angle: number;
  type: MinutiaType;
  /** 0..100; 0 = not reported */
  quality: number;
}

export interface MinutiaeSet {
  /** image size in pixels */
  width: number;
  height: number;
  /** horizontal and vertical resolution, dots per inch (ISO stores px/cm; 197 px/cm ≈ 500 dpi) */
  dpiX: number;
  dpiY: number;
  minutiae: Minutia[];
  /** finger image quality 0..100 as recorded */
  quality: number;
  /** ISO/IEC 19794-2 finger position: 0 unknown, 1 right thumb, 2 right index, 6 left thumb, 7 left index ... */
  fingerPosition: number;
}

/** An 8-bit greyscale image, row-major, `width * height` bytes, 0 = black ridge ink, 255 = white. */
export interface GrayImage {
  width: number;
  height: number;
  dpi: number;
  pixels: Uint8Array;
}
