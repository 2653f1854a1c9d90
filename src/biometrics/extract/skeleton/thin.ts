import type { PaddedLayout } from '../padded.ts';
import { COUNT, E, GROUPS, N, neighbourCode, neighbourOffsets, S, TRANSITIONS, W } from './neighbourhood.ts';

/** Zhang–Suen deletion tables for its two sub-iterations, indexed by neighbourhood code. */
const DELETE_FIRST = new Uint8Array(256);
const DELETE_SECOND = new Uint8Array(256);
/** Deletable corner pixels of a one-pixel line (staircases), keeping 8-connectivity and ends. */
const DELETE_STAIR = new Uint8Array(256);
for (let c = 0; c < 256; c++) {
  const b = COUNT[c];
  const shape = b >= 2 && b <= 6 && TRANSITIONS[c] === 1;
  const n = c & N;
  const e = c & E;
  const s = c & S;
  const w = c & W;
  DELETE_FIRST[c] = shape && !(n && e && s) && !(e && s && w) ? 1 : 0;
  DELETE_SECOND[c] = shape && !(n && e && w) && !(n && s && w) ? 1 : 0;
  DELETE_STAIR[c] = b >= 2 && GROUPS[c] === 1 && ((n && e) || (e && s) || (s && w) || (w && n)) ? 1 : 0;
}

/**
 * Thins a binary ridge image (padded layout, margin of zeros) in place to one-pixel-wide lines and
 * returns the indices of the remaining skeleton pixels. Zhang–Suen does the bulk; a final in-place
 * pass removes the 4-connected staircase corners it leaves, which would otherwise look like tiny
 * bifurcations to the crossing-number test.
 */
export function thin(bin: Uint8Array, layout: PaddedLayout): Int32Array {
  const { stride } = layout;
  let count = 0;
  const live = new Int32Array(layout.width * layout.height);
  for (let y = 0; y < layout.height; y++) {
    const row = (y + layout.pad) * stride + layout.pad;
    for (let i = row; i < row + layout.width; i++) if (bin[i]) live[count++] = i;
  }
  const doomed = new Int32Array(count);
  let changed = true;
  while (changed) {
    changed = false;
    for (const table of [DELETE_FIRST, DELETE_SECOND]) {
      let d = 0;
      for (let k = 0; k < count; k++) {
        const i = live[k];
        if (table[code(bin, i, stride)]) doomed[d++] = i;
      }
      for (let k = 0; k < d; k++) bin[doomed[k]] = 0;
      if (d > 0) {
        changed = true;
        let kept = 0;
        for (let k = 0; k < count; k++) if (bin[live[k]]) live[kept++] = live[k];
        count = kept;
      }
    }
  }
  const offsets = neighbourOffsets(stride);
  const skeleton = live.subarray(0, count);
  removeStaircases(bin, skeleton, offsets);
  return skeleton.filter((i) => bin[i] === 1);
}

/** neighbourCode unrolled for the hot loop. */
function code(b: Uint8Array, i: number, s: number): number {
  return (
    b[i - s] |
    (b[i - s + 1] << 1) |
    (b[i + 1] << 2) |
    (b[i + s + 1] << 3) |
    (b[i + s] << 4) |
    (b[i + s - 1] << 5) |
    (b[i - 1] << 6) |
    (b[i - s - 1] << 7)
  );
}

/** Sequential (in scan order, in place) so two touching corners are never both removed. */
export function removeStaircases(bin: Uint8Array, pixels: ArrayLike<number>, offsets: Int32Array): void {
  for (let k = 0; k < pixels.length; k++) {
    const i = pixels[k];
    if (bin[i] && DELETE_STAIR[neighbourCode(bin, i, offsets)]) bin[i] = 0;
  }
}
