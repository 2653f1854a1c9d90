import type { BlockGrid } from '../block-grid.ts';
import type { Candidate } from './candidate.ts';

/**
 * Drops minutiae near the edge of the finger area: ridges are cut there by the mask or the sensor
 * edge, and every cut looks like an ending. Probes the mask at 16 points on a circle of `distance`;
 * an ending whose tip faces the edge (its ridge would run on out of the finger) is dropped from
 * further away, `tipDistance`, since that is exactly how a cut ridge looks.
 */
export function removeBorderMinutiae(
  minutiae: Candidate[],
  grid: BlockGrid,
  mask: Uint8Array,
  distance: number,
  tipDistance: number,
): Candidate[] {
  const inside = (x: number, y: number) => {
    const bx = Math.floor(x / grid.blockSize);
    const by = Math.floor(y / grid.blockSize);
    return bx >= 0 && by >= 0 && bx < grid.cols && by < grid.rows && mask[by * grid.cols + bx] === 1;
  };
  return minutiae.filter((m) => {
    if (!inside(m.x, m.y)) return false;
    for (let k = 0; k < 16; k++) {
      const a = (k * Math.PI) / 8;
      if (!inside(m.x + distance * Math.cos(a), m.y + distance * Math.sin(a))) return false;
    }
    if (m.type === 'ending') {
      // The ISO angle points into the ridge body; the tip faces the opposite way (y down in the image).
      const tx = -Math.cos(m.angle);
      const ty = Math.sin(m.angle);
      for (let d = 4; d <= tipDistance; d += 4) if (!inside(m.x + d * tx, m.y + d * ty)) return false;
    }
    return true;
  });
}
