import type { Edges } from './edges.ts';
import { EDGE_MAX_LENGTH, HASH_ANGLE_STEP, HASH_LENGTH_STEP } from './params.ts';

const TWO_PI = 2 * Math.PI;
export const LENGTH_BINS = Math.ceil(EDGE_MAX_LENGTH / HASH_LENGTH_STEP) + 1;
export const ANGLE_BINS = Math.round(TWO_PI / HASH_ANGLE_STEP);
const Q_TO_RAD = TWO_PI / 256;
const BIN_COUNT = LENGTH_BINS * ANGLE_BINS * ANGLE_BINS;

/**
 * The probe's edges in a hash keyed by quantised (length, direction, relative angle), the
 * "geometric hashing" stage of Germain et al. (1997) and SourceAFIS. Tolerance is paid for once, on
 * the probe side: each probe edge is filed under the two nearest bins of every dimension, so a
 * candidate edge looks up exactly one bin and the inner loop of a 1:N search does no searching.
 * Stored as CSR (bucket offsets + edge ids) in typed arrays.
 */
export interface EdgeIndex {
  readonly bucketStart: Int32Array;
  /** probe edge id of each entry */
  readonly entries: Uint16Array;
  /** the probe edge's features copied beside each entry, so the voting loop reads memory in order */
  readonly entryLength: Float64Array;
  readonly entryDirectionQ: Uint8Array;
  readonly entryRelAngleQ: Uint8Array;
}

export function lengthBin(length: number): number {
  return Math.min(LENGTH_BINS - 1, Math.floor(length / HASH_LENGTH_STEP));
}

export function angleBin(a: number): number {
  const b = Math.floor(a / HASH_ANGLE_STEP);
  return b >= ANGLE_BINS ? ANGLE_BINS - 1 : b;
}

export function bucketOf(lengthB: number, dirB: number, relB: number): number {
  return (lengthB * ANGLE_BINS + dirB) * ANGLE_BINS + relB;
}

/** The bin a value falls in and the neighbouring bin on the side it is nearer to. */
function twoLengthBins(length: number, out: Int32Array): void {
  const b = lengthBin(length);
  const frac = length / HASH_LENGTH_STEP - b;
  const other = frac < 0.5 ? b - 1 : b + 1;
  out[0] = b;
  out[1] = other >= 0 && other < LENGTH_BINS ? other : b;
}

function twoAngleBins(a: number, out: Int32Array, offset: number): void {
  const b = angleBin(a);
  const frac = a / HASH_ANGLE_STEP - b;
  out[offset] = b;
  out[offset + 1] = frac < 0.5 ? (b + ANGLE_BINS - 1) % ANGLE_BINS : (b + 1) % ANGLE_BINS;
}

export function buildEdgeIndex(t: Edges): EdgeIndex {
  const keys = new Int32Array(t.edgeCount * 8);
  const bins = new Int32Array(6);
  const counts = new Int32Array(BIN_COUNT + 1);
  for (let e = 0; e < t.edgeCount; e++) {
    twoLengthBins(t.edgeLength[e], bins);
    twoAngleBins(t.edgeDirectionQ[e] * Q_TO_RAD, bins, 2);
    twoAngleBins(t.edgeRelAngleQ[e] * Q_TO_RAD, bins, 4);
    let k = e * 8;
    for (let a = 0; a < 2; a++) {
      for (let b = 2; b < 4; b++) {
        for (let c = 4; c < 6; c++) {
          // A value in the middle of a bin names the same neighbour twice: file it once.
          const key = bucketOf(bins[a], bins[b], bins[c]);
          let dup = false;
          for (let q = e * 8; q < k; q++) if (keys[q] === key) dup = true;
          keys[k++] = dup ? -1 : key;
          if (!dup) counts[key + 1]++;
        }
      }
    }
  }
  for (let i = 0; i < BIN_COUNT; i++) counts[i + 1] += counts[i];
  const bucketStart = counts;
  const fill = bucketStart.slice(0, BIN_COUNT);
  const total = bucketStart[BIN_COUNT];
  const entries = new Uint16Array(total);
  const entryLength = new Float64Array(total);
  const entryDirectionQ = new Uint8Array(total);
  const entryRelAngleQ = new Uint8Array(total);
  for (let q = 0; q < keys.length; q++) {
    const key = keys[q];
    if (key < 0) continue;
    const e = q >> 3;
    const at = fill[key]++;
    entries[at] = e;
    entryLength[at] = t.edgeLength[e];
    entryDirectionQ[at] = t.edgeDirectionQ[e];
    entryRelAngleQ[at] = t.edgeRelAngleQ[e];
  }
  return { bucketStart, entries, entryLength, entryDirectionQ, entryRelAngleQ };
}

/** The one bucket a candidate edge looks up; angles in 1/256 turns, as stored. */
export function candidateBucket(length: number, directionQ: number, relAngleQ: number): number {
  return bucketOf(lengthBin(length), angleBin(directionQ * Q_TO_RAD), angleBin(relAngleQ * Q_TO_RAD));
}
