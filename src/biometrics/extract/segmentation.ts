import type { BlockGrid } from './block-grid.ts';
import type { OrientationField } from './orientation.ts';

export interface SegmentationOptions {
  energyRatio: number;
  minCoherence: number;
  minComponentRatio: number;
  erodeBlocks: number;
  /** Morphological closing (grow then shrink) by this many blocks: bridges dry gaps in a faint print. */
  closeBlocks: number;
}

/**
 * Foreground mask per block (1 = finger). A block is finger when it has ridge contrast (gradient
 * energy relative to the image's own bright end, so it adapts to each sensor's gain) and its
 * gradients agree on one orientation (smudges and latent residue rarely do). The raw mask is then
 * cleaned: holes inside the finger are filled, specks dropped, and the edge eroded because ridges
 * fade there and would yield false endings.
 */
export function segmentBlocks(field: OrientationField, o: SegmentationOptions): Uint8Array {
  const { cols, rows, energy, coherence } = field;
  const n = cols * rows;
  const sorted = Float32Array.from(energy).sort();
  const bright = sorted[Math.floor(0.95 * (n - 1))];
  const threshold = bright * o.energyRatio;
  let mask: Uint8Array = new Uint8Array(n);
  for (let i = 0; i < n; i++) mask[i] = energy[i] > threshold && coherence[i] > o.minCoherence ? 1 : 0;
  mask = majority3x3(field, mask);
  for (let c = 0; c < o.closeBlocks; c++) mask = dilate(field, mask);
  for (let c = 0; c < o.closeBlocks; c++) mask = erode(field, mask, false);
  keepLargeComponents(field, mask, o.minComponentRatio);
  fillHoles(field, mask);
  for (let e = 0; e < o.erodeBlocks; e++) mask = erode(field, mask, true);
  return mask;
}

function majority3x3(grid: BlockGrid, mask: Uint8Array): Uint8Array {
  const { cols, rows } = grid;
  const out = new Uint8Array(mask.length);
  for (let y = 0; y < rows; y++) {
    for (let x = 0; x < cols; x++) {
      let on = 0;
      let all = 0;
      for (let dy = -1; dy <= 1; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          const xx = x + dx;
          const yy = y + dy;
          if (xx < 0 || yy < 0 || xx >= cols || yy >= rows) continue;
          all++;
          on += mask[yy * cols + xx];
        }
      }
      out[y * cols + x] = on * 2 > all ? 1 : 0;
    }
  }
  return out;
}

/** Labels 4-connected components of `value` cells; returns labels (0 = other value) and sizes. */
function components(
  grid: BlockGrid,
  mask: Uint8Array,
  value: number,
): { labels: Int32Array; sizes: number[] } {
  const { cols, rows } = grid;
  const labels = new Int32Array(mask.length);
  const sizes: number[] = [0];
  const stack: number[] = [];
  for (let start = 0; start < mask.length; start++) {
    if (mask[start] !== value || labels[start] !== 0) continue;
    const label = sizes.length;
    let size = 0;
    labels[start] = label;
    stack.push(start);
    while (stack.length > 0) {
      const i = stack.pop()!;
      size++;
      const x = i % cols;
      const y = (i - x) / cols;
      const next = [
        x > 0 ? i - 1 : -1,
        x < cols - 1 ? i + 1 : -1,
        y > 0 ? i - cols : -1,
        y < rows - 1 ? i + cols : -1,
      ];
      for (const j of next) {
        if (j >= 0 && mask[j] === value && labels[j] === 0) {
          labels[j] = label;
          stack.push(j);
        }
      }
    }
    sizes.push(size);
  }
  return { labels, sizes };
}

function keepLargeComponents(grid: BlockGrid, mask: Uint8Array, minRatio: number): void {
  const { labels, sizes } = components(grid, mask, 1);
  const largest = Math.max(0, ...sizes);
  for (let i = 0; i < mask.length; i++) if (mask[i] && sizes[labels[i]] < largest * minRatio) mask[i] = 0;
}

/** Background regions that do not touch the image edge are holes (a scar, a wet blot): make them finger. */
function fillHoles(grid: BlockGrid, mask: Uint8Array): void {
  const { cols, rows } = grid;
  const { labels, sizes } = components(grid, mask, 0);
  const touchesEdge = new Uint8Array(sizes.length);
  for (let x = 0; x < cols; x++) {
    touchesEdge[labels[x]] = 1;
    touchesEdge[labels[(rows - 1) * cols + x]] = 1;
  }
  for (let y = 0; y < rows; y++) {
    touchesEdge[labels[y * cols]] = 1;
    touchesEdge[labels[y * cols + cols - 1]] = 1;
  }
  for (let i = 0; i < mask.length; i++) if (!mask[i] && !touchesEdge[labels[i]]) mask[i] = 1;
}

/** 4-neighbour erosion; with `edgeIsBackground` the image edge erodes the mask too. */
function erode(grid: BlockGrid, mask: Uint8Array, edgeIsBackground: boolean): Uint8Array {
  const { cols, rows } = grid;
  const out = new Uint8Array(mask.length);
  const at = (x: number, y: number) =>
    x < 0 || y < 0 || x >= cols || y >= rows ? !edgeIsBackground : mask[y * cols + x] === 1;
  for (let y = 0; y < rows; y++) {
    for (let x = 0; x < cols; x++) {
      out[y * cols + x] = at(x, y) && at(x - 1, y) && at(x + 1, y) && at(x, y - 1) && at(x, y + 1) ? 1 : 0;
    }
  }
  return out;
}

/** 4-neighbour dilation. */
function dilate(grid: BlockGrid, mask: Uint8Array): Uint8Array {
  const { cols, rows } = grid;
  const out = new Uint8Array(mask.length);
  for (let y = 0; y < rows; y++) {
    for (let x = 0; x < cols; x++) {
      const i = y * cols + x;
      out[i] =
        mask[i] ||
        (x > 0 && mask[i - 1]) ||
        (x < cols - 1 && mask[i + 1]) ||
        (y > 0 && mask[i - cols]) ||
        (y < rows - 1 && mask[i + cols])
          ? 1
          : 0;
    }
  }
  return out;
}
