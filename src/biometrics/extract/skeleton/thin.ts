import type { PaddedLayout } from '../padded.ts';
import { FRESH_BUFFERS, type Scratch } from '../scratch.ts';
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
 *
 * The first few passes delete a third of the ridge pixels each and scan them all. After that, on a
 * fingerprint, passes delete one to three pixels each (a two-pixel-thick line eaten from its end)
 * for another 15-20 passes, and scanning all ~10,000 skeleton pixels for them was 60% of the work.
 * So once deletions are few, a pass only looks at the neighbours of what the previous two passes
 * deleted. That is exact: a pixel that survived the same sub-iteration one pass pair ago, with none
 * of its 8 neighbours changed since, has the same neighbourhood code and survives again; deletions
 * of a pass are applied only after the whole pass has looked, so the order of looking is free.
 */
export function thin(bin: Uint8Array, layout: PaddedLayout, buffers: Scratch = FRESH_BUFFERS): Int32Array {
  const { stride } = layout;
  let count = 0;
  const live = buffers.int32Unset('live', layout.width * layout.height);
  for (let y = 0; y < layout.height; y++) {
    const row = (y + layout.pad) * stride + layout.pad;
    for (let i = row; i < row + layout.width; i++) if (bin[i]) live[count++] = i;
  }
  const offsets = neighbourOffsets(stride);
  // Deletions of this pass and of the two before it, rotated.
  let doomed = buffers.int32Unset('doomed', count);
  let before = buffers.int32Unset('doomedBefore', count);
  let earlier = buffers.int32Unset('doomedEarlier', count);
  let dBefore = count; // "everything changed" until two passes are on record
  let dEarlier = count;
  let marks: Int32Array | undefined;
  let candidates: Int32Array | undefined;
  let stamp = 0;
  // Once sparse, always sparse: a sparse pass looks at no more pixels than are alive, and the live
  // list (no longer compacted) then stays as it was.
  let sparse = false;
  let changed = true;
  while (changed) {
    changed = false;
    for (let pass = 0; pass < 2; pass++) {
      const table = pass === 0 ? DELETE_FIRST : DELETE_SECOND;
      let d = 0;
      sparse ||= 8 * (dBefore + dEarlier) < count;
      if (sparse) {
        // Few changes: only the live neighbours of the last two passes' deletions can decide anew.
        marks ??= buffers.int32('thinMarks', layout.size);
        candidates ??= buffers.int32Unset('thinCandidates', count);
        stamp++;
        let c = 0;
        for (let list = 0; list < 2; list++) {
          const from = list === 0 ? before : earlier;
          const n = list === 0 ? dBefore : dEarlier;
          for (let k = 0; k < n; k++) {
            const j = from[k];
            for (let o = 0; o < 8; o++) {
              const q = j + offsets[o];
              if (bin[q] && marks[q] !== stamp) {
                marks[q] = stamp;
                candidates[c++] = q;
              }
            }
          }
        }
        for (let k = 0; k < c; k++) {
          const i = candidates[k];
          doomed[d] = i;
          d += table[code(bin, i, stride)];
        }
        for (let k = 0; k < d; k++) bin[doomed[k]] = 0;
      } else {
        // Whether a pixel goes is close to a coin toss in these passes, so the loops write
        // unconditionally and advance by the table's 0 or 1 instead of branching on it.
        for (let k = 0; k < count; k++) {
          const i = live[k];
          doomed[d] = i;
          d += table[code(bin, i, stride)];
        }
        for (let k = 0; k < d; k++) bin[doomed[k]] = 0;
        if (d > 0) count = compact(live, count, bin);
      }
      if (d > 0) changed = true;
      const spare = earlier;
      earlier = before;
      dEarlier = dBefore;
      before = doomed;
      dBefore = d;
      doomed = spare;
    }
  }
  // Passes that looked only at candidates left the list uncompacted; it is still in scan order.
  const skeleton = live.subarray(0, compact(live, count, bin));
  removeStaircases(bin, skeleton, offsets);
  return skeleton.filter((i) => bin[i] === 1);
}

/** Drops deleted pixels from the first `count` of `live`, keeping the order; returns the new count. */
function compact(live: Int32Array, count: number, bin: Uint8Array): number {
  let kept = 0;
  for (let k = 0; k < count; k++) {
    const i = live[k];
    live[kept] = i;
    kept += bin[i];
  }
  return kept;
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
