import { FOOTPRINT_CELL, FOOTPRINT_RADIUS } from './params.ts';

/** Coarse map of where a template has minutiae: the area a partner's minutiae could be paired in. */
export interface Footprint {
  readonly originX: number;
  readonly originY: number;
  readonly cols: number;
  readonly rows: number;
  readonly cells: Uint8Array;
}

export function buildFootprint(x: Float64Array, y: Float64Array): Footprint {
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
  // Paint each minutia's disc (cells whose centre is within the radius): n small squares, not
  // every cell against every minutia.
  const reach = Math.ceil(FOOTPRINT_RADIUS / FOOTPRINT_CELL) + 1;
  for (let i = 0; i < n; i++) {
    const ci = Math.floor((x[i] - originX) / FOOTPRINT_CELL);
    const ri = Math.floor((y[i] - originY) / FOOTPRINT_CELL);
    for (let row = Math.max(0, ri - reach); row <= Math.min(rows - 1, ri + reach); row++) {
      const dy = y[i] - (originY + (row + 0.5) * FOOTPRINT_CELL);
      for (let col = Math.max(0, ci - reach); col <= Math.min(cols - 1, ci + reach); col++) {
        const dx = x[i] - (originX + (col + 0.5) * FOOTPRINT_CELL);
        if (dx * dx + dy * dy <= r2) cells[row * cols + col] = 1;
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
