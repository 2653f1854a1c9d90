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
      if (R === 4) {
        // The shipped kernel (9 taps): taps and weights held in locals instead of read from their
        // tables at every pixel; the same products summed in the same order, so the same values.
        const w1 = w[5];
        const w2 = w[6];
        const w3 = w[7];
        const w4 = w[8];
        const p1 = offs[5];
        const m1 = offs[3];
        const p2 = offs[6];
        const m2 = offs[2];
        const p3 = offs[7];
        const m3 = offs[1];
        const p4 = offs[8];
        const m4 = offs[0];
        for (let y = by * blockSize; y < y1; y++) {
          const row = (y + pad) * layout.stride + pad;
          for (let i = row + bx * blockSize; i < row + x1; i++) {
            along[i] =
              wc * input[i + oc] +
              w1 * (input[i + p1] + input[i + m1]) +
              w2 * (input[i + p2] + input[i + m2]) +
              w3 * (input[i + p3] + input[i + m3]) +
              w4 * (input[i + p4] + input[i + m4]);
          }
        }
        continue;
      }
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
      const x0 = bx * blockSize;
      const y0 = by * blockSize;
      if (r >= 3 && r <= 7 && o.acrossMaxRadius >= 7) {
        // Periods of 6.5 to 11 pixels (most of a finger at 500 dpi) need at most 7 taps a side:
        // taps and weights in locals, missing ones weighted 0 and never added (see below), the
        // same products summed in the same order as the loop for any other radius.
        const c = o.acrossMaxRadius;
        const all = tables.acrossOffsets[dir];
        const w1 = weights[r + 1];
        const w2 = weights[r + 2];
        const w3 = weights[r + 3];
        const w4 = r >= 4 ? weights[r + 4] : 0;
        const w5 = r >= 5 ? weights[r + 5] : 0;
        const w6 = r >= 6 ? weights[r + 6] : 0;
        const w7 = r >= 7 ? weights[r + 7] : 0;
        const p1 = all[c + 1];
        const m1 = all[c - 1];
        const p2 = all[c + 2];
        const m2 = all[c - 2];
        const p3 = all[c + 3];
        const m3 = all[c - 3];
        const p4 = all[c + 4];
        const m4 = all[c - 4];
        const p5 = all[c + 5];
        const m5 = all[c - 5];
        const p6 = all[c + 6];
        const m6 = all[c - 6];
        const p7 = all[c + 7];
        const m7 = all[c - 7];
        for (let y = y0; y < y1; y++) {
          const row = (y + pad) * layout.stride + pad;
          for (let i = row + x0; i < row + x1; i++) {
            let s = wc * along[i + oc];
            s += w1 * (along[i + p1] + along[i + m1]);
            s += w2 * (along[i + p2] + along[i + m2]);
            s += w3 * (along[i + p3] + along[i + m3]);
            if (r >= 4) s += w4 * (along[i + p4] + along[i + m4]);
            if (r >= 5) s += w5 * (along[i + p5] + along[i + m5]);
            if (r >= 6) s += w6 * (along[i + p6] + along[i + m6]);
            if (r >= 7) s += w7 * (along[i + p7] + along[i + m7]);
            response[i] = s;
          }
        }
        continue;
      }
      for (let y = y0; y < y1; y++) {
        const row = (y + pad) * layout.stride + pad;
        for (let i = row + x0; i < row + x1; i++) {
          let s = wc * along[i + oc];
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

export function periodIndex(period: number, o: EnhanceOptions): number {
  const p = Math.min(o.maxPeriod, Math.max(o.minPeriod, period || (o.minPeriod + o.maxPeriod) / 2));
  return Math.round((p - o.minPeriod) / o.periodStep);
}

export interface FilterTables {
  alongOffsets: Int32Array[];
  alongWeights: Float32Array;
  /** Offsets for t = -acrossMaxRadius..acrossMaxRadius across the ridge, per direction. */
  acrossOffsets: Int32Array[];
  /** Zero-mean Gabor profiles per quantised period (odd length, centred). */
  acrossWeights: Float32Array[];
}

const tableCache = new Map<string, FilterTables>();

/** Exported for the reference implementation in the tests only. */
export function filterTables(stride: number, o: EnhanceOptions): FilterTables {
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
