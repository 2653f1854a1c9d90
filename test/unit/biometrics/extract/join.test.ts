import { describe, expect, it } from 'vitest';
import type { FrequencyField } from '../../../../src/biometrics/extract/frequency.ts';
import type { OrientationField } from '../../../../src/biometrics/extract/orientation.ts';
import { paddedLayout } from '../../../../src/biometrics/extract/padded.ts';
import { PARAMS } from '../../../../src/biometrics/extract/parameters.ts';
import { joinRidgeBreaks } from '../../../../src/biometrics/extract/skeleton/join.ts';
import { neighbourOffsets } from '../../../../src/biometrics/extract/skeleton/neighbourhood.ts';
import { SkeletonWalker } from '../../../../src/biometrics/extract/skeleton/trace.ts';

const SIZE = 64;
const layout = paddedLayout(SIZE, SIZE, 4);
const at = (x: number, y: number) => (y + layout.pad) * layout.stride + x + layout.pad;
const BLOCK = 8;
const cells = (SIZE / BLOCK) ** 2;

/** A uniform field: ridges along `angle` (image axes), period 9 px. */
function fields(angle: number): { field: OrientationField; frequency: FrequencyField } {
  const grid = { blockSize: BLOCK, cols: SIZE / BLOCK, rows: SIZE / BLOCK };
  return {
    field: {
      ...grid,
      angle: new Float32Array(cells).fill(angle),
      coherence: new Float32Array(cells).fill(1),
      energy: new Float32Array(cells).fill(1000),
    },
    frequency: { ...grid, period: new Float32Array(cells).fill(9) },
  };
}

/** One-pixel lines (a thinned skeleton) from horizontal and vertical segments. */
function skeletonOf(lines: [number, number, number, number][]): { bin: Uint8Array; list: Int32Array } {
  const bin = new Uint8Array(layout.size);
  const list: number[] = [];
  for (const [x0, y0, x1, y1] of lines) {
    for (let y = Math.min(y0, y1); y <= Math.max(y0, y1); y++) {
      for (let x = Math.min(x0, x1); x <= Math.max(x0, x1); x++) {
        if (bin[at(x, y)]) continue;
        bin[at(x, y)] = 1;
        list.push(at(x, y));
      }
    }
  }
  return { bin, list: Int32Array.from(list) };
}

function endCount(bin: Uint8Array, list: Int32Array): number {
  const walker = new SkeletonWalker(bin, neighbourOffsets(layout.stride));
  return [...list].filter((i) => bin[i] && walker.crossing(i) === 1).length;
}

function join(lines: [number, number, number, number][], angle = 0) {
  const { bin, list } = skeletonOf(lines);
  const { field, frequency } = fields(angle);
  const walker = new SkeletonWalker(bin, neighbourOffsets(layout.stride));
  const out = joinRidgeBreaks(bin, list, layout, walker, field, frequency, PARAMS);
  return { bin, before: list, after: out };
}

describe('joinRidgeBreaks', () => {
  it('joins two collinear fragments across a gap along the flow into one ridge', () => {
    const { bin, before, after } = join([
      [4, 30, 24, 30],
      [38, 30, 60, 30],
    ]);
    expect(after.length).toBe(before.length + 13);
    for (let x = 25; x < 38; x++) expect(bin[at(x, 30)]).toBe(1);
    expect(endCount(bin, after)).toBe(2);
  });

  it('leaves a gap longer than joinDistanceRatio periods open', () => {
    const gap = Math.ceil(PARAMS.joinDistanceRatio * 9) + 2;
    const { bin, before, after } = join([
      [4, 30, 20, 30],
      [20 + gap, 30, 60, 30],
    ]);
    expect(after).toBe(before);
    expect(endCount(bin, after)).toBe(4);
  });

  it('does not join fragments whose gap runs across the flow', () => {
    // The same two fragments, but the field says the ridges run vertically.
    const { after, before } = join(
      [
        [4, 30, 24, 30],
        [38, 30, 60, 30],
      ],
      Math.PI / 2,
    );
    expect(after).toBe(before);
  });

  it('does not join side-by-side ends on neighbouring ridges', () => {
    // Two ridges one period apart, each ending at x = 30, one from the left and one from the right.
    const { after, before } = join([
      [4, 26, 30, 26],
      [34, 35, 60, 35],
    ]);
    expect(after).toBe(before);
  });

  it('does not draw a join through another ridge', () => {
    const { after, before } = join([
      [4, 30, 24, 30],
      [38, 30, 60, 30],
      [31, 10, 31, 50],
    ]);
    expect(after).toBe(before);
  });
});
