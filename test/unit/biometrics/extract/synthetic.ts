/** Synthetic ridge images for the extractor's unit tests: pure functions of their parameters. */
import type { GrayImage } from '../../../../protocols/biometrics/types.ts';

/**
 * Parallel sinusoidal ridges running along the image-axes direction `angle` (radians, y down),
 * `period` pixels apart; dark ridges (value 28) on light valleys (228).
 */
export function sinusoidRidges(width: number, height: number, angle: number, period: number): GrayImage {
  const pixels = new Uint8Array(width * height);
  // The intensity varies across the ridges, i.e. along the normal (-sin, cos).
  const nx = -Math.sin(angle);
  const ny = Math.cos(angle);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      pixels[y * width + x] = Math.round(128 + 100 * Math.cos((2 * Math.PI * (x * nx + y * ny)) / period));
    }
  }
  return { width, height, dpi: 500, pixels };
}

/**
 * Horizontal ridges with one minutia at (x0, y0), made by adding a spiral phase (Larkin & Fletcher):
 * one extra ridge appears on one side of the point. `polarity` +1 or -1 picks the spiral's sense;
 * inverting the image turns a ridge ending into a bifurcation and vice versa.
 */
export function ridgesWithMinutia(
  width: number,
  height: number,
  period: number,
  x0: number,
  y0: number,
  polarity: 1 | -1,
  invert = false,
): GrayImage {
  const pixels = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const phase = (2 * Math.PI * y) / period + polarity * Math.atan2(y - y0, x - x0);
      const v = 100 * Math.cos(phase);
      pixels[y * width + x] = Math.round(128 + (invert ? -v : v));
    }
  }
  return { width, height, dpi: 500, pixels };
}

/** Box blur, `passes` times (three passes approach a Gaussian). */
export function boxBlur(img: GrayImage, radius: number, passes: number): GrayImage {
  let src = Float32Array.from(img.pixels);
  const { width, height } = img;
  for (let p = 0; p < passes; p++) {
    const out = new Float32Array(src.length);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        let s = 0;
        let n = 0;
        for (let dy = -radius; dy <= radius; dy++) {
          for (let dx = -radius; dx <= radius; dx++) {
            const xx = x + dx;
            const yy = y + dy;
            if (xx < 0 || yy < 0 || xx >= width || yy >= height) continue;
            s += src[yy * width + xx];
            n++;
          }
        }
        out[y * width + x] = s / n;
      }
    }
    src = out;
  }
  return { ...img, pixels: Uint8Array.from(src, (v) => Math.round(v)) };
}

/** Adds zero-mean uniform noise of the given amplitude from a fixed-seed generator (reproducible). */
export function addNoise(img: GrayImage, amplitude: number, seed = 12345): GrayImage {
  let s = seed >>> 0;
  const rand = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
  const pixels = Uint8Array.from(img.pixels, (v) =>
    Math.max(0, Math.min(255, Math.round(v + (rand() * 2 - 1) * amplitude))),
  );
  return { ...img, pixels };
}
