/**
 * Resampling to the matcher's 500 dpi. Separable triangle (tent) filter: plain bilinear interpolation
 * when enlarging, and a tent widened by the shrink factor when reducing, so that a 1000-dpi scan is
 * averaged rather than aliased (ridges are only ~9 px apart at 500 dpi).
 */
import type { GrayImage } from '../../../protocols/biometrics/types.ts';
import { BridgeError } from '../../../protocols/errors.ts';

export const TARGET_DPI = 500;

interface Taps {
  first: Int32Array;
  count: Int32Array;
  weights: Float32Array;
  stride: number;
}

/** For each output index: the first source index and normalised weights of the tent around it. */
function taps(srcSize: number, dstSize: number): Taps {
  const scale = dstSize / srcSize;
  const radius = Math.max(1, 1 / scale);
  const stride = Math.ceil(2 * radius) + 1;
  const first = new Int32Array(dstSize);
  const count = new Int32Array(dstSize);
  const weights = new Float32Array(dstSize * stride);
  for (let i = 0; i < dstSize; i++) {
    const centre = (i + 0.5) / scale - 0.5;
    const lo = Math.max(0, Math.ceil(centre - radius));
    const hi = Math.min(srcSize - 1, Math.floor(centre + radius));
    let sum = 0;
    let n = 0;
    for (let j = lo; j <= hi && n < stride; j++, n++) {
      const w = Math.max(0, 1 - Math.abs(j - centre) / radius);
      weights[i * stride + n] = w;
      sum += w;
    }
    if (sum === 0) {
      // Past the edge: take the nearest pixel.
      first[i] = Math.min(srcSize - 1, Math.max(0, Math.round(centre)));
      count[i] = 1;
      weights[i * stride] = 1;
      continue;
    }
    for (let k = 0; k < n; k++) weights[i * stride + k] /= sum;
    first[i] = lo;
    count[i] = n;
  }
  return { first, count, weights, stride };
}

/** Resample to `dpi`; the size is the source size scaled by dpi / img.dpi, rounded. */
export function resampleToDpi(img: GrayImage, dpi: number): GrayImage {
  if (!(img.dpi > 0 && dpi > 0))
    throw new BridgeError('INVALID_PARAMS', `cannot resample ${img.dpi} dpi to ${dpi}`);
  const width = Math.max(1, Math.round((img.width * dpi) / img.dpi));
  const height = Math.max(1, Math.round((img.height * dpi) / img.dpi));
  if (width === img.width && height === img.height) {
    return { width, height, dpi, pixels: img.pixels.slice() };
  }
  const tx = taps(img.width, width);
  const ty = taps(img.height, height);
  const src = img.pixels;
  // Rows first: every source row -> `width` columns.
  const rows = new Float32Array(width * img.height);
  for (let y = 0; y < img.height; y++) {
    const base = y * img.width;
    for (let x = 0; x < width; x++) {
      let acc = 0;
      const f = tx.first[x];
      const w0 = x * tx.stride;
      for (let k = 0; k < tx.count[x]; k++) acc += tx.weights[w0 + k] * src[base + f + k];
      rows[y * width + x] = acc;
    }
  }
  const pixels = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    const f = ty.first[y];
    const w0 = y * ty.stride;
    for (let x = 0; x < width; x++) {
      let acc = 0;
      for (let k = 0; k < ty.count[y]; k++) acc += ty.weights[w0 + k] * rows[(f + k) * width + x];
      pixels[y * width + x] = Math.min(255, Math.max(0, Math.round(acc)));
    }
  }
  return { width, height, dpi, pixels };
}

export function resampleTo500dpi(img: GrayImage): GrayImage {
  return resampleToDpi(img, TARGET_DPI);
}
