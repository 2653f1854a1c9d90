import { GRID_CELL, PAIR_DISTANCE_TOLERANCE_MAX } from './params.ts';
import type { PreparedTemplate } from './prepare.ts';

/**
 * The probe's minutiae filed into a coarse grid, each under every cell that comes within the largest
 * pairing tolerance of it, so that finding the partners of an aligned candidate minutia is one cell
 * read (a handful of indices), not a scan of the whole probe.
 */
export interface ProbeGrid {
  readonly originX: number;
  readonly originY: number;
  readonly cols: number;
  readonly rows: number;
  readonly cellStart: Int32Array;
  readonly entries: Uint8Array;
}

export function buildProbeGrid(t: PreparedTemplate): ProbeGrid {
  const n = t.count;
  if (n === 0) {
    return {
      originX: 0,
      originY: 0,
      cols: 0,
      rows: 0,
      cellStart: new Int32Array(1),
      entries: new Uint8Array(0),
    };
  }
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (let i = 0; i < n; i++) {
    minX = Math.min(minX, t.x[i]);
    maxX = Math.max(maxX, t.x[i]);
    minY = Math.min(minY, t.y[i]);
    maxY = Math.max(maxY, t.y[i]);
  }
  const reach = PAIR_DISTANCE_TOLERANCE_MAX;
  const originX = minX - reach;
  const originY = minY - reach;
  const cols = Math.floor((maxX + reach - originX) / GRID_CELL) + 1;
  const rows = Math.floor((maxY + reach - originY) / GRID_CELL) + 1;
  const lists: number[][] = Array.from({ length: cols * rows }, () => []);
  for (let i = 0; i < n; i++) {
    const c0 = Math.floor((t.x[i] - reach - originX) / GRID_CELL);
    const c1 = Math.floor((t.x[i] + reach - originX) / GRID_CELL);
    const r0 = Math.floor((t.y[i] - reach - originY) / GRID_CELL);
    const r1 = Math.floor((t.y[i] + reach - originY) / GRID_CELL);
    for (let r = r0; r <= r1; r++) for (let c = c0; c <= c1; c++) lists[r * cols + c].push(i);
  }
  const cellStart = new Int32Array(cols * rows + 1);
  for (let k = 0; k < lists.length; k++) cellStart[k + 1] = cellStart[k] + lists[k].length;
  const entries = new Uint8Array(cellStart[cols * rows]);
  for (let k = 0; k < lists.length; k++) entries.set(lists[k], cellStart[k]);
  return { originX, originY, cols, rows, cellStart, entries };
}

/** Index of the grid cell holding (x, y), or -1 outside the grid (then no probe minutia is near). */
export function gridCell(g: ProbeGrid, x: number, y: number): number {
  const c = Math.floor((x - g.originX) / GRID_CELL);
  const r = Math.floor((y - g.originY) / GRID_CELL);
  if (c < 0 || r < 0 || c >= g.cols || r >= g.rows) return -1;
  return r * g.cols + c;
}
