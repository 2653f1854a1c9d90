import { FRESH_BUFFERS, type Scratch } from '../scratch.ts';
import { neighbourCode, TRANSITIONS } from './neighbourhood.ts';

/** Neighbour bits with the 4-neighbours first: a line continues straight before it cuts a corner. */
const FOUR_FIRST = Int32Array.from([0, 2, 4, 6, 1, 3, 5, 7]);

/** Why a walk along the skeleton stopped. */
export type TraceStop = 'ending' | 'junction' | 'length' | 'dead';

export interface TraceResult {
  /** Last pixel reached (an ending or junction pixel if the walk stopped on one). */
  end: number;
  steps: number;
  stop: TraceStop;
}

/**
 * Walks a one-pixel-wide skeleton. Each walk gets a fresh stamp in a shared visit buffer, so no
 * clearing is needed between walks and a walk never turns back on itself.
 */
export class SkeletonWalker {
  private readonly visit: Int32Array;
  private stamp = 0;
  /** Pixels of the last walk, in order (start excluded). */
  readonly path: number[] = [];

  constructor(
    private readonly bin: Uint8Array,
    private readonly offsets: Int32Array,
    buffers: Scratch = FRESH_BUFFERS,
  ) {
    this.visit = buffers.int32('visit', bin.length);
  }

  /**
   * Crossing number at pixel i: runs of skeleton pixels around its 8-neighbour ring (1 ending, 2 line,
   * 3+ junction). Counting ring runs rather than 8-connected groups matters at junctions that thinning
   * leaves as a three-pixel triangle: only the corner pixel whose three runs are separate scores 3.
   */
  crossing(i: number): number {
    return TRANSITIONS[neighbourCode(this.bin, i, this.offsets)];
  }

  /** Skeleton neighbours of i, one per run around the ring, preferring a 4-neighbour in each run. */
  branches(i: number): number[] {
    const code = neighbourCode(this.bin, i, this.offsets);
    if (code === 0) return [];
    if (code === 255) return [i + this.offsets[0]];
    // Start just after an empty ring position so runs are not split at the wrap-around.
    let start = 0;
    while ((code >> start) & 1) start++;
    const out: number[] = [];
    let best = -1;
    for (let n = 1; n <= 8; n++) {
      const k = (start + n) & 7;
      if ((code >> k) & 1) {
        if (best < 0 || (k % 2 === 0 && best % 2 === 1)) best = k;
      } else if (best >= 0) {
        out.push(i + this.offsets[best]);
        best = -1;
      }
    }
    return out;
  }

  /**
   * From `start`, step onto `first` and keep going until an ending, a junction, `maxSteps`, or a
   * pixel with nowhere new to go. `avoid` pixels (the other branches of a junction) count as visited.
   */
  walk(start: number, first: number, maxSteps: number, avoid: number[] = []): TraceResult {
    const stamp = ++this.stamp;
    const { visit, bin, offsets, path } = this;
    path.length = 0;
    visit[start] = stamp;
    for (const a of avoid) visit[a] = stamp;
    let current = first;
    let steps = 1;
    for (;;) {
      visit[current] = stamp;
      path.push(current);
      const g = TRANSITIONS[neighbourCode(bin, current, offsets)];
      if (g === 1) return { end: current, steps, stop: 'ending' };
      if (g >= 3) return { end: current, steps, stop: 'junction' };
      if (steps >= maxSteps) return { end: current, steps, stop: 'length' };
      let next = -1;
      for (let n = 0; n < 8; n++) {
        const j = current + offsets[FOUR_FIRST[n]];
        if (bin[j] && visit[j] !== stamp) {
          next = j;
          break;
        }
      }
      if (next < 0) return { end: current, steps, stop: 'dead' };
      current = next;
      steps++;
    }
  }
}
