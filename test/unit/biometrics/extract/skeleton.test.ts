import { describe, expect, it } from 'vitest';
import { paddedLayout } from '../../../../src/biometrics/extract/padded.ts';
import { neighbourOffsets } from '../../../../src/biometrics/extract/skeleton/neighbourhood.ts';
import { pruneSkeleton } from '../../../../src/biometrics/extract/skeleton/prune.ts';
import { thin } from '../../../../src/biometrics/extract/skeleton/thin.ts';
import { SkeletonWalker } from '../../../../src/biometrics/extract/skeleton/trace.ts';

const layout = paddedLayout(60, 60, 4);
const at = (x: number, y: number) => (y + layout.pad) * layout.stride + x + layout.pad;

/** Draws thick strokes (discs of radius r along segments) into a fresh padded binary image. */
function draw(segments: [number, number, number, number][], r: number): Uint8Array {
  const bin = new Uint8Array(layout.size);
  for (const [x0, y0, x1, y1] of segments) {
    const n = Math.ceil(Math.hypot(x1 - x0, y1 - y0));
    for (let k = 0; k <= n; k++) {
      const cx = x0 + ((x1 - x0) * k) / n;
      const cy = y0 + ((y1 - y0) * k) / n;
      for (let y = Math.floor(cy - r); y <= Math.ceil(cy + r); y++) {
        for (let x = Math.floor(cx - r); x <= Math.ceil(cx + r); x++) {
          if ((x - cx) ** 2 + (y - cy) ** 2 <= r * r) bin[at(x, y)] = 1;
        }
      }
    }
  }
  return bin;
}

function census(bin: Uint8Array, skeleton: Int32Array) {
  const walker = new SkeletonWalker(bin, neighbourOffsets(layout.stride));
  const byCrossing = new Map<number, number>();
  for (const i of skeleton) byCrossing.set(walker.crossing(i), (byCrossing.get(walker.crossing(i)) ?? 0) + 1);
  return byCrossing;
}

describe('thinning and crossing number', () => {
  it('thins a thick bar to a one-pixel line with two ends', () => {
    const bin = draw([[10, 30, 50, 30]], 3);
    const skeleton = thin(bin, layout);
    const c = census(bin, skeleton);
    expect(c.get(1)).toBe(2);
    expect(c.get(3) ?? 0).toBe(0);
    // One pixel wide: no column holds two skeleton pixels.
    const columns = new Set<number>();
    for (const i of skeleton) {
      const x = (i % layout.stride) - layout.pad;
      expect(columns.has(x)).toBe(false);
      columns.add(x);
    }
  });

  it('finds exactly one junction and three ends in a thick Y', () => {
    const bin = draw(
      [
        [30, 50, 30, 30],
        [30, 30, 15, 10],
        [30, 30, 45, 10],
      ],
      2.5,
    );
    const skeleton = thin(bin, layout);
    const c = census(bin, skeleton);
    expect(c.get(3)).toBe(1);
    expect(c.get(1)).toBe(3);
  });

  it('counts the corner of a three-pixel junction triangle as the one bifurcation', () => {
    // Stem from below-left into (20,20); branches leave up from (20,19) and right from (21,20).
    const bin = new Uint8Array(layout.size);
    for (let k = 1; k <= 8; k++) bin[at(20 - k, 20 + k)] = 1; // stem, diagonal
    for (let k = 0; k <= 8; k++) bin[at(20, 20 - k)] = 1; // up branch, includes (20,20)
    for (let k = 1; k <= 8; k++) bin[at(20 + k, 20)] = 1; // right branch
    const walker = new SkeletonWalker(bin, neighbourOffsets(layout.stride));
    expect(walker.crossing(at(20, 20))).toBe(3);
    expect(walker.crossing(at(20, 19))).toBe(2);
    expect(walker.crossing(at(21, 20))).toBe(2);
    expect(walker.branches(at(20, 20))).toHaveLength(3);
  });

  it('prunes a short spur and keeps the ridge it hangs from', () => {
    const bin = draw(
      [
        [5, 30, 55, 30],
        [30, 30, 30, 26],
      ],
      1,
    );
    const skeleton = thin(bin, layout);
    expect(census(bin, skeleton).get(3)).toBe(1);
    const offsets = neighbourOffsets(layout.stride);
    const pruned = pruneSkeleton(bin, skeleton, new SkeletonWalker(bin, offsets), offsets, {
      spurLength: 9,
      shortRidgeLength: 14,
    });
    const c = census(bin, pruned);
    expect(c.get(3) ?? 0).toBe(0);
    expect(c.get(1)).toBe(2);
    expect(pruned.length).toBeGreaterThan(40);
  });
});
