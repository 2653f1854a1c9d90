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
  const offsets = neighbourOffsets(layout.stride);
  let live: number[] = [];
  for (let y = 0; y < layout.height; y++) {
    const row = (y + layout.pad) * layout.stride + layout.pad;
    for (let i = row; i < row + layout.width; i++) if (bin[i]) live.push(i);
  }
  const doomed: number[] = [];
  let changed = true;
  while (changed) {
    changed = false;
    for (const table of [DELETE_FIRST, DELETE_SECOND]) {
      doomed.length = 0;
      for (const i of live) if (table[neighbourCode(bin, i, offsets)]) doomed.push(i);
      for (const i of doomed) bin[i] = 0;
      if (doomed.length > 0) {
        changed = true;
        live = live.filter((i) => bin[i] === 1);
      }
    }
  }
  removeStaircases(bin, live, offsets);
  return Int32Array.from(live.filter((i) => bin[i] === 1));
}

/** Sequential (in scan order, in place) so two touching corners are never both removed. */
export function removeStaircases(bin: Uint8Array, pixels: ArrayLike<number>, offsets: Int32Array): void {
  for (let k = 0; k < pixels.length; k++) {
    const i = pixels[k];
    if (bin[i] && DELETE_STAIR[neighbourCode(bin, i, offsets)]) bin[i] = 0;
  }
}
