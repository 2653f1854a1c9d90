import type { MinutiaeSet } from '../../../protocols/biometrics/types.ts';
import { candidateBucket } from './edge-index.ts';
import {
  EDGE_MAX_LENGTH,
  EDGE_MAX_NEIGHBOURS,
  EDGE_MIN_LENGTH,
  FOOTPRINT_CELL,
  FOOTPRINT_RADIUS,
  MAX_MINUTIAE,
  TARGET_DPI,
} from './params.ts';

const TWO_PI = 2 * Math.PI;

/**
 * A template turned into the flat typed arrays the comparison loops read. Built once per template
 * (a card template, a gallery entry) and reused for every comparison it takes part in.
 *
 * Coordinates are 500 dpi pixels with y pointing UP (mathematical orientation), so that rotations
 * and ISO angles (counter-clockwise) use the textbook formulas.
 */
export interface PreparedTemplate {
  readonly count: number;
  readonly x: Float64Array;
  readonly y: Float64Array;
  /** radians, [0, 2π) */
  readonly angle: Float64Array;
  /** unit direction vector of each minutia, so angle checks in the pairing loop are two products */
  readonly cosAngle: Float64Array;
  readonly sinAngle: Float64Array;
  /** directed edges i -> j to near neighbours, grouped by i */
  readonly edgeCount: number;
  readonly edgeFrom: Uint8Array;
  readonly edgeTo: Uint8Array;
  readonly edgeLength: Float64Array;
  /** direction of the edge relative to the direction of its origin minutia, [0, 2π) */
  readonly edgeDirection: Float64Array;
  /** direction of the target minutia relative to the origin minutia, [0, 2π) */
  readonly edgeRelAngle: Float64Array;
  /** the two edge angles quantised to 1/256 turn, compared with a lookup table in the voting loop */
  readonly edgeDirectionQ: Uint8Array;
  readonly edgeRelAngleQ: Uint8Array;
  /** the edge-hash bucket of each edge (see edge-index.ts), precomputed for the candidate side */
  readonly edgeBucket: Int32Array;
  /** coarse map of where the template has minutiae, for the overlap estimate of the score */
  readonly footprint: Footprint;
}

export interface Footprint {
  readonly originX: number;
  readonly originY: number;
  readonly cols: number;
  readonly rows: number;
  readonly cells: Uint8Array;
}

export function normalizeAngle(a: number): number {
  const r = a % TWO_PI;
  return r < 0 ? r + TWO_PI : r;
}

/** An angle in 1/256 turns, the unit of ISO/IEC 19794-2:2005 (1.40625°). */
export function quantizeAngle(a: number): number {
  return Math.round((normalizeAngle(a) * 256) / TWO_PI) & 255;
}

/** Smallest absolute difference of two angles, in [0, π]. */
export function angleDistance(a: number, b: number): number {
  const d = Math.abs(a - b) % TWO_PI;
  return d > Math.PI ? TWO_PI - d : d;
}

/**
 * Rescales to 500 dpi (a sensor at 569 dpi and a card template at 197 px/cm meet on one scale),
 * flips y, and builds the edges and the footprint. Never throws on odd input: minutiae with
 * non-finite values are dropped and an empty template gives count 0.
 */
export function prepareTemplate(set: MinutiaeSet): PreparedTemplate {
  const sx = set.dpiX > 0 ? TARGET_DPI / set.dpiX : 1;
  const sy = set.dpiY > 0 ? TARGET_DPI / set.dpiY : 1;
  const source = set.minutiae.filter(
    (m) => Number.isFinite(m.x) && Number.isFinite(m.y) && Number.isFinite(m.angle),
  );
  const n = Math.min(source.length, MAX_MINUTIAE);
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  const angle = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const m = source[i];
    x[i] = m.x * sx;
    y[i] = -m.y * sy;
    // Unequal scaling bends directions too: scale the direction vector, not just the point.
    angle[i] =
      sx === sy
        ? normalizeAngle(m.angle)
        : normalizeAngle(Math.atan2(Math.sin(m.angle) * sy, Math.cos(m.angle) * sx));
  }
  const cosAngle = angle.map(Math.cos);
  const sinAngle = angle.map(Math.sin);
  const edges = buildEdges(x, y, angle);
  return { count: n, x, y, angle, cosAngle, sinAngle, ...edges, footprint: buildFootprint(x, y) };
}

function buildEdges(x: Float64Array, y: Float64Array, angle: Float64Array) {
  const n = x.length;
  const cap = n * EDGE_MAX_NEIGHBOURS;
  const edgeFrom = new Uint8Array(cap);
  const edgeTo = new Uint8Array(cap);
  const edgeLength = new Float64Array(cap);
  const edgeDirection = new Float64Array(cap);
  const edgeRelAngle = new Float64Array(cap);
  const dist = new Float64Array(n);
  const order: number[] = [];
  let e = 0;
  for (let i = 0; i < n; i++) {
    order.length = 0;
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      const d = Math.hypot(x[j] - x[i], y[j] - y[i]);
      dist[j] = d;
      if (d >= EDGE_MIN_LENGTH && d <= EDGE_MAX_LENGTH) order.push(j);
    }
    order.sort((a, b) => dist[a] - dist[b]);
    const k = Math.min(order.length, EDGE_MAX_NEIGHBOURS);
    for (let t = 0; t < k; t++) {
      const j = order[t];
      edgeFrom[e] = i;
      edgeTo[e] = j;
      edgeLength[e] = dist[j];
      edgeDirection[e] = normalizeAngle(Math.atan2(y[j] - y[i], x[j] - x[i]) - angle[i]);
      edgeRelAngle[e] = normalizeAngle(angle[j] - angle[i]);
      e++;
    }
  }
  const edgeBucket = new Int32Array(e);
  for (let q = 0; q < e; q++)
    edgeBucket[q] = candidateBucket(edgeLength[q], edgeDirection[q], edgeRelAngle[q]);
  const edgeDirectionQ = new Uint8Array(e);
  const edgeRelAngleQ = new Uint8Array(e);
  for (let q = 0; q < e; q++) {
    edgeDirectionQ[q] = quantizeAngle(edgeDirection[q]);
    edgeRelAngleQ[q] = quantizeAngle(edgeRelAngle[q]);
  }
  return {
    edgeCount: e,
    edgeBucket,
    edgeDirectionQ,
    edgeRelAngleQ,
    edgeFrom: edgeFrom.slice(0, e),
    edgeTo: edgeTo.slice(0, e),
    edgeLength: edgeLength.slice(0, e),
    edgeDirection: edgeDirection.slice(0, e),
    edgeRelAngle: edgeRelAngle.slice(0, e),
  };
}

function buildFootprint(x: Float64Array, y: Float64Array): Footprint {
  const n = x.length;
  if (n === 0) return { originX: 0, originY: 0, cols: 0, rows: 0, cells: new Uint8Array(0) };
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (let i = 0; i < n; i++) {
    minX = Math.min(minX, x[i]);
    maxX = Math.max(maxX, x[i]);
    minY = Math.min(minY, y[i]);
    maxY = Math.max(maxY, y[i]);
  }
  const originX = minX - FOOTPRINT_RADIUS;
  const originY = minY - FOOTPRINT_RADIUS;
  const cols = Math.ceil((maxX - minX + 2 * FOOTPRINT_RADIUS) / FOOTPRINT_CELL) + 1;
  const rows = Math.ceil((maxY - minY + 2 * FOOTPRINT_RADIUS) / FOOTPRINT_CELL) + 1;
  const cells = new Uint8Array(cols * rows);
  const r2 = FOOTPRINT_RADIUS * FOOTPRINT_RADIUS;
  for (let row = 0; row < rows; row++) {
    const cy = originY + (row + 0.5) * FOOTPRINT_CELL;
    for (let col = 0; col < cols; col++) {
      const cx = originX + (col + 0.5) * FOOTPRINT_CELL;
      for (let i = 0; i < n; i++) {
        const dx = x[i] - cx;
        const dy = y[i] - cy;
        if (dx * dx + dy * dy <= r2) {
          cells[row * cols + col] = 1;
          break;
        }
      }
    }
  }
  return { originX, originY, cols, rows, cells };
}

export function footprintCovers(fp: Footprint, px: number, py: number): boolean {
  const col = Math.floor((px - fp.originX) / FOOTPRINT_CELL);
  const row = Math.floor((py - fp.originY) / FOOTPRINT_CELL);
  if (col < 0 || row < 0 || col >= fp.cols || row >= fp.rows) return false;
  return fp.cells[row * fp.cols + col] === 1;
}
