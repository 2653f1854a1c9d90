import type { FrequencyField } from './frequency.ts';
import type { OrientationField } from './orientation.ts';
import { type PaddedLayout, paddedLayout, padFloat } from './padded.ts';
import { FRESH_BUFFERS, type Scratch } from './scratch.ts';

export interface EnhanceOptions {
  directionSteps: number;
  periodStep: number;
  minPeriod: number;
  maxPeriod: number;
  alongSigma: number;
  alongRadius: number;
  /** Spacing of the along-ridge taps: the Gaussian is wide and ridges are smooth along their length. */
  alongStep: number;
  acrossSigmaRatio: number;
  /** Across-ridge kernel radius in envelope sigmas (the Gabor is cut there). */
  acrossRadiusSigmas: number;
  acrossMaxRadius: number;
}

export interface Enhanced {
  layout: PaddedLayout;
  /** Filter response in the padded layout: negative on ridges, positive in valleys, 0 off the finger. */
  response: Float32Array;
}

/**
 * Contextual enhancement: an oriented Gabor filter tuned per block, applied as two 1-D passes
 * (Gaussian smoothing ALONG the ridge, then a Gabor profile ACROSS it at the block's ridge period).
 * Two short passes cost about 2×13 taps per pixel instead of ~200 for a 2-D kernel; the directions
 * and periods are quantised so the tap offsets and weights come from tables built once.
 */
export function enhanceRidges(
  normalised: Float32Array,
  width: number,
  height: number,
  orientation: OrientationField,
  frequency: FrequencyField,
  mask: Uint8Array,
  o: EnhanceOptions,
  buffers: Scratch = FRESH_BUFFERS,
): Enhanced {
  const pad = Math.max(o.alongRadius, o.acrossMaxRadius) + 2;
  const layout = paddedLayout(width, height, pad);
  const tables = filterTables(layout.stride, o);
  const input = padFloat(layout, normalised, buffers.float32('padded', layout.size));
  const along = buffers.float32('along', layout.size);
  const response = buffers.float32('response', layout.size);
  const { blockSize, cols, rows, angle } = orientation;
  const nearMask = dilate(mask, cols, rows);

  for (let by = 0; by < rows; by++) {
    for (let bx = 0; bx < cols; bx++) {
      const b = by * cols + bx;
      if (!nearMask[b]) continue;
      const dir = directionIndex(angle[b], o.directionSteps);
      const offs = tables.alongOffsets[dir];
      const w = tables.alongWeights;
      // Symmetric kernel: fold the two sides, one multiply per pair of taps.
      const R = (w.length - 1) / 2;
      const oc = offs[R];
      const wc = w[R];
      const x1 = Math.min(width, (bx + 1) * blockSize);
      const y1 = Math.min(height, (by + 1) * blockSize);
      for (let y = by * blockSize; y < y1; y++) {
        const row = (y + pad) * layout.stride + pad;
        for (let i = row + bx * blockSize; i < row + x1; i++) {
          let s = wc * input[i + oc];
          for (let k = 1; k <= R; k++) s += w[R + k] * (input[i + offs[R + k]] + input[i + offs[R - k]]);
          along[i] = s;
        }
      }
    }
  }
  for (let by = 0; by < rows; by++) {
    for (let bx = 0; bx < cols; bx++) {
      const b = by * cols + bx;
      if (!mask[b]) continue;
      const dir = directionIndex(angle[b], o.directionSteps);
      const p = periodIndex(frequency.period[b], o);
      const weights = tables.acrossWeights[p];
      const r = (weights.length - 1) / 2;
      const offs = tables.acrossOffsets[dir].subarray(o.acrossMaxRadius - r, o.acrossMaxRadius + r + 1);
      const oc = offs[r];
      const wc = weights[r];
      const x1 = Math.min(width, (bx + 1) * blockSize);
      const y1 = Math.min(height, (by + 1) * blockSize);
      for (let y = by * blockSize; y < y1; y++) {
        const row = (y + pad) * layout.stride + pad;
        for (let i = row + bx * blockSize; i < row + x1; i++) {
          let s = 0;
          s = wc * along[i + oc];
          for (let k = 1; k <= r; k++)
            s += weights[r + k] * (along[i + offs[r + k]] + along[i + offs[r - k]]);
          response[i] = s;
        }
      }
    }
  }
  return { layout, response };
}

export function directionIndex(angle: number, steps: number): number {
  return Math.round((angle / Math.PI) * steps) % steps;
}

function periodIndex(period: number, o: EnhanceOptions): number {
  const p = Math.min(o.maxPeriod, Math.max(o.minPeriod, period || (o.minPeriod + o.maxPeriod) / 2));
  return Math.round((p - o.minPeriod) / o.periodStep);
}

interface FilterTables {
  alongOffsets: Int32Array[];
  alongWeights: Float32Array;
  /** Offsets for t = -acrossMaxRadius..acrossMaxRadius across the ridge, per direction. */
  acrossOffsets: Int32Array[];
  /** Zero-mean Gabor profiles per quantised period (odd length, centred). */
  acrossWeights: Float32Array[];
}

const tableCache = new Map<string, FilterTables>();

function filterTables(stride: number, o: EnhanceOptions): FilterTables {
  const key = `${stride}:${JSON.stringify(o)}`;
  const cached = tableCache.get(key);
  if (cached) return cached;
  const alongTaps = Math.floor(o.alongRadius / o.alongStep);
  const alongOffsets: Int32Array[] = [];
  const acrossOffsets: Int32Array[] = [];
  for (let d = 0; d < o.directionSteps; d++) {
    const a = (d / o.directionSteps) * Math.PI;
    const ux = Math.cos(a);
    const uy = Math.sin(a);
    const along = new Int32Array(2 * alongTaps + 1);
    for (let k = -alongTaps; k <= alongTaps; k++) {
      const t = k * o.alongStep;
      along[k + alongTaps] = Math.round(t * uy) * stride + Math.round(t * ux);
    }
    alongOffsets.push(along);
    const across = new Int32Array(2 * o.acrossMaxRadius + 1);
    for (let t = -o.acrossMaxRadius; t <= o.acrossMaxRadius; t++) {
      across[t + o.acrossMaxRadius] = Math.round(t * ux) * stride + Math.round(-t * uy);
    }
    acrossOffsets.push(across);
  }
  const alongWeights = new Float32Array(2 * alongTaps + 1);
  let sum = 0;
  for (let k = -alongTaps; k <= alongTaps; k++) {
    const t = k * o.alongStep;
    const w = Math.exp(-(t * t) / (2 * o.alongSigma * o.alongSigma));
    alongWeights[k + alongTaps] = w;
    sum += w;
  }
  for (let k = 0; k < alongWeights.length; k++) alongWeights[k] /= sum;
  const acrossWeights: Float32Array[] = [];
  for (let p = o.minPeriod; p <= o.maxPeriod + 1e-9; p += o.periodStep) {
    const sigma = o.acrossSigmaRatio * p;
    const r = Math.min(o.acrossMaxRadius, Math.ceil(o.acrossRadiusSigmas * sigma));
    const w = new Float32Array(2 * r + 1);
    let mean = 0;
    let env = 0;
    for (let t = -r; t <= r; t++) {
      const g = Math.exp(-(t * t) / (2 * sigma * sigma));
      w[t + r] = g * Math.cos((2 * Math.PI * t) / p);
      mean += w[t + r];
      env += g;
    }
    // Zero mean, so a uniform patch gives no response whatever its brightness.
    for (let t = -r; t <= r; t++) w[t + r] -= (mean / env) * Math.exp(-(t * t) / (2 * sigma * sigma));
    acrossWeights.push(w);
  }
  const tables = { alongOffsets, alongWeights, acrossOffsets, acrossWeights };
  tableCache.set(key, tables);
  return tables;
}

/** The mask grown by one block: where the along-ridge pass (and so the normalised image) is needed. */
export function dilate(mask: Uint8Array, cols: number, rows: number): Uint8Array {
  const out = new Uint8Array(mask.length);
  for (let y = 0; y < rows; y++) {
    for (let x = 0; x < cols; x++) {
      let on = 0;
      for (let dy = -1; dy <= 1 && !on; dy++) {
        for (let dx = -1; dx <= 1 && !on; dx++) {
          const xx = x + dx;
          const yy = y + dy;
          if (xx >= 0 && yy >= 0 && xx < cols && yy < rows) on = mask[yy * cols + xx];
        }
      }
      out[y * cols + x] = on;
    }
  }
  return out;
}
