/**
 * The extractor's stages as they were before they were rewritten for speed, kept verbatim as the
 * reference the fast versions must equal bit for bit (exact-speedups.test.ts). Straightforward on
 * purpose: when a stage's behaviour is meant to change, change it here too, in the plainest form.
 */
import type { BlockGrid } from '../../../../src/biometrics/extract/block-grid.ts';
import {
  dilate,
  directionIndex,
  type Enhanced,
  type EnhanceOptions,
  filterTables,
  periodIndex,
} from '../../../../src/biometrics/extract/enhance.ts';
import type { FrequencyField } from '../../../../src/biometrics/extract/frequency.ts';
import type { OrientationField } from '../../../../src/biometrics/extract/orientation.ts';
import { type PaddedLayout, paddedLayout, padFloat } from '../../../../src/biometrics/extract/padded.ts';
import {
  COUNT,
  E,
  N,
  neighbourOffsets,
  S,
  TRANSITIONS,
  W,
} from '../../../../src/biometrics/extract/skeleton/neighbourhood.ts';
import { removeStaircases } from '../../../../src/biometrics/extract/skeleton/thin.ts';

const DELETE_FIRST = new Uint8Array(256);
const DELETE_SECOND = new Uint8Array(256);
for (let c = 0; c < 256; c++) {
  const b = COUNT[c];
  const shape = b >= 2 && b <= 6 && TRANSITIONS[c] === 1;
  const n = c & N;
  const e = c & E;
  const s = c & S;
  const w = c & W;
  DELETE_FIRST[c] = shape && !(n && e && s) && !(e && s && w) ? 1 : 0;
  DELETE_SECOND[c] = shape && !(n && e && w) && !(n && s && w) ? 1 : 0;
}

/** The 3x3 neighbourhood code, bit k set when neighbour k (clockwise from north) is set. */
function neighbourCode(bin: Uint8Array, i: number, offsets: Int32Array): number {
  let code = 0;
  for (let k = 0; k < 8; k++) if (bin[i + offsets[k]]) code |= 1 << k;
  return code;
}

/** Zhang–Suen, every pass over every remaining pixel, then the staircase pass. */
export function referenceThin(bin: Uint8Array, layout: PaddedLayout): Int32Array {
  const { stride } = layout;
  const offsets = neighbourOffsets(stride);
  let live: number[] = [];
  for (let y = 0; y < layout.height; y++) {
    const row = (y + layout.pad) * stride + layout.pad;
    for (let i = row; i < row + layout.width; i++) if (bin[i]) live.push(i);
  }
  let changed = true;
  while (changed) {
    changed = false;
    for (const table of [DELETE_FIRST, DELETE_SECOND]) {
      const doomed = live.filter((i) => table[neighbourCode(bin, i, offsets)]);
      for (const i of doomed) bin[i] = 0;
      if (doomed.length > 0) {
        changed = true;
        live = live.filter((i) => bin[i]);
      }
    }
  }
  removeStaircases(bin, live, offsets);
  return Int32Array.from(live.filter((i) => bin[i] === 1));
}

/** Ridge = negative response; a pixel that disagrees with at least 7 of its 8 neighbours flips. */
export function referenceBinarise(enhanced: Enhanced): Uint8Array {
  const { response, layout } = enhanced;
  const { width, height, pad, stride } = layout;
  const out = new Uint8Array(response.length);
  for (let y = 0; y < height; y++) {
    const row = (y + pad) * stride + pad;
    for (let i = row; i < row + width; i++) {
      const r = response[i];
      if (r === 0) continue;
      let on = 0;
      for (const o of [-stride - 1, -stride, -stride + 1, -1, 1, stride - 1, stride, stride + 1]) {
        if (response[i + o] < 0) on++;
      }
      out[i] = r < 0 ? (on <= 1 ? 0 : 1) : on >= 7 ? 1 : 0;
    }
  }
  return out;
}

/** Oriented Gabor as two 1-D passes, every tap read from its table at every pixel. */
export function referenceEnhance(
  normalised: Float32Array,
  width: number,
  height: number,
  orientation: OrientationField,
  frequency: FrequencyField,
  mask: Uint8Array,
  o: EnhanceOptions,
): Enhanced {
  const pad = Math.max(o.alongRadius, o.acrossMaxRadius) + 2;
  const layout = paddedLayout(width, height, pad);
  const tables = filterTables(layout.stride, o);
  const input = padFloat(layout, normalised);
  const along = new Float32Array(layout.size);
  const response = new Float32Array(layout.size);
  const { blockSize, cols, rows, angle } = orientation;
  const nearMask = dilate(mask, cols, rows);
  const eachPixel = (bx: number, by: number, f: (i: number) => void) => {
    const x1 = Math.min(width, (bx + 1) * blockSize);
    const y1 = Math.min(height, (by + 1) * blockSize);
    for (let y = by * blockSize; y < y1; y++) {
      const row = (y + pad) * layout.stride + pad;
      for (let i = row + bx * blockSize; i < row + x1; i++) f(i);
    }
  };
  for (let b = 0; b < cols * rows; b++) {
    if (!nearMask[b]) continue;
    const offs = tables.alongOffsets[directionIndex(angle[b], o.directionSteps)];
    const w = tables.alongWeights;
    const R = (w.length - 1) / 2;
    eachPixel(b % cols, Math.floor(b / cols), (i) => {
      let s = w[R] * input[i + offs[R]];
      for (let k = 1; k <= R; k++) s += w[R + k] * (input[i + offs[R + k]] + input[i + offs[R - k]]);
      along[i] = s;
    });
  }
  for (let b = 0; b < cols * rows; b++) {
    if (!mask[b]) continue;
    const weights = tables.acrossWeights[periodIndex(frequency.period[b], o)];
    const r = (weights.length - 1) / 2;
    const all = tables.acrossOffsets[directionIndex(angle[b], o.directionSteps)];
    const c = o.acrossMaxRadius;
    eachPixel(b % cols, Math.floor(b / cols), (i) => {
      let s = weights[r] * along[i + all[c]];
      for (let k = 1; k <= r; k++) s += weights[r + k] * (along[i + all[c + k]] + along[i + all[c - k]]);
      response[i] = s;
    });
  }
  return { layout, response };
}

/** Separable Gaussian smoothing of a block field, every tap tested against the grid's edges. */
export function referenceSmoothBlocks(
  grid: BlockGrid,
  values: Float32Array,
  sigma: number,
  radius: number,
  weights?: Float32Array,
): Float32Array {
  const { cols, rows } = grid;
  const kernel = new Float32Array(2 * radius + 1);
  for (let i = -radius; i <= radius; i++) kernel[i + radius] = Math.exp(-(i * i) / (2 * sigma * sigma));
  const n = cols * rows;
  const num = new Float32Array(n);
  const den = new Float32Array(n);
  for (let y = 0; y < rows; y++) {
    for (let x = 0; x < cols; x++) {
      let s = 0;
      let w = 0;
      for (let k = -radius; k <= radius; k++) {
        const xx = x + k;
        if (xx < 0 || xx >= cols) continue;
        const i = y * cols + xx;
        const wk = kernel[k + radius] * (weights ? weights[i] : 1);
        s += wk * values[i];
        w += wk;
      }
      num[y * cols + x] = s;
      den[y * cols + x] = w;
    }
  }
  const out = new Float32Array(n);
  for (let y = 0; y < rows; y++) {
    for (let x = 0; x < cols; x++) {
      let s = 0;
      let w = 0;
      for (let k = -radius; k <= radius; k++) {
        const yy = y + k;
        if (yy < 0 || yy >= rows) continue;
        const i = yy * cols + x;
        s += kernel[k + radius] * num[i];
        w += kernel[k + radius] * den[i];
      }
      out[y * cols + x] = w > 1e-9 ? s / w : 0;
    }
  }
  return out;
}

/** Squared-gradient sums per block from the textbook 3x3 Sobel, on every other row (orientation.ts). */
export function referenceGradientSums(pixels: Uint8Array, width: number, height: number, blockSize: number) {
  const cols = Math.ceil(width / blockSize);
  const rows = Math.ceil(height / blockSize);
  const gxx = new Float32Array(cols * rows);
  const gyy = new Float32Array(cols * rows);
  const gxy = new Float32Array(cols * rows);
  for (let y = 1; y < height - 1; y += 2) {
    for (let bx = 0; bx < cols; bx++) {
      let sxx = 0;
      let syy = 0;
      let sxy = 0;
      for (let x = Math.max(1, bx * blockSize); x < Math.min(width - 1, (bx + 1) * blockSize); x++) {
        const p = (dx: number, dy: number) => pixels[(y + dy) * width + x + dx];
        const gx = p(1, -1) + 2 * p(1, 0) + p(1, 1) - p(-1, -1) - 2 * p(-1, 0) - p(-1, 1);
        const gy = p(-1, 1) + 2 * p(0, 1) + p(1, 1) - p(-1, -1) - 2 * p(0, -1) - p(1, -1);
        sxx += gx * gx;
        syy += gy * gy;
        sxy += gx * gy;
      }
      const b = Math.floor(y / blockSize) * cols + bx;
      gxx[b] += sxx;
      gyy[b] += syy;
      gxy[b] += sxy;
    }
  }
  return { gxx, gyy, gxy };
}

/** The orientation field as orientation.ts computed it before its Sobel was done by columns. */
export function referenceOrientationField(
  pixels: Uint8Array,
  width: number,
  height: number,
  blockSize: number,
  sigma: number,
  radius: number,
) {
  const grid = { blockSize, cols: Math.ceil(width / blockSize), rows: Math.ceil(height / blockSize) };
  const n = grid.cols * grid.rows;
  const { gxx, gyy, gxy } = referenceGradientSums(pixels, width, height, blockSize);
  const count = new Float32Array(n);
  for (let y = 1; y < height - 1; y += 2) {
    for (let bx = 0; bx < grid.cols; bx++) {
      const xa = Math.max(1, bx * blockSize);
      const xb = Math.min(width - 1, (bx + 1) * blockSize);
      count[Math.floor(y / blockSize) * grid.cols + bx] += Math.max(0, xb - xa);
    }
  }
  const vx = new Float32Array(n);
  const vy = new Float32Array(n);
  const energy = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const c = count[i] || 1;
    vx[i] = (gxx[i] - gyy[i]) / c;
    vy[i] = (2 * gxy[i]) / c;
    energy[i] = (gxx[i] + gyy[i]) / c;
  }
  const svx = referenceSmoothBlocks(grid, vx, sigma, radius);
  const svy = referenceSmoothBlocks(grid, vy, sigma, radius);
  const sen = referenceSmoothBlocks(grid, energy, sigma, radius);
  const angle = new Float32Array(n);
  const coherence = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let a = 0.5 * Math.atan2(svy[i], svx[i]) + Math.PI / 2;
    if (a >= Math.PI) a -= Math.PI;
    if (a < 0) a += Math.PI;
    angle[i] = a;
    coherence[i] = sen[i] > 1e-6 ? Math.min(1, Math.hypot(svx[i], svy[i]) / sen[i]) : 0;
  }
  return { ...grid, angle, coherence, energy };
}
