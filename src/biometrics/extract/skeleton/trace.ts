import { GROUPS, neighbourCode } from './neighbourhood.ts';

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
  ) {
    this.visit = new Int32Array(bin.length);
  }

  /** Number of 8-connected neighbour groups at pixel i (1 ending, 2 line, 3+ junction). */
  groups(i: number): number {
    return GROUPS[neighbourCode(this.bin, i, this.offsets)];
  }

  /** Skeleton neighbours of i, one per 8-connected group, preferring 4-neighbours. */
  branches(i: number): number[] {
    const out: number[] = [];
    const code = neighbourCode(this.bin, i, this.offsets);
    const taken = new Set<number>();
    // 4-neighbours (even bits) first: a diagonal next to a taken 4-neighbour belongs to its group.
    for (const k of [0, 2, 4, 6, 1, 3, 5, 7]) {
      if (!((code >> k) & 1) || taken.has(k)) continue;
      out.push(i + this.offsets[k]);
      taken.add(k);
      for (const j of [(k + 1) & 7, (k + 7) & 7]) if ((code >> j) & 1) taken.add(j);
      if (k % 2 === 0) {
        for (const j of [(k + 2) & 7, (k + 6) & 7]) if ((code >> j) & 1 && j % 2 === 0) taken.add(j);
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
      const g = GROUPS[neighbourCode(bin, current, offsets)];
      if (g === 1) return { end: current, steps, stop: 'ending' };
      if (g >= 3) return { end: current, steps, stop: 'junction' };
      if (steps >= maxSteps) return { end: current, steps, stop: 'length' };
      let next = -1;
      for (const k of [0, 2, 4, 6, 1, 3, 5, 7]) {
        const j = current + offsets[k];
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
