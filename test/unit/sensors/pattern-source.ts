/**
 * A stand-in ImageSource for sensor tests: straight sinusoidal ridges whose direction depends on
 * the presentation, so "genuine" and "other" give different pictures and every pixel value is
 * predictable. (Realistic fingers come from simulator/fingerprints; these tests check transport.)
 */
import type { GrayImage } from '../../../protocols/biometrics/types.ts';
import type { ImageRequest, ImageSource } from '../../../simulator/sensors/finger-control.ts';

const ANGLE = { genuine: 0.5, other: 2.0, poor: 0.5 } as const;

export function ridgePattern(request: ImageRequest): GrayImage {
  const { width, height } = request;
  const pixels = new Uint8Array(width * height);
  const a = ANGLE[request.presentation];
  const contrast = request.presentation === 'poor' ? 20 : 120;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const t = (x * Math.cos(a) + y * Math.sin(a)) / 9 + request.sequence;
      pixels[y * width + x] = Math.round(128 + contrast * Math.sin(2 * Math.PI * t));
    }
  }
  return { width, height, dpi: request.dpi, pixels };
}

/** remembers every image it handed out, for comparison with what the driver received */
export function recordingSource(): ImageSource & { images: GrayImage[] } {
  const images: GrayImage[] = [];
  const source = ((request: ImageRequest) => {
    const image = ridgePattern(request);
    images.push(image);
    return image;
  }) as ImageSource & { images: GrayImage[] };
  source.images = images;
  return source;
}

/** what a 4-bit Grow upload turns an 8-bit pixel into */
export function quantise4(pixels: Uint8Array): Uint8Array {
  return pixels.map((p) => Math.round(p / 17) * 17);
}
